import { describe, expect, it } from '@jest/globals';

import { medianRun, percentile, summarize, summarizeDeliveries } from './stats.util';

describe('percentile (nearest rank)', () => {
  const sorted = Array.from({ length: 20 }, (_, i) => i + 1); // 1..20

  it('takes the ceil(p·n)-th smallest sample', () => {
    expect(percentile(sorted, 50)).toBe(10);
    expect(percentile(sorted, 95)).toBe(19);
    expect(percentile(sorted, 99)).toBe(20);
    expect(percentile([7], 99)).toBe(7);
    expect(percentile([], 50)).toBeNaN();
  });

  it('summarizes unsorted samples', () => {
    expect(summarize([30, 10, 20, 40])).toEqual({ n: 4, p50: 20, p95: 40, p99: 40, mean: 25 });
  });
});

describe('medianRun: one run per row', () => {
  const a = { p50: 5, p95: 30, p99: 40 };
  const b = { p50: 9, p95: 10, p99: 90 };
  const c = { p50: 1, p95: 20, p99: 25 };

  it('reports the median run by the key with its own other figures, not per-key medians', () => {
    // Per-key medians would give 5 / 20 / 40: a p50 and a p99 from run a beside run c's p95.
    expect(medianRun([a, b, c], 'p95')).toEqual({ index: 2, run: c });
  });

  it('takes the lower middle of an even count, and the earlier run on a tie', () => {
    expect(medianRun([a, b, c, { p50: 2, p95: 50, p99: 60 }], 'p95')).toEqual({
      index: 2,
      run: c,
    });
    expect(medianRun([a, { ...a }, b], 'p95').index).toBe(0);
    expect(() => medianRun([], 'p95')).toThrow('no runs');
  });
});

describe('summarizeDeliveries', () => {
  it('counts undelivered events and failed sends apart from the delays', () => {
    const result = summarizeDeliveries([
      { ms: 12 },
      'undelivered',
      { ms: 8 },
      'send-failed',
      { ms: 30 },
      'undelivered',
    ]);
    expect(result).toEqual({
      sent: 5,
      delivered: 3,
      undelivered: 2,
      failedSends: 1,
      p50: 12,
      p95: 30,
      p99: 30,
    });
  });
});
