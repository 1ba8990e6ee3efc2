import { Injectable } from '@nestjs/common';
import { Gauge } from 'prom-client';

import { MetricsService } from '@/metrics/metrics.service';

import type { DriftReport } from './schemas/drift-report.schema';

/**
 * Drift of each tenant's deployed model as of the last check this process ran, one series per
 * tenant (never per feature: a tenant's attributes are its own and unbounded in number).
 */
@Injectable()
export class DriftMetrics {
  private readonly maxFeaturePsi: Gauge<'tenant'>;
  private readonly scorePsi: Gauge<'tenant'>;
  private readonly flaggedFeatures: Gauge<'tenant'>;

  constructor(metrics: MetricsService) {
    this.maxFeaturePsi = new Gauge({
      name: 'leadscoring_model_drift_max_feature_psi',
      help: "The largest feature PSI of the tenant's deployed model at its last drift check.",
      labelNames: ['tenant'],
      registers: [metrics.registry],
    });
    this.scorePsi = new Gauge({
      name: 'leadscoring_model_drift_score_psi',
      help: "PSI of the deployed model's score distribution at its last drift check.",
      labelNames: ['tenant'],
      registers: [metrics.registry],
    });
    this.flaggedFeatures = new Gauge({
      name: 'leadscoring_model_drift_flagged_features',
      help: 'Features whose PSI was above the tenant threshold at the last drift check.',
      labelNames: ['tenant'],
      registers: [metrics.registry],
    });
  }

  record(report: DriftReport): void {
    const tenant = report.tenantId.toHexString();
    this.maxFeaturePsi.set({ tenant }, report.maxFeaturePsi);
    this.scorePsi.set({ tenant }, report.score.psi);
    this.flaggedFeatures.set({ tenant }, report.flaggedFeatures.length);
  }
}
