import {
  DEFAULT_GRADIENT_BOOSTING_PARAMS,
  GradientBoostingModel,
  TREE_SHAP_MAX_NODES,
} from '../models/gradient-boosting/gradient-boosting.util';
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

  it('says how a boosting model was explained; no method for logistic regression', () => {
    // x ≤ 1 → −0.5 (3 rows) | 1.5 (1 row): mean 0, so TreeSHAP and Saabas agree here.
    const stump = {
      feature: [0, -1, -1],
      threshold: [1, 0, 0],
      missingLeft: [false, false, false],
      left: [1, -1, -1],
      right: [2, -1, -1],
      value: [0, -0.5, 1.5],
      cover: [4, 3, 1],
    };
    const boosting = (trees: number): GradientBoostingModel => ({
      type: 'GRADIENT_BOOSTING',
      baseLogit: -1,
      trees: Array.from({ length: trees }, () => stump),
      params: DEFAULT_GRADIENT_BOOSTING_PARAMS,
      importance: [1, 0, 0],
      iterations: trees,
      notes: [],
    });
    const small = scoreRawFeatures(servingModel(boosting(1), fitted), { x: 2, c: 'b' });
    expect(small.method).toBe('TREE_SHAP');
    expect(small.logit).toBeCloseTo(0.5, 14);
    expect(small.factors[0]).toEqual({ feature: 'x', value: '2', contribution: 1.5 });
    const trees = Math.floor(TREE_SHAP_MAX_NODES / 3) + 1;
    const large = scoreRawFeatures(servingModel(boosting(trees), fitted), { x: 2, c: 'b' });
    expect(large.method).toBe('SAABAS');
    expect(large.logit).toBeCloseTo(-1 + 1.5 * trees, 12);
    expect('method' in scoreRawFeatures(serving, { x: 2, c: 'b' })).toBe(false);
  });

  it('orders many features the same way: largest contribution first, ties by name', () => {
    // 70 numeric features (past the insertion sort), weights 0, 1, −1, 2, −2, … and one tie.
    const names = Array.from({ length: 70 }, (_, i) => `f${String(i).padStart(2, '0')}`);
    const wide: FittedTransformation = {
      config: normalizeTransformation({}),
      features: names.map((name) => ({
        kind: 'numeric' as const,
        name,
        log1p: false,
        fill: 0,
        missingIndicator: false,
        center: 0,
        scale: 1,
      })),
      outputNames: names,
      warnings: [],
    };
    const weights = names.map((_, i) => (i % 2 === 1 ? 1 : -1) * Math.ceil(i / 2));
    weights[69] = weights[67];
    const linear: LogisticRegressionModel = {
      ...model,
      coefficients: weights,
      importance: weights,
    };
    const result = scoreRawFeatures(
      servingModel(linear, wide),
      Object.fromEntries(names.map((name) => [name, 1])),
    );
    const expected = names
      .map((feature, i) => ({ feature, contribution: weights[i] }))
      .sort((a, b) => b.contribution - a.contribution || (a.feature < b.feature ? -1 : 1));
    expect(result.factors.map((f) => f.feature)).toEqual(expected.map((f) => f.feature));
  });
});
