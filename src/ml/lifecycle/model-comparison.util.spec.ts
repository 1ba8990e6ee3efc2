import { compareLive } from './model-comparison.util';

describe('compareLive', () => {
  // 4 outcomes: the challenger ranks both conversions first, the champion mixes them.
  const outcomes = [
    { converted: true, championScore: 80, challengerScore: 90 },
    { converted: false, championScore: 75, challengerScore: 30 },
    { converted: true, championScore: 20, challengerScore: 55 },
    { converted: false, championScore: 50, challengerScore: 10 },
  ];

  it("gives each model its AUC and its tiers' conversion", () => {
    const result = compareLive(outcomes, { hot: 70, warm: 40 });
    expect(result).toMatchObject({ outcomes: 4, converted: 2 });
    // Champion pairs (converted > lost): 80>75, 80>50, 20<75, 20<50 → 2 of 4.
    expect(result.champion.auc).toBeCloseTo(0.5, 12);
    expect(result.challenger.auc).toBe(1);
    expect(result.champion.byTier).toEqual([
      { tier: 'HOT', outcomes: 2, converted: 1, conversionRate: 0.5 },
      { tier: 'WARM', outcomes: 1, converted: 0, conversionRate: 0 },
      { tier: 'COLD', outcomes: 1, converted: 1, conversionRate: 1 },
    ]);
    expect(result.challenger.byTier).toEqual([
      { tier: 'HOT', outcomes: 1, converted: 1, conversionRate: 1 },
      { tier: 'WARM', outcomes: 1, converted: 1, conversionRate: 1 },
      { tier: 'COLD', outcomes: 2, converted: 0, conversionRate: 0 },
    ]);
  });

  it('has no AUC with one class and no rate for an empty tier', () => {
    const result = compareLive([outcomes[0]], { hot: 70, warm: 40 });
    expect(result.champion.auc).toBeNull();
    expect(result.champion.byTier[1].conversionRate).toBeNull();
  });
});
