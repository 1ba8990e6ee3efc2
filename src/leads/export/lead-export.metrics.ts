import { Injectable } from '@nestjs/common';
import { Counter } from 'prom-client';

import { MetricsService } from '@/metrics/metrics.service';

/** How an export ended: every row written, the client gone first, or a failure mid-stream. */
export type ExportOutcome = 'completed' | 'aborted' | 'failed';

/** Exports of `GET /leads/scoring/export` and the rows they wrote (tenants aggregated). */
@Injectable()
export class LeadExportMetrics {
  readonly exports: Counter<'format' | 'outcome'>;
  readonly rows: Counter<'format'>;

  constructor(metrics: MetricsService) {
    const registers = [metrics.registry];
    this.exports = new Counter({
      name: 'leadscoring_lead_exports_total',
      help: 'Lead score exports that started streaming, by format and how they ended.',
      labelNames: ['format', 'outcome'],
      registers,
    });
    this.rows = new Counter({
      name: 'leadscoring_lead_export_rows_total',
      help: 'Leads handed to the response stream by exports, by format.',
      labelNames: ['format'],
      registers,
    });
  }
}
