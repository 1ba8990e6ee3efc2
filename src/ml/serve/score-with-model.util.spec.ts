import { DEFAULT_LOGISTIC_REGRESSION_PARAMS } from '../models/logistic-regression/logistic-regression.util';
import { LogisticRegressionModel } from '../models/logistic-regression/logistic-regression.util';
import { normalizeTransformation, FittedTransformation } from '../transform/transformation.util';
import { scoreRawFeatures, scoreWithModel, servingModel } from './score-with-model.util';

// x as it is (no scaling), c one-hot over a and b.
const fitted: FittedTransformation = {
  config: normalizeTransformation({}),
  features: [
    {
      kind: 'numeric',
      name: 'x',
      log1p: false,
      fill: 0,
      missingIndicator: false,
      center: 0,
      scale: 1,
    },
    { kind: 'categorical', name: 'c', levels: ['a', 'b'], other: false, missing: false },
  ],
  outputNames: ['x', 'c=a', 'c=b'],
  warnings: [],
};
const model: LogisticRegressionModel = {
  type: 'LOGISTIC_REGRESSION',
  intercept: -1,
  coefficients: [0.5, 1, -2],
  params: DEFAULT_LOGISTIC_REGRESSION_PARAMS,
  importance: [0.2, 0.4, 0.4],
  iterations: 1,
  notes: [],
};

describe('scoring a lead with a trained model', () => {
  const serving = servingModel(model, fitted);

  it('sums contributions per raw feature, adding up with the base to the logit', () => {
    // Inputs [2, 0, 1]: logit = −1 + 0.5·2 + 1·0 − 2·1 = −2; p = 1/(1 + e²) = 0.11920; score 12.
    const result = scoreRawFeatures(serving, { x: 2, c: 'b' });
    expect(result.logit).toBeCloseTo(-2, 12);
    expect(result.base).toBe(-1);
    expect(result.probability).toBeCloseTo(1 / (1 + Math.exp(2)), 12);
    expect(result.score).toBe(12);
    // Largest contribution first: x (+1), then c (the one-hot columns of c summed: 0 − 2).
    expect(result.factors).toEqual([
      { feature: 'x', value: '2', contribution: 1 },
      { feature: 'c', value: 'b', contribution: -2 },
    ]);
  });

  it('treats a missing or unseen value as the transformation does', () => {
    // x missing → filled with 0; c unseen → all zeros: logit = −1, p = 0.26894, score 27.
    const result = scoreRawFeatures(serving, { c: 'zzz' });
    expect(result.factors).toEqual([
      { feature: 'c', value: 'zzz', contribution: 0 },
      { feature: 'x', value: null, contribution: 0 },
    ]);
    expect(result.score).toBe(27);
  });

  it('reads a live lead through the shared raw features (attributes by name)', () => {
    const result = scoreWithModel(
      serving,
      {
        emailOpens: 0,
        websiteVisits: 0,
        timeSpentSeconds: 0,
        lastActivityAt: null,
        attributes: { x: 4, c: 'a' },
      },
      new Date('2026-01-01T00:00:00Z'),
    );
    // −1 + 0.5·4 + 1 = 2 → p = 0.88080, score 88.
    expect(result.score).toBe(88);
  });
});
