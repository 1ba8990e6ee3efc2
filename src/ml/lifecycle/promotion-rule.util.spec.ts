import { decidePromotion, DEFAULT_PROMOTION_RULE } from './promotion-rule.util';

const rule = DEFAULT_PROMOTION_RULE;

describe('decidePromotion', () => {
  it('promotes a challenger within 0.005 AUC and 10 % Brier of the champion', () => {
    // AUC floor 0.800 − 0.005 = 0.795; Brier ceiling 0.090 × 1.1 = 0.099.
    const decision = decidePromotion({
      champion: { auc: 0.8, brier: 0.09 },
      challenger: { auc: 0.796, brier: 0.098 },
      championAgeDays: 10,
      rule,
    });
    expect(decision).toMatchObject({ promote: true, aucOk: true, brierOk: true });
    expect(decision.reasons[0]).toBe('AUC 0.7960 ≥ 0.7950 (champion 0.8000 − 0.005)');
  });

  it('keeps the champion when the challenger loses more AUC, or calibrates worse', () => {
    expect(
      decidePromotion({
        champion: { auc: 0.8, brier: 0.09 },
        challenger: { auc: 0.794, brier: 0.08 },
        championAgeDays: 10,
        rule,
      }),
    ).toMatchObject({ promote: false, aucOk: false, brierOk: true });
    expect(
      decidePromotion({
        champion: { auc: 0.8, brier: 0.09 },
        challenger: { auc: 0.81, brier: 0.1 },
        championAgeDays: 10,
        rule,
      }),
    ).toMatchObject({ promote: false, aucOk: true, brierOk: false });
  });

  it('replaces a trained champion older than 90 days anyway, never the weighted sum for age', () => {
    const worse = { auc: 0.7, brier: 0.2 };
    expect(
      decidePromotion({
        champion: { auc: 0.8, brier: 0.09 },
        challenger: worse,
        championAgeDays: 91,
        rule,
      }),
    ).toMatchObject({ promote: true, championExpired: true });
    expect(
      decidePromotion({
        champion: { auc: 0.8, brier: 0.09 },
        challenger: worse,
        championAgeDays: null,
        rule,
      }),
    ).toMatchObject({ promote: false, championExpired: false });
  });

  it('never promotes a challenger without finite figures', () => {
    expect(
      decidePromotion({
        champion: { auc: 0.8, brier: 0.09 },
        challenger: { auc: NaN, brier: 0.05 },
        championAgeDays: 200,
        rule,
      }).promote,
    ).toBe(false);
  });
});
