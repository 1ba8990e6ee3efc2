import { explanationOf, formatPoints, formatSigned, sumPoints, topFactors } from './breakdown';

describe('breakdown helpers', () => {
  it('adds points to the hundredth without floating-point dust', () => {
    expect(0.1 + 0.2).not.toBe(0.3);
    expect(sumPoints([{ contribution: 0.1 }, { contribution: 0.2 }])).toBe(0.3);
    expect(
      formatPoints(
        sumPoints([{ contribution: 37.8 }, { contribution: 40.12 }, { contribution: 16.78 }]),
      ),
    ).toBe('94.7');
  });

  it('signs numbers with a real minus sign', () => {
    expect(formatSigned(0.823)).toBe('+0.82');
    expect(formatSigned(-0.31)).toBe('−0.31');
    expect(formatSigned(0)).toBe('0.00');
  });

  it('keeps the largest contributions of each sign, largest first', () => {
    const factors = [-0.1, 2, -3, 0.5, 0, 1, -0.2].map((contribution, i) => ({
      feature: `f${i}`,
      value: null,
      contribution,
    }));
    const { raising, lowering } = topFactors(factors, 2);
    expect(raising.map((f) => f.contribution)).toEqual([2, 1]);
    expect(lowering.map((f) => f.contribution)).toEqual([-3, -0.2]);
  });

  it('names the explanation method, or what the model type implies', () => {
    expect(explanationOf({ explanationMethod: 'SAABAS', modelType: 'GRADIENT_BOOSTING' })).toMatch(
      /SAABAS/,
    );
    expect(explanationOf({ explanationMethod: null, modelType: 'LOGISTIC_REGRESSION' })).toMatch(
      /weight × its input/,
    );
    expect(explanationOf({ explanationMethod: null, modelType: 'NAIVE_BAYES' })).toMatch(
      /log-likelihood/,
    );
  });
});
