import { describe, expect, it } from '@jest/globals';

import * as ml from './ml.util';

const specOf = (key: string): ml.ModelSpec => ml.MODEL_SPECS.find((spec) => spec.key === key)!;

describe('MODEL_SPECS', () => {
  it('trains every model type, gradient boosting twice, keys unique, only the tuned set tuned', () => {
    expect(new Set(ml.MODEL_SPECS.map((s) => s.key)).size).toBe(ml.MODEL_SPECS.length);
    expect(ml.MODEL_SPECS.map((s) => s.modelType).sort()).toEqual([
      'GRADIENT_BOOSTING',
      'GRADIENT_BOOSTING',
      'LOGISTIC_REGRESSION',
      'NAIVE_BAYES',
    ]);
    expect(ml.MODEL_SPECS.filter((s) => s.tuned).map((s) => s.params)).toEqual([
      ml.TUNED_GBM_PARAMS,
    ]);
  });
});

describe('sklearnCounterpart', () => {
  it('maps our logistic regression defaults to C = 1 / l2', () => {
    expect(ml.sklearnCounterpart(specOf('lr'))).toEqual({
      key: 'lr',
      kind: 'logistic_regression',
      params: { C: 1, max_iter: 1000, class_weight: null },
    });
    const unpenalized = { ...specOf('lr'), params: { l2: 0, classWeight: 'BALANCED' } };
    expect(ml.sklearnCounterpart(unpenalized).params).toMatchObject({
      C: null,
      class_weight: 'balanced',
    });
  });

  it('maps every gradient-boosting parameter, defaults filled in', () => {
    expect(ml.sklearnCounterpart(specOf('gbm'))).toEqual({
      key: 'gbm',
      kind: 'hist_gradient_boosting',
      params: {
        learning_rate: 0.1,
        max_iter: 100,
        max_leaf_nodes: 31,
        max_depth: null,
        min_samples_leaf: 20,
        l2_regularization: 0,
        max_bins: 255,
        early_stopping: 'auto',
        validation_fraction: 0.1,
        n_iter_no_change: 10,
        tol: 1e-7,
        scoring: 'loss',
        random_state: 42,
      },
    });
    expect(ml.sklearnCounterpart(specOf('gbm-tuned')).params).toMatchObject({
      learning_rate: 0.05,
      max_iter: 1500,
      max_depth: 6,
      min_samples_leaf: 100,
      l2_regularization: 10,
      n_iter_no_change: 50,
    });
    const on = { ...specOf('gbm'), params: { earlyStopping: 'ON', maxDepth: 3 } };
    expect(ml.sklearnCounterpart(on).params).toMatchObject({ early_stopping: true, max_depth: 3 });
    const off = { ...specOf('gbm'), params: { earlyStopping: 'OFF' } };
    expect(ml.sklearnCounterpart(off).params).toMatchObject({ early_stopping: false });
  });

  it('maps naive Bayes to binned CategoricalNB and refuses bad params', () => {
    expect(ml.sklearnCounterpart(specOf('nb'))).toEqual({
      key: 'nb',
      kind: 'binned_categorical_nb',
      params: { alpha: 1, n_bins: 10 },
    });
    expect(() => ml.sklearnCounterpart({ ...specOf('nb'), params: { bins: 1 } })).toThrow(/bins/);
  });
});

describe('chunksToTable', () => {
  const chunk = (
    index: number,
    ids: string[],
    extra: Partial<ml.StoredChunk> = {},
  ): ml.StoredChunk => ({
    index,
    leadIds: ids,
    labels: ids.map((_, i) => i % 2),
    eventTimes: ids.map(() => 5),
    columns: [ids.map((_, i) => i), ids.map((id) => `c-${id}`)],
    ...extra,
  });

  it('joins the chunks in index order under the feature names', () => {
    const table = ml.chunksToTable(['age', 'job'], [chunk(1, ['c']), chunk(0, ['a', 'b'])]);
    expect(table.leadIds).toEqual(['a', 'b', 'c']);
    expect(Array.from(table.labels)).toEqual([0, 1, 0]);
    expect(Array.from(table.eventTimes)).toEqual([5, 5, 5]);
    expect(table.columns).toEqual([
      { name: 'age', values: [0, 1, 0] },
      { name: 'job', values: ['c-a', 'c-b', 'c-c'] },
    ]);
  });

  it('refuses a missing chunk or a chunk of the wrong shape', () => {
    expect(() => ml.chunksToTable(['age', 'job'], [chunk(1, ['c'])])).toThrow(/chunk 0 is missing/);
    expect(() => ml.chunksToTable(['age'], [chunk(0, ['a'])])).toThrow(/one value per feature/);
    expect(() => ml.chunksToTable(['age', 'job'], [chunk(0, ['a'], { labels: [] })])).toThrow(
      /one value per feature/,
    );
  });
});

describe('exportHeader / float64Bytes / labelsOf', () => {
  it('describes the arrays and checks the names', () => {
    const header = ml.exportHeader({
      cols: 2,
      names: ['a', 'b'],
      trainRows: 3,
      testRows: 1,
      repeats: 3,
      models: [],
    });
    expect(header).toMatchObject({
      dtype: 'float64-le',
      cols: 2,
      files: { xTrain: 'X_train.f64' },
    });
    expect(() =>
      ml.exportHeader({ cols: 3, names: ['a'], trainRows: 1, testRows: 1, repeats: 1, models: [] }),
    ).toThrow(/1 names for 3 columns/);
  });

  it('writes the values as little-endian doubles, a subarray from its own start', () => {
    const values = new Float64Array([9, 1.5, -2]).subarray(1);
    const bytes = ml.float64Bytes(values);
    expect(bytes.length).toBe(16);
    expect(bytes.readDoubleLE(0)).toBe(1.5);
    expect(bytes.readDoubleLE(8)).toBe(-2);
  });

  it('takes the labels of the rows given', () => {
    expect(Array.from(ml.labelsOf(Uint8Array.from([0, 1, 1, 0]), [3, 1, 2]))).toEqual([0, 1, 1]);
  });
});

describe('comparisons', () => {
  it('names the metrics that differ, null and NaN equal only themselves', () => {
    const a = { auc: 0.8, logLoss: 0.3, prAuc: NaN, f1: null };
    expect(ml.metricDifferences(a, { ...a }, ['auc', 'logLoss', 'prAuc', 'f1'])).toEqual([]);
    expect(ml.metricDifferences(a, { ...a, auc: 0.8 + 1e-13 }, ['auc'])).toEqual(['auc']);
    expect(ml.metricDifferences(a, { ...a, auc: 0.8 + 1e-13 }, ['auc'], 1e-12)).toEqual([]);
    expect(ml.metricDifferences(a, { ...a, f1: 0, prAuc: 1 }, ['f1', 'prAuc'])).toEqual([
      'f1',
      'prAuc',
    ]);
  });

  it('gives the AUC difference and the time ratio against scikit-learn', () => {
    const result = ml.versusSklearn({ auc: 0.79, seconds: 3 }, { auc: 0.8, seconds: 1.5 });
    expect(result.aucDiff).toBeCloseTo(-0.01, 12);
    expect(result.timeRatio).toBe(2);
    expect(ml.versusSklearn({ auc: null, seconds: 1 }, { auc: 0.8, seconds: 0 })).toEqual({
      aucDiff: null,
      timeRatio: null,
    });
  });

  it("takes scikit-learn's faster fit", () => {
    expect(ml.fastestFit({ fitSeconds: 1.3, fitSecondsOneThread: 0.06 })).toBe(0.06);
    expect(ml.fastestFit({ fitSeconds: 4, fitSecondsOneThread: 6.5 })).toBe(4);
  });

  it('computes rates, spans and the largest gap', () => {
    expect(ml.perSecond(45_211, 500)).toBe(90_422);
    expect(ml.perSecond(1, 0)).toBeNaN();
    expect(ml.spanSeconds('2026-12-03T00:00:00.000Z', '2026-12-03T00:00:02.500Z')).toBe(2.5);
    expect(ml.spanSeconds(null, '2026-12-03T00:00:02.500Z')).toBeNull();
    expect(ml.maxAbsDifference([1, 2, 3], new Float64Array([1, 2.5, 2]))).toBe(1);
    expect(ml.maxAbsDifference([1], [1, 2])).toBe(Infinity);
  });
});

describe('seededPicks / spreadPages', () => {
  it('draws the same indexes for the same seed, all in range', () => {
    const picks = ml.seededPicks(7, 200, 42);
    expect(picks).toEqual(ml.seededPicks(7, 200, 42));
    expect(picks).not.toEqual(ml.seededPicks(7, 200, 43));
    expect(picks.every((i) => Number.isInteger(i) && i >= 0 && i < 7)).toBe(true);
    expect(new Set(picks).size).toBe(7);
    expect(() => ml.seededPicks(0, 1, 1)).toThrow(RangeError);
  });

  it('spreads distinct pages from the first to the last', () => {
    expect(ml.spreadPages(227, 5)).toEqual([1, 58, 114, 171, 227]);
    expect(ml.spreadPages(3, 5)).toEqual([1, 2, 3]);
    expect(ml.spreadPages(10, 1)).toEqual([1]);
    expect(ml.spreadPages(0, 5)).toEqual([]);
  });
});
