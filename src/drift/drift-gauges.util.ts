/** One tenant's drift at its last check. */
export interface TenantDrift {
  readonly tenant: string;
  readonly maxFeaturePsi: number;
  readonly scorePsi: number;
  readonly flaggedFeatures: number;
}

export interface DriftGaugeValues {
  /** Tenants whose last check flagged at least one feature. */
  readonly tenantsFlagged: number;
  /** The largest feature PSI over all tenants (0 when none was checked). */
  readonly maxFeaturePsi: number;
  /** The largest score PSI over all tenants. */
  readonly maxScorePsi: number;
  /** The `limit` most drifted tenants, most drifted first: the only per-tenant series. */
  readonly top: readonly TenantDrift[];
}

/**
 * What the drift gauges show: totals over every tenant plus a bounded top-N by drift, so that the
 * number of series never grows with the number of tenants (Prometheus' cardinality rule) while an
 * operator still sees which tenants drift most. Ties go to the tenant id, for a stable order.
 */
export function driftGaugeValues(drifts: Iterable<TenantDrift>, limit: number): DriftGaugeValues {
  const all = [...drifts];
  const top = [...all]
    .sort(
      (a, b) =>
        b.flaggedFeatures - a.flaggedFeatures ||
        b.maxFeaturePsi - a.maxFeaturePsi ||
        b.scorePsi - a.scorePsi ||
        (a.tenant < b.tenant ? -1 : a.tenant > b.tenant ? 1 : 0),
    )
    .slice(0, Math.max(0, limit));
  return {
    tenantsFlagged: all.filter((drift) => drift.flaggedFeatures > 0).length,
    maxFeaturePsi: Math.max(0, ...all.map((drift) => drift.maxFeaturePsi)),
    maxScorePsi: Math.max(0, ...all.map((drift) => drift.scorePsi)),
    top,
  };
}
