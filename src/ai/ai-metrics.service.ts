import { Injectable } from '@nestjs/common';
import { Counter, Gauge, Histogram } from 'prom-client';

import { MetricsService } from '@/metrics/metrics.service';

/** What the AI insights cost and how they fail; no tenant or lead labels (nothing personal). */
@Injectable()
export class AiMetrics {
  readonly calls: Counter<'outcome'>;
  readonly failures: Counter<'kind'>;
  readonly fallbacks: Counter<'reason'>;
  readonly cacheHits: Counter;
  readonly tokens: Counter<'type'>;
  readonly latency: Histogram<'source'>;
  readonly breakerOpen: Gauge;

  constructor(metrics: MetricsService) {
    const registers = [metrics.registry];
    this.calls = new Counter({
      name: 'leadscoring_ai_calls_total',
      help: 'Chat Completions calls made for insights (retries included), by outcome.',
      labelNames: ['outcome'],
      registers,
    });
    this.failures = new Counter({
      name: 'leadscoring_ai_failures_total',
      help: 'Insight calls that failed after their retries, or answered invalid JSON, by kind.',
      labelNames: ['kind'],
      registers,
    });
    this.fallbacks = new Counter({
      name: 'leadscoring_ai_fallbacks_total',
      help: 'Insights written by the deterministic fallback, by reason.',
      labelNames: ['reason'],
      registers,
    });
    this.cacheHits = new Counter({
      name: 'leadscoring_ai_cache_hits_total',
      help: "Insight requests answered from the lead's stored insight (same state), no call made.",
      registers,
    });
    this.tokens = new Counter({
      name: 'leadscoring_ai_tokens_total',
      help: 'Tokens used by insight calls.',
      labelNames: ['type'],
      registers,
    });
    this.latency = new Histogram({
      name: 'leadscoring_ai_insight_seconds',
      help: 'Time to write one insight (calls and retries included), by source.',
      labelNames: ['source'],
      buckets: [0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 20, 40],
      registers,
    });
    this.breakerOpen = new Gauge({
      name: 'leadscoring_ai_breaker_open',
      help: '1 while this process last saw the OpenAI circuit breaker open, else 0.',
      registers,
    });
  }
}
