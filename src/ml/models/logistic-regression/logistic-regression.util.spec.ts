import { seededRandom } from '../../common/random.util';
import { FitProgress, sigmoid, TrainingData } from '../model.types';
import {
  DEFAULT_LOGISTIC_REGRESSION_PARAMS,
  explainLogisticRegression,
  fitLogisticRegression,
  LogisticRegressionModel,
  LogisticRegressionParams,
  logisticRegressionLogit,
} from './logistic-regression.util';

function makeData(rows: number[][], y: number[]): TrainingData {
  const cols = rows[0]?.length ?? 0;
  return { x: Float64Array.from(rows.flat()), rows: y.length, cols, y: Uint8Array.from(y) };
}

function fitWith(
  data: TrainingData,
  params: Partial<LogisticRegressionParams> = {},
): { model: LogisticRegressionModel; progress: FitProgress[] } {
  const sut = fitLogisticRegression(data, { ...DEFAULT_LOGISTIC_REGRESSION_PARAMS, ...params });
  const progress: FitProgress[] = [];
  for (;;) {
    const step = sut.next();
    if (step.done) return { model: step.value, progress };
    progress.push(step.value);
  }
}

/** Standardized numeric columns, then one-hot groups of three levels, labels from a known model. */
function makeRandomProblem({ rows, numeric, groups, seed }: Record<string, number>): TrainingData {
  const random = seededRandom(seed);
  const gauss = () => Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
  const cols = numeric + 3 * groups;
  const truth = Array.from({ length: cols }, () => gauss());
  const x = new Float64Array(rows * cols);
  const y = new Uint8Array(rows);
  for (let i = 0; i < rows; i++) {
    let z = -2;
    for (let j = 0; j < numeric; j++) x[i * cols + j] = gauss();
    for (let g = 0; g < groups; g++) x[i * cols + numeric + 3 * g + Math.floor(random() * 3)] = 1;
    for (let j = 0; j < cols; j++) z += truth[j] * x[i * cols + j];
    y[i] = random() < sigmoid(z) ? 1 : 0;
  }
  return { x, rows, cols, y };
}

/** ∇ of Σ s_i·logloss_i + ½·l2·‖w‖², written out again independently of the trainer. */
function penalizedGradient(
  model: LogisticRegressionModel,
  data: TrainingData,
  weights: [number, number] = [1, 1],
): number[] {
  const gradient = new Array<number>(data.cols + 1).fill(0);
  for (let i = 0; i < data.rows; i++) {
    const r =
      weights[data.y[i]] *
      (sigmoid(logisticRegressionLogit(model, data.x, i * data.cols)) - data.y[i]);
    gradient[0] += r;
    for (let j = 0; j < data.cols; j++) gradient[1 + j] += r * data.x[i * data.cols + j];
  }
  model.coefficients.forEach((w, j) => (gradient[1 + j] += model.params.l2 * w));
  return gradient;
}

const maxAbs = (values: ArrayLike<number>) => Math.max(...Array.from(values, Math.abs));

// Six rows, one binary feature: x = 0 has labels 0 0 1, x = 1 has labels 0 1 1.
const SIX = makeData([[0], [0], [0], [1], [1], [1]], [0, 0, 1, 0, 1, 1]);

describe('fitLogisticRegression', () => {
  it.each(['NEWTON', 'LBFGS'] as const)(
    'with l2 = 0 fits each group its own log odds (%s)',
    (solver) => {
      // Unpenalized, a binary feature is saturated: σ(b) = 1/3 and σ(b + w) = 2/3, so
      // b = ln(1/2) = −0.6931471805599453 and b + w = ln 2, w = 2·ln 2 = 1.3862943611198906.
      const { model } = fitWith(SIX, { l2: 0, tolerance: 1e-12, solver });
      expect(model.intercept).toBeCloseTo(-Math.log(2), 9);
      expect(model.coefficients[0]).toBeCloseTo(2 * Math.log(2), 9);
      expect(model.notes).toEqual([]);
    },
  );

  it.each(['NEWTON', 'LBFGS'] as const)(
    'with l2 = 1 lands where the penalized gradient is 0, as worked by hand (%s)',
    (solver) => {
      // ∂F/∂b = 3σ(b) + 3σ(b + w) − 3 = 0  →  σ(b + w) = σ(−b)  →  b = −w/2.
      // ∂F/∂w = 3σ(b + w) − 2 + 1·w = 0    →  g(w) = 3σ(w/2) + w − 2 = 0,
      // g'(w) = 1 + 1.5·σ(w/2)·σ(−w/2). Newton on g from w = 0:
      //   w0 = 0:                  g = 1.5 − 2 = −0.5,   g' = 1 + 1.5·0.25 = 1.375
      //   w1 = 0.5/1.375 = 0.363636…: σ(0.181818) = 0.5453297, g = −3.7442e-4, g' = 1.3719178
      //   w2 = w1 + 3.7442e-4/1.3719178 = 0.3639092806, g = −6.3e-10
      //   w3 = 0.3639092811 (g = 0 to rounding);  b = −w/2 = −0.1819546405.
      const { model } = fitWith(SIX, { l2: 1, tolerance: 1e-12, solver });
      expect(model.coefficients[0]).toBeCloseTo(0.3639092811, 9);
      expect(model.intercept).toBeCloseTo(-0.1819546405, 9);
      expect(maxAbs(penalizedGradient(model, SIX))).toBeLessThan(1e-10);
    },
  );

  it.each(['NEWTON', 'LBFGS'] as const)(
    'keeps weights finite on separable rows when l2 > 0 (%s)',
    (solver) => {
      // x = −1 −1 1 1, y = 0 0 1 1, l2 = 4. ∂F/∂b = 2σ(b − w) + 2σ(b + w) − 2 = 0 → b = 0.
      // ∂F/∂w = −2σ(−w) + 2(σ(w) − 1) + 4w = −4σ(−w) + 4w = 0 → w = σ(−w).
      // Newton on f(w) = w − σ(−w), f' = 1 + σ(w)σ(−w):
      //   w0 = 0:   f = −0.5, f' = 1.25 → w1 = 0.4
      //   w1 = 0.4: σ(−0.4) = 0.4013123, f = −0.0013123, f' = 1.2402607 → w2 = 0.4010581161
      //   w3 = 0.4010581375 (f = 6e-17).
      const data = makeData([[-1], [-1], [1], [1]], [0, 0, 1, 1]);
      const { model } = fitWith(data, { l2: 4, tolerance: 1e-12, solver });
      expect(model.coefficients[0]).toBeCloseTo(0.4010581375, 9);
      expect(model.intercept).toBeCloseTo(0, 12);
      expect(model.notes).toEqual([]);
    },
  );

  it.each(['NEWTON', 'LBFGS'] as const)(
    'with l2 = 0 on separable rows stops at maxIterations, finite, and says why (%s)',
    (solver) => {
      const data = makeData(
        [
          [-1, 0.5],
          [-2, 0],
          [1, 0.5],
          [3, 1],
        ],
        [0, 0, 1, 1],
      );
      const { model, progress } = fitWith(data, { l2: 0, solver });
      expect(model.iterations).toBe(100);
      expect(progress).toHaveLength(100);
      expect([model.intercept, ...model.coefficients].every(Number.isFinite)).toBe(true);
      expect(model.importance.every(Number.isFinite)).toBe(true);
      expect(model.notes[0]).toMatch(/^did not converge in 100 iterations/);
      expect(model.notes[1]).toMatch(/perfectly separable .* l2 = 0/);
      // Without a penalty the reported loss is the objective over rows: it never goes up.
      progress.slice(1).forEach((p, k) => expect(p.loss!).toBeLessThanOrEqual(progress[k].loss!));
    },
  );

  it('never produces NaN, even when the losses underflow (1000 iterations, l2 = 0)', () => {
    const data = makeData([[-1], [-1], [1], [1]], [0, 0, 1, 1]);
    const { model } = fitWith(data, { l2: 0, maxIterations: 1000 });
    expect([model.intercept, ...model.coefficients].every(Number.isFinite)).toBe(true);
    expect(model.notes.length).toBe(2);
  });

  it('leaves the intercept unpenalized: with nothing to learn it is the log odds of the labels', () => {
    // 3 positives of 8: ln(3/5) = −0.5108256237659907, whatever l2. The column is uncorrelated
    // with the label at w = 0: Σ(σ(b) − y)·x = (3/8)·Σx − Σ_{y=1} x = (3/8)·0 − (−1 + 1 + 0) = 0.
    const x = [[-1], [1], [0], [-1], [1], [-1], [1], [0]];
    const y = [1, 1, 1, 0, 0, 0, 0, 0];
    for (const l2 of [0, 1, 100]) {
      const { model } = fitWith(makeData(x, y), { l2, tolerance: 1e-12 });
      expect(model.intercept).toBeCloseTo(Math.log(3 / 5), 12);
      expect(model.coefficients[0]).toBeCloseTo(0, 12);
    }
    const none: TrainingData = { x: new Float64Array(0), rows: 8, cols: 0, y: Uint8Array.from(y) };
    expect(fitWith(none).model.intercept).toBeCloseTo(Math.log(3 / 5), 12);
  });

  it('with BALANCED shifts the intercept by ln(n0/n1) and keeps the weights (saturated, l2 = 0)', () => {
    // x = 0: 5 rows, 1 positive; x = 1: 3 rows, 1 positive. n1 = 2, n0 = 6.
    // NONE:     b = ln(1/4) = −1.3862943611, b + w = ln(1/2) → w = ln 2 = 0.6931471806.
    // BALANCED: positives weigh 8/(2·2) = 2, negatives 8/(2·6) = 2/3; each group's weighted
    //           odds are 3× its odds, so b = ln(3/4) = −0.2876820725 and w = ln 2 again.
    const data = makeData([[0], [0], [0], [0], [0], [1], [1], [1]], [1, 0, 0, 0, 0, 1, 0, 0]);
    const none = fitWith(data, { l2: 0, tolerance: 1e-12 }).model;
    const balanced = fitWith(data, { l2: 0, tolerance: 1e-12, classWeight: 'BALANCED' }).model;
    expect(none.intercept).toBeCloseTo(Math.log(1 / 4), 9);
    expect(balanced.intercept).toBeCloseTo(Math.log(3 / 4), 9);
    expect(balanced.intercept - none.intercept).toBeCloseTo(Math.log(3), 9);
    expect(none.coefficients[0]).toBeCloseTo(Math.log(2), 9);
    expect(balanced.coefficients[0]).toBeCloseTo(Math.log(2), 9);
  });

  it('with BALANCED and l2 > 0 zeroes the weighted gradient', () => {
    const data = makeRandomProblem({ rows: 500, numeric: 3, groups: 1, seed: 11 });
    const positives = data.y.reduce((sum, label) => sum + label, 0);
    const weights: [number, number] = [500 / (2 * (500 - positives)), 500 / (2 * positives)];
    const { model } = fitWith(data, { l2: 2, tolerance: 1e-12, classWeight: 'BALANCED' });
    expect(maxAbs(penalizedGradient(model, data, weights))).toBeLessThan(1e-8);
  });

  it('NEWTON and LBFGS agree to 1e-6 on a seeded random problem, AUTO is NEWTON there', () => {
    const data = makeRandomProblem({ rows: 3000, numeric: 6, groups: 3, seed: 5 });
    const newton = fitWith(data, { solver: 'NEWTON', tolerance: 1e-10 }).model;
    const lbfgs = fitWith(data, { solver: 'LBFGS', tolerance: 1e-10 }).model;
    const auto = fitWith(data, { solver: 'AUTO', tolerance: 1e-10 }).model;
    expect(Math.abs(newton.intercept - lbfgs.intercept)).toBeLessThan(1e-6);
    newton.coefficients.forEach((w, j) =>
      expect(Math.abs(w - lbfgs.coefficients[j])).toBeLessThan(1e-6),
    );
    expect(maxAbs(penalizedGradient(newton, data))).toBeLessThan(1e-10 * data.rows);
    expect(maxAbs(penalizedGradient(lbfgs, data))).toBeLessThan(1e-10 * data.rows);
    expect(auto.coefficients).toEqual(newton.coefficients);
    expect(newton.notes).toEqual([]);
  });

  it('is deterministic', () => {
    const data = makeRandomProblem({ rows: 1000, numeric: 4, groups: 2, seed: 3 });
    for (const solver of ['NEWTON', 'LBFGS'] as const) {
      const first = fitWith(data, { solver });
      expect(fitWith(data, { solver })).toEqual(first);
    }
  });

  it('reports progress per iteration with the mean training log loss', () => {
    const data = makeRandomProblem({ rows: 1000, numeric: 4, groups: 2, seed: 3 });
    const { model, progress } = fitWith(data, { solver: 'NEWTON' });
    expect(progress.map((p) => p.iteration)).toEqual(
      Array.from({ length: model.iterations }, (_, k) => k + 1),
    );
    expect(progress.every((p) => p.maxIterations === 100)).toBe(true);
    let loss = 0;
    for (let i = 0; i < data.rows; i++) {
      const p = sigmoid(logisticRegressionLogit(model, data.x, i * data.cols));
      loss -= data.y[i] === 1 ? Math.log(p) : Math.log(1 - p);
    }
    expect(progress[progress.length - 1].loss).toBeCloseTo(loss / data.rows, 12);
  });

  it('fixes a constant column at 0, names it, and fits the rest as without it', () => {
    const base = makeRandomProblem({ rows: 400, numeric: 2, groups: 0, seed: 8 });
    // Columns: 3 (constant, collinear with the intercept), x0, 0 (constant), x1.
    const rows = Array.from({ length: base.rows }, (_, i) => [
      3,
      base.x[2 * i],
      0,
      base.x[2 * i + 1],
    ]);
    const data = makeData(rows, Array.from(base.y));
    for (const l2 of [0, 1]) {
      const without = fitWith(base, { l2, tolerance: 1e-10 }).model;
      const sut = fitWith(data, { l2, tolerance: 1e-10 }).model;
      expect(sut.coefficients[0]).toBe(0);
      expect(sut.coefficients[2]).toBe(0);
      expect(sut.coefficients[1]).toBeCloseTo(without.coefficients[0], 9);
      expect(sut.coefficients[3]).toBeCloseTo(without.coefficients[1], 9);
      expect(sut.intercept).toBeCloseTo(without.intercept, 9);
      expect(sut.importance[0]).toBe(0);
      expect(sut.notes).toEqual(['constant on the training rows, weight fixed at 0: columns 0, 2']);
    }
  });

  it('fits a full set of one-hot levels beside the intercept with l2 = 0 (singular Hessian)', () => {
    // Levels A (4 rows, 1 positive), B (4 rows, 3 positives): b + w_A = ln(1/3), b + w_B = ln 3;
    // how the two split between b and the weights is arbitrary, the logits are not.
    const data = makeData(
      [
        [1, 0],
        [1, 0],
        [1, 0],
        [1, 0],
        [0, 1],
        [0, 1],
        [0, 1],
        [0, 1],
      ],
      [1, 0, 0, 0, 1, 1, 1, 0],
    );
    for (const solver of ['NEWTON', 'LBFGS'] as const) {
      const { model } = fitWith(data, { l2: 0, tolerance: 1e-10, solver });
      expect(logisticRegressionLogit(model, [1, 0])).toBeCloseTo(Math.log(1 / 3), 8);
      expect(logisticRegressionLogit(model, [0, 1])).toBeCloseTo(Math.log(3), 8);
      expect(model.notes).toEqual([]);
    }
  });

  it('weighs importance by |w_j| · std_j, normalized', () => {
    // Column 0: 0 0 0 1 1 1, std 0.5; column 1 = 4 × column 0 − 2: −2 −2 −2 2 2 2, std 2.
    // With l2 = 1 the penalty splits the effect so that w_1 = 4·w_0 (the gradient of both is
    // the same residual sum times 1 and 4, plus l2·w), so importances are 0.5·w0 : 2·4·w0 = 1 : 16.
    const data = makeData(
      [
        [0, -2],
        [0, -2],
        [0, -2],
        [1, 2],
        [1, 2],
        [1, 2],
      ],
      [0, 0, 1, 0, 1, 1],
    );
    const { model } = fitWith(data, { l2: 1, tolerance: 1e-12 });
    expect(model.coefficients[1] / model.coefficients[0]).toBeCloseTo(4, 9);
    expect(model.importance[0]).toBeCloseTo(1 / 17, 9);
    expect(model.importance[1]).toBeCloseTo(16 / 17, 9);
  });

  it('refuses bad params and bad data with a RangeError', () => {
    const params = DEFAULT_LOGISTIC_REGRESSION_PARAMS;
    expect(() => fitLogisticRegression(SIX, { ...params, l2: -1 })).toThrow(/l2: must be/);
    const bad = (change: Partial<TrainingData>) => () =>
      fitLogisticRegression({ ...SIX, ...change }, params);
    expect(bad({ rows: 5 })).toThrow(RangeError);
    expect(bad({ y: Uint8Array.from([0, 0, 1, 0, 1, 2]) })).toThrow(/labels are 0 or 1/);
    expect(bad({ x: Float64Array.from([0, 0, NaN, 1, 1, 1]) })).toThrow(/finite inputs/);
    expect(bad({ y: new Uint8Array(6) })).toThrow(/both classes/);
  });
});

describe('logisticRegressionLogit and explainLogisticRegression', () => {
  const model: LogisticRegressionModel = {
    type: 'LOGISTIC_REGRESSION',
    intercept: -1.5,
    coefficients: [2, -0.5, 0.25],
    params: DEFAULT_LOGISTIC_REGRESSION_PARAMS,
    importance: [0.5, 0.25, 0.25],
    iterations: 3,
    notes: [],
  };

  it('is intercept + Σ w_j·x_j, read at an offset', () => {
    // −1.5 + 2·1 − 0.5·4 + 0.25·(−2) = −1.5 + 2 − 2 − 0.5 = −2.
    expect(logisticRegressionLogit(model, [9, 9, 9, 1, 4, -2], 3)).toBe(-2);
    expect(explainLogisticRegression(model, [9, 9, 9, 1, 4, -2], 3)).toEqual({
      base: -1.5,
      contributions: Float64Array.from([2, -2, -0.5]),
    });
  });

  it('adds up: base + Σ contributions = logit on fitted rows', () => {
    const data = makeRandomProblem({ rows: 200, numeric: 5, groups: 2, seed: 21 });
    const fitted = fitWith(data).model;
    for (let i = 0; i < data.rows; i++) {
      const { base, contributions } = explainLogisticRegression(fitted, data.x, i * data.cols);
      const sum = contributions.reduce((total, c) => total + c, base);
      expect(Math.abs(sum - logisticRegressionLogit(fitted, data.x, i * data.cols))).toBeLessThan(
        1e-12,
      );
    }
  });
});
