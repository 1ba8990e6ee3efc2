import { explainGradientBoosting, plainSaabas } from './explain-gradient-boosting.util';
import { DEFAULT_GRADIENT_BOOSTING_PARAMS } from './gradient-boosting-params.util';
import { GradientBoostingModel, TreeNodes } from './gradient-boosting.types';
import { gradientBoostingLogit, plainLogit } from './gradient-boosting-logit.util';
import { laneForest, rankRow } from './lane-walk.util';
import { explainGradientBoostingTreeShap } from './tree-shap.util';

function makeModel(trees: TreeNodes[], columns: number): GradientBoostingModel {
  return {
    type: 'GRADIENT_BOOSTING',
    baseLogit: 0.25,
    trees,
    params: DEFAULT_GRADIENT_BOOSTING_PARAMS,
    importance: new Array<number>(columns).fill(0),
    iterations: trees.length,
    notes: [],
  };
}

// x0 ≤ 1 → (x1 ≤ MAX_VALUE → 0.5 | −0.5) | (x0 ≤ 3 → 2 | 4); missing x0 goes left.
const tree: TreeNodes = {
  feature: [0, 1, 0, -1, -1, -1, -1],
  threshold: [1, Number.MAX_VALUE, 3, 0, 0, 0, 0],
  missingLeft: [true, false, false, false, false, false, false],
  left: [1, 3, 5, -1, -1, -1, -1],
  right: [2, 4, 6, -1, -1, -1, -1],
  value: [1, 0.25, 3, 0.5, -0.5, 2, 4],
  cover: [8, 4, 4, 3, 1, 2, 2],
};

describe('the lane layout of a forest', () => {
  // Six copies: one group of four trees walked side by side, two walked alone.
  const model = makeModel([tree, tree, tree, tree, tree, tree], 3);

  it('compares as x ≤ threshold does: a value equal to a threshold goes left', () => {
    const cases: [number[], number][] = [
      [[1, 0, 0], 0.5],
      [[1.0000000000000002, 0, 0], 2],
      [[3, 0, 0], 2],
      [[3.0000000000000004, 0, 0], 4],
      [[-Infinity, Infinity, 0], -0.5],
      [[-5, Number.MAX_VALUE, 0], 0.5],
      [[Infinity, 0, 0], 4],
    ];
    for (const [x, leaf] of cases) {
      expect(gradientBoostingLogit(model, x)).toBe(plainLogit(model, x));
      expect(gradientBoostingLogit(model, x)).toBeCloseTo(0.25 + 6 * leaf, 14);
      const lanes = explainGradientBoosting(model, x);
      const plain = plainSaabas(model, x);
      expect(lanes.base).toBe(plain.base);
      lanes.contributions.forEach((c, j) => expect(c).toBeCloseTo(plain.contributions[j], 14));
    }
  });

  it('ranks only the columns split on: a NaN elsewhere keeps the lanes, a NaN there does not', () => {
    const forest = laneForest(model)!;
    expect(Array.from(forest.splitColumns)).toEqual([0, 1]);
    expect(rankRow(forest, [2, 0, NaN], 0)).toBe(true);
    expect(Array.from(forest.ranks.subarray(0, 2))).toEqual([1, 0]);
    expect(rankRow(forest, [NaN, 0, 0], 0)).toBe(false);
    // The plain walk then sends missing x0 left, as the tree says.
    expect(gradientBoostingLogit(model, [NaN, 0, 0])).toBeCloseTo(0.25 + 6 * 0.5, 14);
  });

  it('is built once per model, and not for trees it cannot walk (the plain walk takes over)', () => {
    expect(laneForest(model)).toBe(laneForest(model));
    // Node 1's left child comes before it: a walk could loop.
    const broken: TreeNodes = { ...tree, left: [1, 0, 5, -1, -1, -1, -1] };
    const damaged = makeModel([tree, broken], 3);
    expect(laneForest(damaged)).toBeNull();
    expect(gradientBoostingLogit(damaged, [5, 0, 0])).toBeCloseTo(0.25 + 4 + 4, 14);
    expect(explainGradientBoosting(damaged, [5, 0, 0]).method).toBe('SAABAS');
    expect(() => explainGradientBoostingTreeShap(damaged, [5, 0, 0])).toThrow(RangeError);
  });
});
