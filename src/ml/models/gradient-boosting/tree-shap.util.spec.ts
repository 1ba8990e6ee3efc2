import { seededRandom } from '../../common/random.util';
import { sigmoid } from '../model.types';
import { fitGradientBoosting } from './fit-gradient-boosting.util';
import { DEFAULT_GRADIENT_BOOSTING_PARAMS } from './gradient-boosting-params.util';
import { GradientBoostingModel, TreeNodes } from './gradient-boosting.types';
import { gradientBoostingLogit } from './gradient-boosting-logit.util';
import { explainGradientBoostingTreeShap } from './tree-shap.util';

function modelOf(trees: TreeNodes[], columns: number, baseLogit = 0): GradientBoostingModel {
  return {
    type: 'GRADIENT_BOOSTING',
    baseLogit,
    trees,
    params: DEFAULT_GRADIENT_BOOSTING_PARAMS,
    importance: new Array<number>(columns).fill(0),
    iterations: trees.length,
    notes: [],
  };
}

/** E[tree | the columns in `known` are x's], unknown columns split by cover: TreeSHAP's v(S). */
function conditional(tree: TreeNodes, x: number[], known: Set<number>, node = 0): number {
  const f = tree.feature[node];
  if (f < 0) return tree.value[node];
  const { left, right, cover } = tree;
  if (known.has(f)) {
    const v = x[f];
    const goLeft = Number.isNaN(v) ? tree.missingLeft[node] : v <= tree.threshold[node];
    return conditional(tree, x, known, goLeft ? left[node] : right[node]);
  }
  return (
    (cover[left[node]] * conditional(tree, x, known, left[node]) +
      cover[right[node]] * conditional(tree, x, known, right[node])) /
    cover[node]
  );
}

/** Shapley values by their definition: every subset of the other columns, weighted. */
function bruteForceShapley(model: GradientBoostingModel, x: number[]): number[] {
  const m = x.length;
  const factorial = (n: number): number => (n <= 1 ? 1 : n * factorial(n - 1));
  const value = (known: Set<number>) =>
    model.trees.reduce((sum, tree) => sum + conditional(tree, x, known), 0);
  return Array.from({ length: m }, (_, i) => {
    let phi = 0;
    for (let mask = 0; mask < 1 << m; mask++) {
      if (mask & (1 << i)) continue;
      const known = new Set<number>();
      for (let j = 0; j < m; j++) if (mask & (1 << j)) known.add(j);
      const weight = (factorial(known.size) * factorial(m - known.size - 1)) / factorial(m);
      const without = value(known);
      known.add(i);
      phi += weight * (value(known) - without);
    }
    return phi;
  });
}

describe('explainGradientBoostingTreeShap', () => {
  it('gives a stump’s column the leaf minus the cover-weighted mean', () => {
    // x0 ≤ 1: 0.4 (3 rows) | −0.2 (1 row). Mean 0.25; x0 = 0 reaches 0.4: φ0 = 0.15.
    const stump: TreeNodes = {
      feature: [0, -1, -1],
      threshold: [1, 0, 0],
      missingLeft: [false, false, false],
      left: [1, -1, -1],
      right: [2, -1, -1],
      value: [0, 0.4, -0.2],
      cover: [4, 3, 1],
    };
    const { base, contributions } = explainGradientBoostingTreeShap(
      modelOf([stump], 2, -1),
      [0, 9],
    );
    expect(base).toBeCloseTo(-1 + 0.25, 14);
    expect(contributions[0]).toBeCloseTo(0.15, 14);
    expect(contributions[1]).toBe(0);
  });

  it('splits credit evenly between two columns of an AND', () => {
    // x0 ≤ 0 → 0 (2 rows) | (x1 ≤ 0 → 0 (1 row) | 1 (1 row)). Mean 0.25. At x = (1, 1):
    // v({}) = 0.25, v({0}) = 0.5, v({1}) = 0.5, v({0,1}) = 1: φ0 = ½(0.25) + ½(0.5) = 0.375 = φ1.
    const and: TreeNodes = {
      feature: [0, -1, 1, -1, -1],
      threshold: [0, 0, 0, 0, 0],
      missingLeft: [false, false, false, false, false],
      left: [1, -1, 3, -1, -1],
      right: [2, -1, 4, -1, -1],
      value: [0, 0, 0, 0, 1],
      cover: [4, 2, 2, 1, 1],
    };
    const { contributions } = explainGradientBoostingTreeShap(modelOf([and], 2), [1, 1]);
    expect(contributions[0]).toBeCloseTo(0.375, 14);
    expect(contributions[1]).toBeCloseTo(0.375, 14);
  });

  it('matches the Shapley definition and adds up to the logit on a fitted model', () => {
    const random = seededRandom(5);
    const rows = 600;
    const cols = 4;
    const x = Float64Array.from({ length: rows * cols }, () => (random() < 0.05 ? NaN : random()));
    const y = Uint8Array.from({ length: rows }, (_, r) =>
      random() < sigmoid(3 * (x[r * cols] || 0) * (x[r * cols + 1] || 0) - x[r * cols + 2]) ? 1 : 0,
    );
    const generator = fitGradientBoosting(
      { x, y, rows, cols },
      // Deep trees that reuse columns along a path, the case TreeSHAP has to unwind.
      {
        ...DEFAULT_GRADIENT_BOOSTING_PARAMS,
        maxIterations: 8,
        minSamplesLeaf: 5,
        maxLeafNodes: 16,
      },
    );
    let step = generator.next();
    while (!step.done) step = generator.next();
    const model = step.value;
    for (let r = 0; r < 12; r++) {
      const row = Array.from(x.subarray(r * cols, (r + 1) * cols));
      const { base, contributions } = explainGradientBoostingTreeShap(model, row);
      const expected = bruteForceShapley(model, row);
      expected.forEach((phi, j) => expect(contributions[j]).toBeCloseTo(phi, 10));
      const total = contributions.reduce((sum, c) => sum + c, base);
      expect(total).toBeCloseTo(gradientBoostingLogit(model, row), 10);
    }
  });
});
