import { Injectable } from '@nestjs/common';
import { Gauge } from 'prom-client';

import { MetricsService } from '@/metrics/metrics.service';

import { driftGaugeValues, TenantDrift } from './drift-gauges.util';
import type { DriftReport } from './schemas/drift-report.schema';

/** Per-tenant series only for the most drifted tenants: the series count stays bounded. */
export const DRIFT_TOP_TENANTS = 10;

/**
 * Drift of the tenants' deployed models as of the last check this process ran for each: totals
 * over all tenants, and the `DRIFT_TOP_TENANTS` most drifted tenants by name (never one series per
 * tenant or per feature: both are unbounded). Values are computed when Prometheus scrapes.
 */
@Injectable()
export class DriftMetrics {
  private readonly lastCheck = new Map<string, TenantDrift>();

  constructor(metrics: MetricsService) {
    const values = () => driftGaugeValues(this.lastCheck.values(), DRIFT_TOP_TENANTS);
    const registers = [metrics.registry];
    new Gauge({
      name: 'leadscoring_model_drift_tenants_flagged',
      help: 'Tenants whose deployed model had at least one feature above the PSI threshold at its last drift check.',
      registers,
      collect() {
        this.set(values().tenantsFlagged);
      },
    });
    new Gauge({
      name: 'leadscoring_model_drift_max_feature_psi_overall',
      help: 'The largest feature PSI over all tenants at their last drift checks.',
      registers,
      collect() {
        this.set(values().maxFeaturePsi);
      },
    });
    new Gauge({
      name: 'leadscoring_model_drift_max_score_psi_overall',
      help: 'The largest score-distribution PSI over all tenants at their last drift checks.',
      registers,
      collect() {
        this.set(values().maxScorePsi);
      },
    });
    const perTenant = (name: string, help: string, pick: (drift: TenantDrift) => number) =>
      new Gauge({
        name,
        help: `${help} Only the ${DRIFT_TOP_TENANTS} most drifted tenants (flagged features, then PSI).`,
        labelNames: ['tenant'],
        registers,
        collect() {
          this.reset();
          for (const drift of values().top) this.set({ tenant: drift.tenant }, pick(drift));
        },
      });
    perTenant(
      'leadscoring_model_drift_max_feature_psi',
      "The largest feature PSI of the tenant's deployed model at its last drift check.",
      (drift) => drift.maxFeaturePsi,
    );
    perTenant(
      'leadscoring_model_drift_score_psi',
      "PSI of the tenant's deployed model's score distribution at its last drift check.",
      (drift) => drift.scorePsi,
    );
    perTenant(
      'leadscoring_model_drift_flagged_features',
      'Features whose PSI was above the tenant threshold at the last drift check.',
      (drift) => drift.flaggedFeatures,
    );
  }

  record(report: DriftReport): void {
    const tenant = report.tenantId.toHexString();
    this.lastCheck.set(tenant, {
      tenant,
      maxFeaturePsi: report.maxFeaturePsi,
      scorePsi: report.score.psi,
      flaggedFeatures: report.flaggedFeatures.length,
    });
  }
}
