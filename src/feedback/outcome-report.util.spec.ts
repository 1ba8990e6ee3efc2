import { PriorityTier } from '@/scoring/scorer/priority-tier.util';

import {
  decileOf,
  outcomeReport,
  OutcomeReportBuilder,
  ReportedOutcome,
} from './outcome-report.util';

const won = (score: number, tier: PriorityTier): ReportedOutcome => ({
  score,
  tier,
  converted: true,
});
const lost = (score: number, tier: PriorityTier): ReportedOutcome => ({
  score,
  tier,
  converted: false,
});

describe('outcomeReport', () => {
  it('puts each score in its ten-point band, 100 in the tenth', () => {
    expect([0, 9.99, 10, 39.5, 90, 99.99, 100].map(decileOf)).toEqual([1, 1, 2, 4, 10, 10, 10]);
  });

  it('counts conversion per tier and decile on hand-made outcomes', () => {
    // HOT: 75 won, 80 won, 95 lost → 2/3. WARM: 45 won, 50 lost → 1/2. COLD: 5 lost, 12 lost → 0/2.
    const sut = outcomeReport([
      won(75, PriorityTier.HOT),
      won(80, PriorityTier.HOT),
      lost(95, PriorityTier.HOT),
      won(45, PriorityTier.WARM),
      lost(50, PriorityTier.WARM),
      lost(5, PriorityTier.COLD),
      lost(12, PriorityTier.COLD),
    ]);
    expect(sut.outcomes).toBe(7);
    expect(sut.converted).toBe(3);
    expect(sut.conversionRate).toBeCloseTo(3 / 7, 12);
    expect(sut.tiers).toEqual([
      { tier: PriorityTier.HOT, outcomes: 3, converted: 2, conversionRate: 2 / 3 },
      { tier: PriorityTier.WARM, outcomes: 2, converted: 1, conversionRate: 0.5 },
      { tier: PriorityTier.COLD, outcomes: 2, converted: 0, conversionRate: 0 },
    ]);
    const rates = sut.deciles.map((d) => [d.decile, d.outcomes, d.converted, d.conversionRate]);
    expect(rates).toEqual([
      [1, 1, 0, 0],
      [2, 1, 0, 0],
      [3, 0, 0, null],
      [4, 0, 0, null],
      [5, 1, 1, 1],
      [6, 1, 0, 0],
      [7, 0, 0, null],
      [8, 1, 1, 1],
      [9, 1, 1, 1],
      [10, 1, 0, 0],
    ]);
    // 0, 0, 1, 0 ... falls from decile 5 to 6.
    expect(sut.rateRisesWithScore).toBe(false);
    expect(sut.deciles[9]).toMatchObject({ minScore: 90, maxScore: 100 });
    expect(sut.deciles[0]).toMatchObject({ minScore: 0, maxScore: 9.99 });
  });

  it('says the rate rises with the score when it never falls between non-empty deciles', () => {
    const sut = outcomeReport([
      lost(5, PriorityTier.COLD),
      won(55, PriorityTier.WARM),
      lost(58, PriorityTier.WARM),
      won(91, PriorityTier.HOT),
    ]);
    // Decile 1: 0, decile 6: 1/2, decile 10: 1.
    expect(sut.rateRisesWithScore).toBe(true);
  });

  it('has no rates and no verdict without outcomes', () => {
    const sut = outcomeReport([]);
    expect(sut.conversionRate).toBeNull();
    expect(sut.tiers.every((t) => t.outcomes === 0 && t.conversionRate === null)).toBe(true);
    expect(sut.rateRisesWithScore).toBeNull();
  });

  it('builds the same report from outcomes added one at a time, in any number of steps', () => {
    const tiers = [PriorityTier.COLD, PriorityTier.WARM, PriorityTier.HOT];
    // 3,000 outcomes over every decile and tier; every third converts.
    const all = Array.from({ length: 3_000 }, (_, i) => ({
      score: (i * 7) % 101,
      tier: tiers[i % 3],
      converted: i % 3 === 0,
    }));
    const sut = new OutcomeReportBuilder();
    all.slice(0, 1_000).forEach((outcome) => sut.add(outcome));
    const partial = sut.build();
    expect(partial).toEqual(outcomeReport(all.slice(0, 1_000)));
    all.slice(1_000).forEach((outcome) => sut.add(outcome));
    expect(sut.build()).toEqual(outcomeReport(all));
    expect(sut.build()).toEqual(sut.build());
    // A report handed out earlier is not changed by later additions.
    expect(partial.outcomes).toBe(1_000);
    expect(sut.build()).toMatchObject({ outcomes: 3_000, converted: 1_000 });
  });

  it('matches the hand-made report when fed one outcome at a time', () => {
    const sut = new OutcomeReportBuilder()
      .add(won(75, PriorityTier.HOT))
      .add(lost(95, PriorityTier.HOT))
      .add(won(45, PriorityTier.WARM))
      .add(lost(5, PriorityTier.COLD));
    expect(sut.build()).toMatchObject({ outcomes: 4, converted: 2, conversionRate: 0.5 });
    expect(sut.build().tiers).toEqual([
      { tier: PriorityTier.HOT, outcomes: 2, converted: 1, conversionRate: 0.5 },
      { tier: PriorityTier.WARM, outcomes: 1, converted: 1, conversionRate: 1 },
      { tier: PriorityTier.COLD, outcomes: 1, converted: 0, conversionRate: 0 },
    ]);
    // Deciles 1: 0/1, 5: 1/1, 8: 1/1, 10: 0/1.
    expect(sut.build().rateRisesWithScore).toBe(false);
  });
});
