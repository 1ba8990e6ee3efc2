import { seededRandom } from '../../common/random.util';
import { sigmoid } from '../model.types';
import { explainGradientBoosting } from './explain-gradient-boosting.util';
import { fitGradientBoosting } from './fit-gradient-boosting.util';
import { DEFAULT_GRADIENT_BOOSTING_PARAMS } from './gradient-boosting-params.util';
import { GradientBoostingModel } from './gradient-boosting.types';
import { gradientBoostingLogit } from './gradient-boosting-logit.util';

const tree = (nodes: Partial<GradientBoostingModel['trees'][number]>) => ({
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
    }
    // The base is the same for every row: baseLogit plus every root's value.
    const roots = fitted.trees.reduce((sum, t) => sum + t.value[0], fitted.baseLogit);
    expect(explainGradientBoosting(fitted, x, 0).base).toBeCloseTo(roots, 12);
  });
});
