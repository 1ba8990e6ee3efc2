import { BullModule } from '@nestjs/bull';
import { DynamicModule, Module } from '@nestjs/common';
import { MongooseModule } from '@nestjs/mongoose';

import type { ConnectedAppConfig } from '@/config/app-config';

import { AiMetrics } from './ai-metrics.service';
import { AiSettingsService } from './ai-settings.service';
import { AiResolver } from './ai.resolver';
import { InsightGenerator } from './insight-generator.service';
import { InsightInputReader } from './insight-input.reader';
import { InsightsService } from './insights.service';
import { AI_QUEUE } from './jobs/ai-queue.constants';
import { AiProcessor } from './jobs/ai.processor';
import { CircuitBreakerStore } from './openai/circuit-breaker.store';
import { OpenAIInsightClient } from './openai/openai-insight.client';
import { TokenBudget } from './openai/token-budget';
import { AiSettings, AiSettingsSchema } from './schemas/ai-settings.schema';
import { LeadInsight, LeadInsightSchema } from './schemas/lead-insight.schema';

/**
 * AI insights: a short read of each lead by OpenAI (structured output, retries with backoff, a
 * circuit breaker shared through Redis, a per-deployment request and token budget), or by the
 * deterministic fallback when OpenAI is absent, failing or wrong. Requests go on the Bull queue
 * `ai`; workers write them.
 */
@Module({})
export class AiModule {
  static register({
    config,
    leads,
    api,
    worker,
  }: {
    config: ConnectedAppConfig;
    leads: DynamicModule;
    api: boolean;
    worker: boolean;
  }): DynamicModule {
    return {
      module: AiModule,
      imports: [
        leads,
        MongooseModule.forFeature([
          { name: LeadInsight.name, schema: LeadInsightSchema },
          { name: AiSettings.name, schema: AiSettingsSchema },
        ]),
        BullModule.registerQueue({
          name: AI_QUEUE,
          // Evenly spaced rather than a burst per minute: one job every 60 s / budget.
          limiter: {
            max: 1,
            duration: Math.max(1, Math.floor(60_000 / config.openai.requestsPerMinute)),
          },
        }),
      ],
      providers: [
        AiMetrics,
        AiSettingsService,
        OpenAIInsightClient,
        CircuitBreakerStore,
        TokenBudget,
        InsightInputReader,
        InsightGenerator,
        InsightsService,
        ...(api ? [AiResolver] : []),
        ...(worker ? [AiProcessor] : []),
      ],
      exports: [InsightsService],
    };
  }
}
