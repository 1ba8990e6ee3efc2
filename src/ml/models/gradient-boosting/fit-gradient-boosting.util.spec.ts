import { seededRandom } from '../../common/random.util';
import { sigmoid, TrainingData } from '../model.types';
import { fitGradientBoosting, noRecentImprovement } from './fit-gradient-boosting.util';
import {
  DEFAULT_GRADIENT_BOOSTING_PARAMS,
  GradientBoostingParams,
} from './gradient-boosting-params.util';
import { GradientBoostingModel, TreeNodes } from './gradient-boosting.types';
import { gradientBoostingLogit } from './gradient-boosting-logit.util';

type Overrides = Partial<GradientBoostingParams>;

function fitWith(data: TrainingData, overrides: Overrides = {}) {
  const params = {
    ...DEFAULT_GRADIENT_BOOSTING_PARAMS,
    earlyStopping: 'OFF' as const,
    ...overrides,
  };
  const generator = fitGradientBoosting(data, params);
  const progress = [];
  for (let step = generator.next(); ; step = generator.next()) {
    if (step.done) return { model: step.value, progress };
    progress.push(step.value);
  }
}

function makeData(
  rows: number,
  cols: number,
  seed: number,
  label: (row: Float64Array, random: () => number) => number,
  value: (random: () => number, col: number) => number = (random) => random() * 2 - 1,
): TrainingData {
  const random = seededRandom(seed);
  const x = new Float64Array(rows * cols);
  const y = new Uint8Array(rows);
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < cols; c++) x[r * cols + c] = value(random, c);
    y[r] = label(x.subarray(r * cols, (r + 1) * cols), random);
  }
  return { x, y, rows, cols };
}

const oneColumn = (values: number[], labels: number[]): TrainingData => ({
  x: Float64Array.from(values),
  y: Uint8Array.from(labels),
  rows: values.length,
  cols: 1,
});

const logits = (model: GradientBoostingModel, data: TrainingData) =>
  Array.from({ length: data.rows }, (_, r) => gradientBoostingLogit(model, data.x, r * data.cols));

/** P(score of a positive > score of a negative), ties half: counted pair by pair. */
function auc(scores: number[], y: Uint8Array): number {
  let wins = 0;
  let pairs = 0;
  for (let i = 0; i < scores.length; i++) {
    if (y[i] !== 1) continue;
    for (let j = 0; j < scores.length; j++) {
      if (y[j] !== 0) continue;
      pairs++;
      wins += scores[i] > scores[j] ? 1 : scores[i] === scores[j] ? 0.5 : 0;
    }
  }
  return wins / pairs;
}

function meanLogLoss(scores: number[], y: Uint8Array): number {
  let total = 0;
  scores.forEach((z, i) => (total -= Math.log(y[i] === 1 ? sigmoid(z) : 1 - sigmoid(z))));
  return total / scores.length;
}

function depth(tree: TreeNodes, node = 0): number {
  if (tree.feature[node] < 0) return 0;
  return 1 + Math.max(depth(tree, tree.left[node]), depth(tree, tree.right[node]));
}

const leaves = (tree: TreeNodes) => tree.feature.filter((f) => f < 0).length;

describe('fitGradientBoosting on hand-worked data', () => {
  // x = 1..8, three negatives then five positives: rate 5/8, base logit ln(5/3), p = 0.625.
  // Gradients p − y: 0.625 (y = 0), −0.375 (y = 1); hessians p(1 − p) = 0.234375 for all.
  const data = oneColumn([1, 2, 3, 4, 5, 6, 7, 8], [0, 0, 0, 1, 1, 1, 1, 1]);
  const settings: Overrides = { maxIterations: 1, minSamplesLeaf: 1, learningRate: 0.1 };

  it('splits where the gain is largest and gives each leaf lr · −G/(H + λ)', () => {
    // Split x ≤ 3.5 (halfway between 3 and 4): left G = 3·0.625 = 1.875, H = 3·0.234375 = 0.703125;
    // right G = 5·(−0.375) = −1.875, H = 1.171875; root G = 0.
    // Gain 1.875²/0.703125 + 1.875²/1.171875 − 0 = 5 + 3 = 8 (x ≤ 4.5 gains 2.4 + 2.4 = 4.8).
    // Values: −0.1 · 1.875/0.703125 = −4/15; −0.1 · −1.875/1.171875 = 0.16; root −0.1·0 = 0.
    const { model } = fitWith(data, settings);
    expect(model.baseLogit).toBeCloseTo(Math.log(5 / 3), 14);
    expect(model.trees).toHaveLength(1);
    const tree = model.trees[0];
    expect(tree.feature).toEqual([0, -1, -1]);
    expect(tree.threshold).toEqual([3.5, 0, 0]);
    expect(tree.left).toEqual([1, -1, -1]);
    expect(tree.right).toEqual([2, -1, -1]);
    expect(tree.cover).toEqual([8, 3, 5]);
    // No missing value at training: NaN goes to the side with more rows, the right.
    expect(tree.missingLeft[0]).toBe(false);
    expect(tree.value[0]).toBeCloseTo(0, 14);
    expect(tree.value[1]).toBeCloseTo(-4 / 15, 12);
    expect(tree.value[2]).toBeCloseTo(0.16, 12);
    expect(model.importance).toEqual([1]);
    expect(model.iterations).toBe(1);
    expect(model.notes).toEqual([]);

    expect(gradientBoostingLogit(model, [2])).toBeCloseTo(Math.log(5 / 3) - 4 / 15, 12);
    expect(gradientBoostingLogit(model, [3.5])).toBeCloseTo(Math.log(5 / 3) - 4 / 15, 12);
    expect(gradientBoostingLogit(model, [7])).toBeCloseTo(Math.log(5 / 3) + 0.16, 12);
    expect(gradientBoostingLogit(model, [NaN])).toBeCloseTo(Math.log(5 / 3) + 0.16, 12);
    // Reading a row of a matrix at an offset.
    expect(gradientBoostingLogit(model, [9, 9, 1], 2)).toBeCloseTo(Math.log(5 / 3) - 4 / 15, 12);
  });

  it('fits the second tree to the new gradients', () => {
    // After tree 1 the left rows have p_L = sigmoid(ln(5/3) − 4/15), so G = 3·p_L and
    // H = 3·p_L(1 − p_L): value −0.1/(1 − p_L). Right: G = 5(p_R − 1), H = 5·p_R(1 − p_R):
    // value 0.1/p_R.
    const { model, progress } = fitWith(data, { ...settings, maxIterations: 2 });
    const pL = sigmoid(Math.log(5 / 3) - 4 / 15);
    const pR = sigmoid(Math.log(5 / 3) + 0.16);
    const second = model.trees[1];
    expect(second.threshold[0]).toBe(3.5);
    expect(second.value[1]).toBeCloseTo(-0.1 / (1 - pL), 12);
    expect(second.value[2]).toBeCloseTo(0.1 / pR, 12);
    // The first progress reports the training loss after tree 1.
    const loss1 = (3 * -Math.log(1 - pL) + 5 * -Math.log(pR)) / 8;
    expect(progress.map((p) => p.iteration)).toEqual([1, 2]);
    expect(progress[0].maxIterations).toBe(2);
    expect(progress[0].loss).toBeCloseTo(loss1, 12);
    expect(progress[1].loss!).toBeLessThan(progress[0].loss!);
    expect(progress[0].validationLoss).toBeUndefined();
  });

  it('adds λ to the hessians in leaf values', () => {
    // Four and four: p = 0.5, g = ±0.5, h = 0.25. Split x ≤ 4.5: G = ±2, H = 1, so the values are
    // ∓0.1 · 2/(1 + 1) = ∓0.1. Equal sides: missing values go left.
    const balanced = oneColumn([1, 2, 3, 4, 5, 6, 7, 8], [0, 0, 0, 0, 1, 1, 1, 1]);
    const { model } = fitWith(balanced, { ...settings, l2Regularization: 1 });
    const tree = model.trees[0];
    expect(model.baseLogit).toBe(0);
    expect(tree.threshold[0]).toBe(4.5);
    expect(tree.value[1]).toBeCloseTo(-0.1, 12);
    expect(tree.value[2]).toBeCloseTo(0.1, 12);
    expect(tree.missingLeft[0]).toBe(true);
  });

  it('does not split when a child would have fewer than minSamplesLeaf rows', () => {
    // 8 rows cannot make two leaves of 5.
    const { model } = fitWith(data, { ...settings, minSamplesLeaf: 5 });
    expect(model.trees[0].feature).toEqual([-1]);
    expect(model.trees[0].value[0]).toBeCloseTo(0, 14);
    expect(model.importance).toEqual([0]);
  });
});

describe('fitGradientBoosting learns', () => {
  it('separates separable data perfectly (AUC 1 on held-out rows)', () => {
    const label = (row: Float64Array) => (row[0] > 0.3 ? 1 : 0);
    const train = makeData(400, 3, 1, label);
    const test = makeData(300, 3, 2, label);
    const { model } = fitWith(train, { maxIterations: 20 });
    expect(auc(logits(model, test), test.y)).toBe(1);
    expect(model.importance[0]).toBeGreaterThan(0.99);
  });

  it('beats the prior on noisy held-out rows', () => {
    const label = (row: Float64Array, random: () => number) =>
      random() < sigmoid(2 * row[0] - 1.5 * row[1] * row[2] - 0.5) ? 1 : 0;
    const train = makeData(3000, 4, 3, label);
    const test = makeData(2000, 4, 4, label);
    const { model } = fitWith(train, { maxIterations: 50 });
    const scores = logits(model, test);
    const prior = scores.map(() => model.baseLogit);
    expect(meanLogLoss(scores, test.y)).toBeLessThan(meanLogLoss(prior, test.y) - 0.05);
    expect(auc(scores, test.y)).toBeGreaterThan(0.7);
    // Column 3 is pure noise: trees still fit some of it, but it matters least.
    expect(model.importance[3]).toBeLessThan(Math.min(...model.importance.slice(0, 3)));
    expect(model.importance.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12);
  });

  it('learns where missing values belong: right with the high values', () => {
    // Positive when x > 0.5 or missing; a fifth of the rows missing.
    const data = makeData(
      1000,
      1,
      5,
      (row) => (Number.isNaN(row[0]) || row[0] > 0.5 ? 1 : 0),
      (random) => (random() < 0.2 ? NaN : random()),
    );
    const { model } = fitWith(data, { maxIterations: 10 });
    const root = model.trees[0];
    expect(root.threshold[0]).toBeCloseTo(0.5, 2);
    expect(root.missingLeft[0]).toBe(false);
    const missing = gradientBoostingLogit(model, [NaN]);
    expect(missing).toBeGreaterThan(gradientBoostingLogit(model, [0.9]) - 0.5);
    expect(missing).toBeGreaterThan(gradientBoostingLogit(model, [0.1]) + 2);
  });

  it('learns where missing values belong: left with the low values', () => {
    const data = makeData(
      1000,
      1,
      6,
      (row) => (Number.isNaN(row[0]) || row[0] < 0.5 ? 1 : 0),
      (random) => (random() < 0.2 ? NaN : random()),
    );
    const { model } = fitWith(data, { maxIterations: 10 });
    expect(model.trees[0].missingLeft[0]).toBe(true);
    expect(gradientBoostingLogit(model, [NaN])).toBeGreaterThan(
      gradientBoostingLogit(model, [0.9]) + 2,
    );
  });

  it('splits "missing or not" on a column with one value and NaNs', () => {
    const data = makeData(
      200,
      1,
      7,
      (row) => (Number.isNaN(row[0]) ? 1 : 0),
      (random) => (random() < 0.5 ? NaN : 3),
    );
    const { model } = fitWith(data, { maxIterations: 1 });
    const root = model.trees[0];
    expect(root.feature[0]).toBe(0);
    expect(root.threshold[0]).toBe(Number.MAX_VALUE);
    expect(root.missingLeft[0]).toBe(false);
    expect(JSON.parse(JSON.stringify(model.trees[0].threshold))[0]).toBe(Number.MAX_VALUE);
  });
});

describe('fitGradientBoosting limits', () => {
  const noisy = makeData(2000, 5, 8, (row, random) =>
    random() < sigmoid(3 * row[0] * row[1] + row[2] - row[3] * row[4]) ? 1 : 0,
  );

  it('respects maxDepth and maxLeafNodes', () => {
    const deep = fitWith(noisy, { maxIterations: 5, maxDepth: 2, maxLeafNodes: 31 }).model;
    for (const tree of deep.trees) {
      expect(depth(tree)).toBeLessThanOrEqual(2);
      expect(leaves(tree)).toBeLessThanOrEqual(4);
    }
    expect(deep.trees.some((tree) => depth(tree) === 2)).toBe(true);
    const stumps = fitWith(noisy, { maxIterations: 5, maxDepth: 1 }).model;
    for (const tree of stumps.trees) expect(leaves(tree)).toBe(2);
    const narrow = fitWith(noisy, { maxIterations: 5, maxLeafNodes: 5 }).model;
    for (const tree of narrow.trees) expect(leaves(tree)).toBe(5);
    const wide = fitWith(noisy, { maxIterations: 3, maxLeafNodes: 31 }).model;
    for (const tree of wide.trees) expect(leaves(tree)).toBe(31);
  });

  it('keeps at least minSamplesLeaf training rows in every leaf', () => {
    const { model } = fitWith(noisy, { maxIterations: 5, minSamplesLeaf: 150, maxLeafNodes: 64 });
    for (const tree of model.trees) {
      tree.feature.forEach((f, node) => {
        if (f < 0) expect(tree.cover[node]).toBeGreaterThanOrEqual(150);
        else
          expect(tree.cover[node]).toBe(tree.cover[tree.left[node]] + tree.cover[tree.right[node]]);
      });
    }
  });

  it('stops early on pure noise, keeping every tree grown', () => {
    const noise = makeData(3000, 4, 9, (_row, random) => (random() < 0.3 ? 1 : 0));
    const { model, progress } = fitWith(noise, { earlyStopping: 'ON', maxIterations: 200 });
    expect(model.iterations).toBeLessThan(60);
    expect(model.trees).toHaveLength(model.iterations);
    expect(progress).toHaveLength(model.iterations);
    expect(progress.every((p) => p.validationLoss !== undefined)).toBe(true);
    expect(model.notes).toEqual([
      expect.stringMatching(new RegExp(`^early stopping after ${model.iterations} trees`)),
    ]);
  });

  it('turns early stopping on above 10,000 rows when AUTO', () => {
    const big = makeData(10_001, 1, 10, (row) => (row[0] > 0 ? 1 : 0));
    expect(
      fitWith(big, { earlyStopping: 'AUTO', maxIterations: 2 }).progress[0].validationLoss,
    ).toBeDefined();
    const small = makeData(10_000, 1, 10, (row) => (row[0] > 0 ? 1 : 0));
    expect(
      fitWith(small, { earlyStopping: 'AUTO', maxIterations: 2 }).progress[0].validationLoss,
    ).toBeUndefined();
  });
});

describe('fitGradientBoosting bookkeeping', () => {
  const data = makeData(
    600,
    4,
    11,
    (row, random) => (random() < sigmoid(2 * row[0] - row[2]) ? 1 : 0),
    (random, col) => (col === 1 ? 5 : col === 3 && random() < 0.1 ? NaN : random() * 2 - 1),
  );

  it('notes constant columns and never splits on them', () => {
    const { model } = fitWith(data, { maxIterations: 10, minSamplesLeaf: 5 });
    expect(model.notes).toEqual(['column 1 is constant: never split on']);
    expect(model.importance[1]).toBe(0);
    expect(model.trees.every((tree) => !tree.feature.includes(1))).toBe(true);
  });

  it('gives the same model JSON for the same data, params and seed', () => {
    const settings: Overrides = { earlyStopping: 'ON', maxIterations: 30, minSamplesLeaf: 5 };
    const a = JSON.stringify(fitWith(data, settings).model);
    expect(JSON.stringify(fitWith(data, settings).model)).toBe(a);
  });

  it('holds out a different validation slice for another seed', () => {
    const settings: Overrides = { earlyStopping: 'ON', maxIterations: 5, minSamplesLeaf: 5 };
    const a = fitWith(data, { ...settings, seed: 1 }).progress.map((p) => p.validationLoss);
    const b = fitWith(data, { ...settings, seed: 2 }).progress.map((p) => p.validationLoss);
    expect(b).not.toEqual(a);
  });

  it('predicts the same after a JSON round trip', () => {
    const { model } = fitWith(data, { maxIterations: 10, minSamplesLeaf: 5 });
    const copy = JSON.parse(JSON.stringify(model)) as GradientBoostingModel;
    for (let r = 0; r < data.rows; r++) {
      expect(gradientBoostingLogit(copy, data.x, r * 4)).toBe(
        gradientBoostingLogit(model, data.x, r * 4),
      );
    }
    expect(gradientBoostingLogit(copy, [NaN, NaN, NaN, NaN])).toBe(
      gradientBoostingLogit(model, [NaN, NaN, NaN, NaN]),
    );
  });

  it('stays finite when every label is the same', () => {
    const ones = oneColumn([1, 2, 3, 4], [1, 1, 1, 1]);
    const { model } = fitWith(ones, { maxIterations: 3, minSamplesLeaf: 1 });
    expect(Number.isFinite(model.baseLogit)).toBe(true);
    expect(model.baseLogit).toBeGreaterThan(30);
    expect(model.notes).toEqual(['every training label is 1: trees cannot learn anything']);
    expect(model.trees.every((tree) => tree.feature.length === 1)).toBe(true);
  });

  it('keeps only known params in the model, in a fixed order', () => {
    // Keys in another order, and one the trainer does not know.
    const { seed: _seed, ...rest } = DEFAULT_GRADIENT_BOOSTING_PARAMS;
    const generator = fitGradientBoosting(data, {
      seed: 3,
      ...rest,
      maxIterations: 1,
      note: 'x',
    } as GradientBoostingParams);
    let step = generator.next();
    while (!step.done) step = generator.next();
    expect(JSON.stringify(step.value.params)).toBe(
      JSON.stringify({ ...DEFAULT_GRADIENT_BOOSTING_PARAMS, maxIterations: 1, seed: 3 }),
    );
  });

  it('refuses bad params and misshapen data', () => {
    const bad = { ...DEFAULT_GRADIENT_BOOSTING_PARAMS, learningRate: 0, maxLeafNodes: 1 };
    expect(() => fitGradientBoosting(data, bad).next()).toThrow(/learningRate.*maxLeafNodes/);
    const misshapen = { ...data, rows: data.rows + 1 };
    expect(() => fitGradientBoosting(misshapen, DEFAULT_GRADIENT_BOOSTING_PARAMS).next()).toThrow(
      RangeError,
    );
  });
});

describe('noRecentImprovement (scikit-learn’s rule, on losses)', () => {
  it('stops when none of the last n losses beat the one before them by more than tol', () => {
    // n = 2: compare losses[k − 2] − tol with losses[k − 1] and losses[k].
    expect(noRecentImprovement([0.5, 0.4], 2, 0)).toBe(false); // too few
    expect(noRecentImprovement([0.5, 0.4, 0.45], 2, 0)).toBe(false); // 0.4 < 0.5
    expect(noRecentImprovement([0.5, 0.4, 0.45, 0.41], 2, 0)).toBe(true); // neither < 0.4
    expect(noRecentImprovement([0.5, 0.4, 0.45, 0.39], 2, 0)).toBe(false);
    expect(noRecentImprovement([0.5, 0.4, 0.45, 0.39], 2, 0.02)).toBe(true); // 0.39 ≥ 0.38
  });
});
