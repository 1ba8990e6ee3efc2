import { Injectable } from '@nestjs/common';
import { Counter, Histogram } from 'prom-client';

import { MetricsService } from '@/metrics/metrics.service';

export type DeliveryOutcome = 'delivered' | 'retrying' | 'dead' | 'skipped';

/** Outbound webhook attempts; by event type only (no tenant or webhook labels). */
@Injectable()
export class WebhookMetrics {
  readonly deliveries: Counter<'event' | 'outcome'>;
  readonly duration: Histogram<'event'>;

  constructor(metrics: MetricsService) {
    const registers = [metrics.registry];
    this.deliveries = new Counter({
      name: 'leadscoring_webhook_deliveries_total',
      help: 'Outbound webhook attempts by event type and outcome: delivered (2xx), retrying (failed, tried again later), dead (dead-lettered: retry window over, or refused by the SSRF rules), skipped (webhook paused).',
      labelNames: ['event', 'outcome'],
      registers,
    });
    this.duration = new Histogram({
      name: 'leadscoring_webhook_delivery_duration_seconds',
      help: 'Time of one outbound webhook attempt (connect, send, answer), by event type.',
      labelNames: ['event'],
      buckets: [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
      registers,
    });
  }

  record(event: string, outcome: DeliveryOutcome, durationMs?: number): void {
    this.deliveries.inc({ event, outcome });
    if (durationMs !== undefined) this.duration.observe({ event }, durationMs / 1000);
  }
}
