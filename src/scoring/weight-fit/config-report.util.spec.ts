import { distributionOf, reportConfig, scoresAtOutcomes } from './config-report.util';
import { daysAfter, START } from './__tests__/synthetic-outcomes.factory';

const T = daysAfter(START, 30);
const config = {
  parameters: { weights: [0.5, 0.5, 0] as const, caps: [10, 20, 600] as const, halfLifeDays: 7 },
  thresholds: { hot: 70, warm: 40 },
};
const engagement = (opens: number, visits: number, last: Date | null) => ({
  emailOpens: opens,
  websiteVisits: visits,
  timeSpentSeconds: 0,
  lastActivityAt: last,
});
// Scores at T: opens capped today 0.5 → 50; visits capped a half-life ago 0.5 · 0.5 → 25;
// half the opens' cap today 0.5 · 0.5 → 25; never active → 0.
const outcomes = {
  engagements: [
    engagement(10, 0, T),
    engagement(0, 20, daysAfter(T, -7)),
    engagement(5, 0, T),
    engagement(0, 0, null),
  ],
  times: [T, T, T, T],
  labels: Uint8Array.from([1, 1, 0, 0]),
};

describe('scoresAtOutcomes', () => {
  it('scores each outcome at its own time with the product’s scorer (hand-worked)', () => {
    expect(Array.from(scoresAtOutcomes(outcomes, config.parameters))).toEqual([50, 25, 25, 0]);
  });
});

describe('reportConfig', () => {
  it('gives the held-out AUC and the distribution of every outcome (hand-worked)', () => {
    // Pairs (converted, lost): 50 > 25, 50 > 0, 25 = 25 (½), 25 > 0: 3.5 of 4.
    const sut = reportConfig({ outcomes, config, heldOut: [0, 1, 2, 3] });
    expect(sut.heldOutAuc).toBe(0.875);
    expect(sut.distribution.outcomes).toBe(4);
    expect(sut.distribution.tiers).toEqual({
      hot: { outcomes: 0, converted: 0 },
      warm: { outcomes: 1, converted: 1 },
      cold: { outcomes: 3, converted: 1 },
    });
  });

  it('scores the AUC on the held-out rows only', () => {
    // B (25, converted) against C (25, lost): a tie, ½.
    expect(reportConfig({ outcomes, config, heldOut: [1, 2] }).heldOutAuc).toBe(0.5);
  });
});

describe('distributionOf', () => {
  it('counts tiers with their conversions and interpolates quantiles (hand-worked)', () => {
    // Sorted 0, 25, 50, 100: p10 at rank 0.3 → 7.5, p50 at 1.5 → 37.5, p90 at 2.7 → 85.
    const sut = distributionOf(
      Float64Array.from([100, 0, 50, 25]),
      Uint8Array.from([1, 0, 1, 0]),
      config.thresholds,
    );
    expect(sut).toEqual({
      outcomes: 4,
      mean: 43.75,
      p10: 7.5,
      p50: 37.5,
      p90: 85,
      tiers: {
        hot: { outcomes: 1, converted: 1 },
        warm: { outcomes: 1, converted: 1 },
        cold: { outcomes: 2, converted: 0 },
      },
    });
  });

  it('is all zeros with no scores', () => {
    const sut = distributionOf(new Float64Array(0), new Uint8Array(0), config.thresholds);
    expect(sut).toMatchObject({ outcomes: 0, mean: 0, p10: 0, p50: 0, p90: 0 });
  });
});
