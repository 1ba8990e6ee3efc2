import { seededRandom } from '../../common/random.util';
import {
  gradientPass,
  hessianPass,
  hessianWorkspace,
  LogisticProblem,
  lineFunction,
  linearPredictor,
  logisticProblem,
  rowLogLoss,
  rowResidual,
} from './logistic-objective.util';

describe('rowLogLoss and rowResidual', () => {
  it('are ln 2 and ∓½ at z = 0', () => {
    expect(rowLogLoss(0, 1)).toBeCloseTo(Math.LN2, 15);
    expect(rowLogLoss(0, 0)).toBeCloseTo(Math.LN2, 15);
    expect(rowResidual(0, 1)).toBe(-0.5);
    expect(rowResidual(0, 0)).toBe(0.5);
  });

  it('stay finite and keep a confident right answer nonzero', () => {
    // −ln σ(−800) = 800 + ln(1 + e⁻⁸⁰⁰) = 800; exp(800) itself would overflow.
    expect(rowLogLoss(-800, 1)).toBe(800);
    expect(rowLogLoss(800, 0)).toBe(800);
    // σ(40) − 1 is 0 in doubles; −σ(−40) = −e⁻⁴⁰/(1 + e⁻⁴⁰) = −4.248354255291589e-18.
    expect(rowResidual(40, 1)).toBeCloseTo(-4.248354255291589e-18, 30);
    expect(rowResidual(-40, 0)).toBeCloseTo(4.248354255291589e-18, 30);
  });
});

describe('gradientPass, hessianPass and lineFunction', () => {
  // 7 rows (not a multiple of the Hessian's 4-row blocks), column 1 mostly 0, column 2 left out.
  const random = seededRandom(12);
  const rows = 7;
  const cols = 4;
  const x = Float64Array.from({ length: rows * cols }, (_, k) =>
    k % cols === 1 ? (random() < 0.3 ? 1 : 0) : random() * 2 - 1,
  );
  const problem: LogisticProblem = logisticProblem({
    x,
    rows,
    cols,
    y: Uint8Array.from([1, 0, 0, 1, 1, 0, 0]),
    weightNegative: 0.875,
    weightPositive: 7 / 6,
    l2: 0.5,
    columns: Int32Array.from([0, 1, 3]),
  });
  const theta = Float64Array.from([0.3, -0.7, 1.1, 0.4]);
  const logitsOf = (t: Float64Array) => {
    const z = new Float64Array(rows);
    linearPredictor(problem, t, z);
    return z;
  };
  const objectiveOf = (t: Float64Array) =>
    gradientPass(problem, t, logitsOf(t), new Float64Array(4)).objective;

  it('give the gradient of the objective (central differences)', () => {
    const gradient = new Float64Array(4);
    gradientPass(problem, theta, logitsOf(theta), gradient);
    for (let a = 0; a < 4; a++) {
      const up = Float64Array.from(theta);
      const down = Float64Array.from(theta);
      up[a] += 1e-6;
      down[a] -= 1e-6;
      expect(gradient[a]).toBeCloseTo((objectiveOf(up) - objectiveOf(down)) / 2e-6, 7);
    }
  });

  it('give the Hessian: Σ s·σ(z)σ(−z)·[1 x][1 x]ᵀ + l2 on the weights, and its diagonal', () => {
    const z = logitsOf(theta);
    const workspace = hessianWorkspace(problem);
    const diagonal = new Float64Array(4);
    const curvature = new Float64Array(rows);
    gradientPass(problem, theta, z, new Float64Array(4), { diagonal, curvature });
    hessianPass(problem, curvature, workspace);
    for (let p = 0; p < 4; p++) {
      for (let q = 0; q < 4; q++) {
        let expected = p === q && p > 0 ? 0.5 : 0;
        for (let i = 0; i < rows; i++) {
          const s = problem.y[i] === 1 ? 7 / 6 : 0.875;
          const sigma = 1 / (1 + Math.exp(-z[i]));
          const input = (k: number) => (k === 0 ? 1 : x[i * cols + problem.active[k - 1]]);
          expected += s * sigma * (1 - sigma) * input(p) * input(q);
        }
        expect(workspace.hessian[p * 4 + q]).toBeCloseTo(expected, 14);
        if (p === q) expect(diagonal[p]).toBeCloseTo(expected, 14);
      }
    }
  });

  it('move along a direction in O(rows): value and slope as at θ + t·d', () => {
    const z = logitsOf(theta);
    const gradient = new Float64Array(4);
    const { objective } = gradientPass(problem, theta, z, gradient);
    const d = Float64Array.from([-0.2, 0.5, 0.1, -0.3]);
    const u = logitsOf(d);
    const line = lineFunction(problem, theta, d, z, u, objective, gradient);
    const moved = theta.map((v, a) => v + 0.7 * d[a]);
    const at = line.at(0.7);
    expect(at.value).toBeCloseTo(objectiveOf(moved), 12);
    expect(at.slope).toBeCloseTo((line.at(0.7 + 1e-6).value - line.at(0.7 - 1e-6).value) / 2e-6, 7);
    expect(line.slope0).toBeCloseTo(
      gradient.reduce((sum, g, a) => sum + g * d[a], 0),
      14,
    );
  });
});

describe('logisticProblem: dense columns in place, the others as compact rows', () => {
  // 9 rows (two blocks of four and one row), 5 columns: 0 and 4 nonzero everywhere, 1 a 0/1
  // level, 2 sparse with other values, 3 nonzero on one row only.
  const rows = 9;
  const cols = 5;
  const random = seededRandom(7);
  const x = Float64Array.from({ length: rows * cols }, (_, k) => {
    const [i, j] = [Math.floor(k / cols), k % cols];
    if (j === 0 || j === 4) return random() * 4 - 2;
    if (j === 1) return i % 3 === 0 ? 1 : 0;
    if (j === 2) return i % 4 === 1 ? 2.5 : i % 4 === 2 ? -1 : 0;
    return i === 5 ? 3 : 0;
  });
  const y = Uint8Array.from([1, 0, 1, 1, 0, 0, 1, 0, 0]);
  const problem = logisticProblem({
    x,
    rows,
    cols,
    y,
    weightNegative: 1,
    weightPositive: 2,
    l2: 0.25,
    columns: Int32Array.from([0, 1, 2, 3, 4]),
  });
  const m = 6;
  // θ in the problem's order: intercept, then the weights of problem.active.
  const theta = Float64Array.from([0.2, 0.5, -0.3, 0.8, -1.1, 0.05]);
  const input = (i: number, a: number) => (a === 0 ? 1 : x[i * cols + problem.active[a - 1]]);

  it('puts the mostly nonzero columns first and keeps only the others’ nonzeros', () => {
    expect(Array.from(problem.active)).toEqual([0, 4, 1, 2, 3]);
    expect(problem.dense).toBe(2);
    // Column 1 on rows 0, 3, 6; column 2 on rows 1, 2, 5, 6; column 3 on row 5.
    expect(problem.sparse.value.length).toBe(3 + 4 + 1);
    expect(
      Array.from(problem.sparse.index.subarray(problem.sparse.start[5], problem.sparse.start[6])),
    ).toEqual([4, 5]);
  });

  it('gives the logits, gradient and Hessian of the dense formulas', () => {
    const z = new Float64Array(rows);
    linearPredictor(problem, theta, z);
    for (let i = 0; i < rows; i++) {
      let expected = 0;
      for (let a = 0; a < m; a++) expected += theta[a] * input(i, a);
      expect(z[i]).toBeCloseTo(expected, 14);
    }
    const gradient = new Float64Array(m);
    const diagonal = new Float64Array(m);
    const curvature = new Float64Array(rows);
    gradientPass(problem, theta, z, gradient, { diagonal, curvature });
    const workspace = hessianWorkspace(problem);
    hessianPass(problem, curvature, workspace);
    // The same pass can compute the logits itself.
    const fused = new Float64Array(rows);
    const fusedGradient = new Float64Array(m);
    gradientPass(problem, theta, fused, fusedGradient, { logits: true });
    expect(Array.from(fused)).toEqual(Array.from(z));
    expect(Array.from(fusedGradient)).toEqual(Array.from(gradient));
    for (let p = 0; p < m; p++) {
      let g = p > 0 ? 0.25 * theta[p] : 0;
      for (let i = 0; i < rows; i++)
        g += (y[i] === 1 ? 2 : 1) * rowResidual(z[i], y[i]) * input(i, p);
      expect(gradient[p]).toBeCloseTo(g, 13);
      for (let q = 0; q < m; q++) {
        let expected = p === q && p > 0 ? 0.25 : 0;
        for (let i = 0; i < rows; i++) {
          const sigma = 1 / (1 + Math.exp(-z[i]));
          expected += (y[i] === 1 ? 2 : 1) * sigma * (1 - sigma) * input(i, p) * input(i, q);
        }
        expect(workspace.hessian[p * m + q]).toBeCloseTo(expected, 13);
        if (p === q) expect(diagonal[p]).toBeCloseTo(expected, 13);
      }
    }
  });
});
