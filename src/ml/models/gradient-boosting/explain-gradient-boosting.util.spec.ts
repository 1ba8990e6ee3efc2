import { seededRandom } from '../../common/random.util';
import { sigmoid } from '../model.types';
import {
  explainGradientBoosting,
  explainGradientBoostingModel,
  gradientBoostingExplanationMethod,
  gradientBoostingNodeCount,
  plainSaabas,
  TREE_SHAP_MAX_NODES,
} from './explain-gradient-boosting.util';
import { fitGradientBoosting } from './fit-gradient-boosting.util';
import { DEFAULT_GRADIENT_BOOSTING_PARAMS } from './gradient-boosting-params.util';
import { GradientBoostingModel, TreeNodes } from './gradient-boosting.types';
import { gradientBoostingLogit, plainLogit } from './gradient-boosting-logit.util';
import { explainGradientBoostingTreeShap } from './tree-shap.util';

const tree = (nodes: Partial<TreeNodes>): TreeNodes => ({
  feature: [-1],
  threshold: [0],
  missingLeft: [false],
  left: [-1],
  right: [-1],
  value: [0],
  cover: [1],
  ...nodes,
});

function makeModel(trees: GradientBoostingModel['trees'], columns: number): GradientBoostingModel {
  return {
    type: 'GRADIENT_BOOSTING',
    baseLogit: -1,
    trees,
    params: DEFAULT_GRADIENT_BOOSTING_PARAMS,
    importance: new Array<number>(columns).fill(0),
    iterations: trees.length,
    notes: [],
  };
}

describe('explainGradientBoosting (Saabas)', () => {
  // Tree 1: x0 ≤ 0 → (x1 ≤ 5 → 0.3 | 0.5), else −0.2; expected values root 0.1, node 1 0.4.
  // Tree 2: a single leaf of 0.05.
  const model = makeModel(
    [
      tree({
        feature: [0, 1, -1, -1, -1],
        threshold: [0, 5, 0, 0, 0],
        missingLeft: [true, false, false, false, false],
        left: [1, 3, -1, -1, -1],
        right: [2, 4, -1, -1, -1],
        value: [0.1, 0.4, -0.2, 0.3, 0.5],
        cover: [10, 6, 4, 3, 3],
      }),
      tree({ value: [0.05] }),
    ],
    3,
  );

  it('credits each split’s column with the move in expected value', () => {
    // x = (−1, 7): root → node 1 (+0.3 to x0) → node 4 (+0.1 to x1). Base −1 + 0.1 + 0.05.
    const { base, contributions } = explainGradientBoosting(model, [-1, 7, 123]);
    expect(base).toBeCloseTo(-0.85, 14);
    expect(contributions[0]).toBeCloseTo(0.3, 14);
    expect(contributions[1]).toBeCloseTo(0.1, 14);
    expect(contributions[2]).toBe(0);
    expect(gradientBoostingLogit(model, [-1, 7, 123])).toBeCloseTo(-1 + 0.5 + 0.05, 14);
    // Missing x0 goes left too; the row read at an offset.
    const missing = explainGradientBoosting(model, [0, 0, NaN, 2, 0], 2);
    expect(missing.contributions[0]).toBeCloseTo(0.3, 14);
    expect(missing.contributions[1]).toBeCloseTo(-0.1, 14);
  });

  it('adds up to the logit on random rows of a fitted model', () => {
    const random = seededRandom(3);
    const rows = 800;
    const cols = 5;
    const x = Float64Array.from({ length: rows * cols }, () => (random() < 0.05 ? NaN : random()));
    const y = Uint8Array.from({ length: rows }, (_, r) =>
      random() < sigmoid(4 * (x[r * cols] || 0.5) - 3 * (x[r * cols + 1] || 0) - 1) ? 1 : 0,
    );
    const generator = fitGradientBoosting(
      { x, y, rows, cols },
      { ...DEFAULT_GRADIENT_BOOSTING_PARAMS, maxIterations: 30, minSamplesLeaf: 5 },
    );
    let step = generator.next();
    while (!step.done) step = generator.next();
    const fitted = JSON.parse(JSON.stringify(step.value)) as GradientBoostingModel;
    for (let r = 0; r < 100; r++) {
      const { base, contributions } = explainGradientBoosting(fitted, x, r * cols);
      expect(contributions).toHaveLength(cols);
      const total = contributions.reduce((sum, c) => sum + c, base);
      const logit = gradientBoostingLogit(fitted, x, r * cols);
      expect(Math.abs(total - logit)).toBeLessThanOrEqual(1e-9 * Math.max(1, Math.abs(logit)));
      // The lane layout (rows without NaN) gives what the plain walk of the stored trees gives:
      // the same logit exactly (the same leaf values added in the same order), the same
      // contributions to rounding (added in another order).
      expect(logit).toBe(plainLogit(fitted, x, r * cols));
      const plain = plainSaabas(fitted, x, r * cols);
      expect(base).toBe(plain.base);
      contributions.forEach((c, j) => expect(c).toBeCloseTo(plain.contributions[j], 12));
    }
    // The base is the same for every row: baseLogit plus every root's value.
    const roots = fitted.trees.reduce((sum, t) => sum + t.value[0], fitted.baseLogit);
    expect(explainGradientBoosting(fitted, x, 0).base).toBeCloseTo(roots, 12);
  });
});

describe('Saabas and TreeSHAP on hand-made trees (hand-worked values)', () => {
  // Tree A: x0 ≤ 0.5 (10 rows) → [x1 ≤ 0.5 (6) → [x0 ≤ 0.2 (2) → L 0 (1) | M 4 (1)] | N 1 (4)]
  //         | R 2 (4). Node values are the cover-weighted means: node 3 = 2, node 1 = 4/3,
  //         root = 1.6. x0 is split on twice along the path of x = (0.1, 0.3), which reaches L.
  const treeA: TreeNodes = {
    feature: [0, 1, -1, 0, -1, -1, -1],
    threshold: [0.5, 0.5, 0, 0.2, 0, 0, 0],
    missingLeft: [false, false, false, false, false, false, false],
    left: [1, 3, -1, 5, -1, -1, -1],
    right: [2, 4, -1, 6, -1, -1, -1],
    value: [1.6, 4 / 3, 2, 2, 1, 0, 4],
    cover: [10, 6, 4, 2, 4, 1, 1],
  };
  // Tree B: x1 ≤ 0.5 → −1 (3 rows) | 3 (1 row): mean 0. Tree C: a lone leaf of 0.5.
  const treeB: TreeNodes = {
    feature: [1, -1, -1],
    threshold: [0.5, 0, 0],
    missingLeft: [false, false, false],
    left: [1, -1, -1],
    right: [2, -1, -1],
    value: [0, -1, 3],
    cover: [4, 3, 1],
  };
  const treeC = tree({ value: [0.5] });
  // Five trees: four walked side by side, then one alone.
  const model = makeModel([treeA, treeB, treeC, treeA, treeB], 3);
  const x = [0.1, 0.3, 42];
  // logit = −1 + 2·(0 − 1) + 0.5 = −2.5

  it('Saabas: child minus parent along each path, base + Σ = logit', () => {
    // Tree A: x0 gets (4/3 − 1.6) + (0 − 2) = −34/15, x1 gets 2 − 4/3 = 2/3; tree B: x1 gets −1.
    const explanation = explainGradientBoosting(model, x);
    expect(explanation.method).toBe('SAABAS');
    expect(explanation.base).toBeCloseTo(-1 + 2 * 1.6 + 0.5, 14);
    expect(explanation.contributions[0]).toBeCloseTo((2 * -34) / 15, 14);
    expect(explanation.contributions[1]).toBeCloseTo(2 * (2 / 3 - 1), 14);
    expect(explanation.contributions[2]).toBe(0);
    const total = explanation.contributions.reduce((sum, c) => sum + c, explanation.base);
    expect(total).toBeCloseTo(-2.5, 13);
    expect(gradientBoostingLogit(model, x)).toBeCloseTo(-2.5, 14);
  });

  it('TreeSHAP: Shapley values of the two columns, base + Σ = logit', () => {
    // Tree A: v({}) = 1.6, v({0}) = 2/3, v({1}) = 2, v({0, 1}) = 0, so
    // φ0 = ½(2/3 − 1.6) + ½(0 − 2) = −22/15 and φ1 = ½(2 − 1.6) + ½(0 − 2/3) = −2/15;
    // tree B: φ1 = −1 − 0.
    const explanation = explainGradientBoostingTreeShap(model, x);
    expect(explanation.method).toBe('TREE_SHAP');
    expect(explanation.base).toBeCloseTo(-1 + 2 * 1.6 + 0.5, 14);
    expect(explanation.contributions[0]).toBeCloseTo((2 * -22) / 15, 14);
    expect(explanation.contributions[1]).toBeCloseTo(2 * (-2 / 15 - 1), 14);
    expect(explanation.contributions[2]).toBe(0);
    const total = explanation.contributions.reduce((sum, c) => sum + c, explanation.base);
    expect(total).toBeCloseTo(-2.5, 13);
  });

  it('a missing value takes the plain walk, the way missingLeft says, for both methods', () => {
    // x0 missing goes right at the root of tree A (missingLeft false): R = 2, credited to x0
    // by Saabas as 2 − 1.6. Tree B as before.
    const saabas = explainGradientBoosting(model, [NaN, 0.3, 0]);
    expect(saabas.contributions[0]).toBeCloseTo(2 * 0.4, 14);
    expect(saabas.contributions[1]).toBeCloseTo(-2, 14);
    const shap = explainGradientBoostingTreeShap(model, [NaN, 0.3, 0]);
    const total = shap.contributions.reduce((sum, c) => sum + c, shap.base);
    expect(total).toBeCloseTo(-1 + 2 * (2 - 1) + 0.5, 13);
    expect(gradientBoostingLogit(model, [NaN, 0.3, 0])).toBeCloseTo(1.5, 14);
  });
});

describe('explainGradientBoostingModel: TreeSHAP up to TREE_SHAP_MAX_NODES nodes, Saabas above', () => {
  const stump: TreeNodes = {
    feature: [0, -1, -1],
    threshold: [0, 0, 0],
    missingLeft: [false, false, false],
    left: [1, -1, -1],
    right: [2, -1, -1],
    value: [0.05, 0.1, -0.2],
    cover: [3, 2, 1],
  };
  const leaf = tree({ value: [0.01] });
  // Stumps of 3 nodes and lone leaves of 1 up to exactly `nodes` in all.
  const modelWith = (nodes: number) => {
    const trees: TreeNodes[] = [];
    for (let left = nodes; left > 0; left -= left >= 3 ? 3 : 1)
      trees.push(left >= 3 ? stump : leaf);
    return makeModel(trees, 2);
  };

  it('switches at the threshold, and both sides add up to the logit', () => {
    const at = modelWith(TREE_SHAP_MAX_NODES);
    const above = modelWith(TREE_SHAP_MAX_NODES + 1);
    expect(gradientBoostingNodeCount(at)).toBe(TREE_SHAP_MAX_NODES);
    expect(gradientBoostingNodeCount(above)).toBe(TREE_SHAP_MAX_NODES + 1);
    expect(gradientBoostingExplanationMethod(at)).toBe('TREE_SHAP');
    expect(gradientBoostingExplanationMethod(above)).toBe('SAABAS');
    for (const [model, method] of [
      [at, 'TREE_SHAP'],
      [above, 'SAABAS'],
    ] as const) {
      for (const row of [
        [-1, 0],
        [1, 0],
        [NaN, 0],
      ]) {
        const explanation = explainGradientBoostingModel(model, row);
        expect(explanation.method).toBe(method);
        const total = explanation.contributions.reduce((sum, c) => sum + c, explanation.base);
        expect(total).toBeCloseTo(gradientBoostingLogit(model, row), 12);
      }
    }
  });
});
