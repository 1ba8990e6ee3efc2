import { Registry } from 'prom-client';

import type { MetricsService } from '@/metrics/metrics.service';

import { ScoringMetrics } from './scoring-metrics';

describe('ScoringMetrics', () => {
  it('reports the freshness KPI as unknown (NaN) until a freshness job has measured it', async () => {
    // Only the registry is used: the service's own series are not under test.
    const metrics = { registry: new Registry() } as MetricsService;
    const sut = new ScoringMetrics(metrics);
    const before = await metrics.registry.metrics();
    // prom-client writes "Nan"; Prometheus reads NaN case-insensitively (Go's ParseFloat).
    expect(before).toMatch(/^leadscoring_scores_fresh_ratio(\{[^}]*\})? nan$/im);
    expect(before).toMatch(/^leadscoring_tenants_below_freshness_target(\{[^}]*\})? nan$/im);

    sut.freshRatio.set(0.97);
    sut.tenantsBelowTarget.set(0);
    const after = await metrics.registry.metrics();
    expect(after).toMatch(/^leadscoring_scores_fresh_ratio(\{[^}]*\})? 0\.97$/m);
    expect(after).toMatch(/^leadscoring_tenants_below_freshness_target(\{[^}]*\})? 0$/m);
  });

  it('times a stage whether its work succeeds or fails, and hands back its result', async () => {
    const metrics = { registry: new Registry() } as MetricsService;
    const sut = new ScoringMetrics(metrics);
    await expect(sut.timed('write', () => Promise.resolve(7))).resolves.toBe(7);
    await expect(sut.timed('write', () => Promise.reject(new Error('down')))).rejects.toThrow(
      'down',
    );
    sut.stage('compute', performance.now() - 5);
    const text = await metrics.registry.metrics();
    expect(text).toMatch(/^leadscoring_scoring_stage_seconds_count\{stage="write"\} 2$/m);
    const compute = /^leadscoring_scoring_stage_seconds_sum\{stage="compute"\} (\S+)$/m.exec(text);
    expect(Number(compute?.[1])).toBeGreaterThanOrEqual(0.005);
  });
});
