import { Process, Processor } from '@nestjs/bull';
import { Logger } from '@nestjs/common';
import type { Job } from 'bull';

import { InsightGenerator } from '../insight-generator.service';
import { InsightInputReader, systemCaller } from '../insight-input.reader';
import { InsightsService } from '../insights.service';
import { InsightStatus } from '../schemas/lead-insight.schema';
import { AI_QUEUE, INSIGHT_JOB, InsightJobData } from './ai-queue.constants';

/**
 * Writes insights on the workers: reads the lead as it is now, writes the insight (OpenAI or the
 * fallback), stores it and publishes `insightReady`. A job whose lead was asked about again for a
 * newer state since only runs if it is still the one asked for.
 */
@Processor(AI_QUEUE)
export class AiProcessor {
  private readonly logger = new Logger(AiProcessor.name);

  constructor(
    private readonly insights: InsightsService,
    private readonly reader: InsightInputReader,
    private readonly generator: InsightGenerator,
  ) {}

  @Process({ name: INSIGHT_JOB, concurrency: 2 })
  async write(job: Job<InsightJobData>): Promise<{ written: boolean }> {
    const { tenantId, leadId, cacheKey } = job.data;
    if (!(await this.insights.markRunning(tenantId, leadId, cacheKey))) return { written: false };
    const caller = systemCaller(tenantId);
    let state;
    try {
      state = await this.reader.state(caller, leadId);
    } catch (error) {
      // The lead is gone (or never was the tenant's): nothing to write about.
      const doc = await this.insights.save(tenantId, leadId, {
        status: InsightStatus.FAILED,
        failure: 'the lead could not be read',
      });
      if (doc) await this.insights.publishReady(doc);
      this.logger.warn({ msg: 'insight not written: lead unreadable', error: String(error) });
      return { written: false };
    }
    let generated;
    try {
      generated = await this.generator.generate(await this.reader.input(caller, state));
    } catch (error) {
      // An engine failing under the writer (OpenAI's failures never reach here: the fallback
      // answers them). Bull retries; after its last attempt the request says FAILED, not RUNNING.
      const attempts = job.opts.attempts ?? 1;
      if (job.attemptsMade + 1 >= attempts) {
        const doc = await this.insights.save(tenantId, leadId, {
          status: InsightStatus.FAILED,
          failure: 'the insight could not be written (a service was unavailable); ask again',
        });
        if (doc) await this.insights.publishReady(doc);
      }
      throw error;
    }
    const doc = await this.insights.save(tenantId, leadId, {
      status: InsightStatus.READY,
      content: generated.content,
      // Written for the lead as it was read now (it may have moved on since the request).
      contentCacheKey: state.cacheKey,
      cacheKey: state.cacheKey,
      source: generated.source,
      fallbackReason: generated.fallbackReason,
      model: generated.model,
      usage: generated.usage,
      latencyMs: generated.latencyMs,
      calls: generated.calls,
      score: state.lead.score,
      generatedAt: new Date(),
      failure: null,
    });
    if (doc) await this.insights.publishReady(doc);
    return { written: true };
  }
}
