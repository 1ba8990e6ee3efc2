import { Injectable, Logger } from '@nestjs/common';

import { AiMetrics } from './ai-metrics.service';
import { fallbackInsight } from './insight/fallback-insight';
import { buildInsightMessages } from './insight/insight-prompt';
import { parseInsight } from './insight/insight-schema';
import type { InsightContent, InsightInput } from './insight/insight.types';
import { CircuitBreakerStore } from './openai/circuit-breaker.store';
import { InsightCallError, OpenAIInsightClient } from './openai/openai-insight.client';
import { TokenBudget } from './openai/token-budget';
import { InsightSource, StoredInsightUsage } from './schemas/lead-insight.schema';

export interface GeneratedInsight {
  content: InsightContent;
  source: InsightSource;
  fallbackReason: string | null;
  model: string | null;
  usage: StoredInsightUsage | null;
  latencyMs: number;
  calls: number;
}

/** Tokens a call is assumed to take before its answer says (prompt + answer). */
const TOKEN_ESTIMATE = 1_200;

/**
 * Writes one insight: by OpenAI when a key is configured and the shared breaker is closed (an
 * answer that fails the schema is asked again once), else — or when the calls fail — by the
 * deterministic fallback, with the reason recorded. Never throws for OpenAI's sake.
 */
@Injectable()
export class InsightGenerator {
  private readonly logger = new Logger(InsightGenerator.name);

  constructor(
    private readonly client: OpenAIInsightClient,
    private readonly breaker: CircuitBreakerStore,
    private readonly budget: TokenBudget,
    private readonly metrics: AiMetrics,
  ) {}

  async generate(input: InsightInput): Promise<GeneratedInsight> {
    const started = Date.now();
    const usage: StoredInsightUsage = { promptTokens: 0, completionTokens: 0, totalTokens: 0 };
    let calls = 0;
    const fallback = (reason: string, kind: string): GeneratedInsight => {
      this.metrics.fallbacks.inc({ reason: kind });
      const latencyMs = Date.now() - started;
      this.metrics.latency.observe({ source: InsightSource.FALLBACK }, latencyMs / 1000);
      return {
        content: fallbackInsight(input),
        source: InsightSource.FALLBACK,
        fallbackReason: reason,
        model: null,
        usage: calls > 0 ? usage : null,
        latencyMs,
        calls,
      };
    };

    if (!this.client.configured) return fallback('no OPENAI_API_KEY configured', 'no_key');
    if (!(await this.breaker.allow())) {
      this.metrics.breakerOpen.set(1);
      return fallback('circuit breaker open after repeated OpenAI failures', 'breaker_open');
    }
    const messages = buildInsightMessages(input);
    let invalid = '';
    for (let round = 1; round <= 2; round++) {
      const window = await this.budget.reserve(TOKEN_ESTIMATE);
      let answer;
      try {
        answer = await this.client.complete(messages);
      } catch (error) {
        await this.budget.settle(window, TOKEN_ESTIMATE, 0);
        const failure =
          error instanceof InsightCallError
            ? error
            : new InsightCallError('connection', undefined, 1, String(error));
        calls += failure.calls;
        this.metrics.calls.inc({ outcome: 'failed' }, Math.max(failure.calls, 1));
        this.metrics.failures.inc({ kind: failure.kind });
        const state = await this.breaker.recordFailure();
        this.metrics.breakerOpen.set(state.state === 'OPEN' ? 1 : 0);
        this.logger.warn({ msg: 'insight call failed; fallback used', kind: failure.kind });
        return fallback(`OpenAI call failed: ${failure.message}`, failure.kind);
      }
      calls += answer.calls;
      this.metrics.calls.inc({ outcome: 'answered' });
      if (answer.calls > 1) this.metrics.calls.inc({ outcome: 'failed' }, answer.calls - 1);
      usage.promptTokens += answer.usage.promptTokens;
      usage.completionTokens += answer.usage.completionTokens;
      usage.totalTokens += answer.usage.totalTokens;
      this.metrics.tokens.inc({ type: 'prompt' }, answer.usage.promptTokens);
      this.metrics.tokens.inc({ type: 'completion' }, answer.usage.completionTokens);
      await this.budget.settle(window, TOKEN_ESTIMATE, answer.usage.totalTokens);
      await this.breaker.recordSuccess();
      this.metrics.breakerOpen.set(0);
      const parsed = parseInsight(answer.content);
      if (parsed.ok) {
        const latencyMs = Date.now() - started;
        this.metrics.latency.observe({ source: InsightSource.OPENAI }, latencyMs / 1000);
        return {
          content: parsed.value,
          source: InsightSource.OPENAI,
          fallbackReason: null,
          model: answer.model,
          usage,
          latencyMs,
          calls,
        };
      }
      invalid = parsed.reason;
      this.metrics.failures.inc({ kind: 'invalid_answer' });
    }
    return fallback(`the answer was invalid twice (${invalid})`, 'invalid_answer');
  }
}
