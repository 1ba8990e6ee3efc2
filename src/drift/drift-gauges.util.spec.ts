import { driftGaugeValues, TenantDrift } from './drift-gauges.util';

const drift = (tenant: string, maxFeaturePsi: number, scorePsi: number, flagged: number) =>
  ({ tenant, maxFeaturePsi, scorePsi, flaggedFeatures: flagged }) satisfies TenantDrift;

describe('driftGaugeValues', () => {
  it('is all zeros before any check', () => {
    expect(driftGaugeValues([], 5)).toEqual({
      tenantsFlagged: 0,
      maxFeaturePsi: 0,
      maxScorePsi: 0,
      top: [],
    });
  });

  it('totals over every tenant and keeps only the top N, flagged first, then by PSI', () => {
    const drifts = [
      drift('a', 0.05, 0.01, 0),
      drift('b', 0.31, 0.08, 1),
      drift('c', 0.12, 0.4, 0),
      drift('d', 0.25, 0.02, 2),
      drift('e', 0.31, 0.09, 1),
    ];
    const values = driftGaugeValues(drifts, 3);
    expect(values.tenantsFlagged).toBe(3);
    expect(values.maxFeaturePsi).toBe(0.31);
    expect(values.maxScorePsi).toBe(0.4);
    // d flags 2 features; b and e flag 1 with PSI 0.31, e's score PSI is the larger.
    expect(values.top.map((t) => t.tenant)).toEqual(['d', 'e', 'b']);
  });

  it('orders exact ties by tenant id, and a limit of 0 keeps no tenant series', () => {
    const values = driftGaugeValues([drift('y', 0.2, 0.1, 1), drift('x', 0.2, 0.1, 1)], 5);
    expect(values.top.map((t) => t.tenant)).toEqual(['x', 'y']);
    expect(driftGaugeValues([drift('x', 0.2, 0.1, 1)], 0).top).toEqual([]);
  });
});
