/**
 * Logistic regression with non-negative coefficients, fitted exactly: the model behind the weight
 * fit. Pure, deterministic, over typed arrays.
 *
 * P(y = 1 | x) = σ(b0 + Σ βj·xj), βj ≥ 0, maximising the mean log-likelihood minus (λ/2)·‖β‖²
 * (the intercept is not penalised). The objective is strictly concave, so its constrained optimum
 * is unique, and on its support S it is the unconstrained optimum of the model restricted to S
 * (the gradient vanishes in the free coordinates). With three features there are eight supports:
 * fit each one by Newton's method and keep the best whose coefficients are all ≥ 0. That is the
 * constrained optimum itself, not an approximation, and it needs no tuning of a step size.
 */

/** Keeps the optimum finite when a feature separates the classes; too small to move weights. */
export const DEFAULT_RIDGE = 1e-4;
const MAX_ITERATIONS = 100;
/** Stop when half the Newton decrement (the predicted gain) is below this. */
const TOLERANCE = 1e-13;

export interface LogisticFit {
  readonly intercept: number;
  /** One per column, each ≥ 0. */
  readonly coefficients: readonly number[];
  /** Mean log-likelihood per row (≤ 0), without the penalty. */
  readonly meanLogLikelihood: number;
}

interface Problem {
  readonly columns: readonly Float64Array[];
  readonly labels: Uint8Array;
  readonly ridge: number;
}

export function fitNonNegativeLogistic({
  columns,
  labels,
  ridge = DEFAULT_RIDGE,
}: {
  columns: readonly Float64Array[];
  labels: Uint8Array;
  ridge?: number;
}): LogisticFit {
  const n = labels.length;
  if (n === 0) throw new RangeError('no rows to fit');
  for (const column of columns) {
    if (column.length !== n) throw new RangeError(`a column of ${column.length} for ${n} labels`);
  }
  if (!(ridge > 0)) throw new RangeError(`ridge must be > 0, not ${ridge}`);
  const problem: Problem = { columns, labels, ridge };
  const k = columns.length;
  let best: { theta: Float64Array; support: number[]; objective: number } | null = null;
  // Every support, the full one first: when its optimum is feasible it is the answer (the
  // unconstrained optimum, inside the constraint), and that is the common case.
  for (let mask = (1 << k) - 1; mask >= 0; mask--) {
    const support = Array.from({ length: k }, (_, j) => j).filter((j) => (mask >> j) & 1);
    const theta = newton(problem, support);
    // A coefficient below 0 (beyond float noise) puts this support outside the constraint.
    if (theta.some((value, i) => i > 0 && value < -1e-12)) continue;
    const objective = penalised(problem, support, theta);
    if (best === null || objective > best.objective) best = { theta, support, objective };
    if (support.length === k) break;
  }
  // The empty support is always feasible, so `best` is set.
  const { theta, support } = best!;
  const coefficients = new Array<number>(k).fill(0);
  support.forEach((j, i) => (coefficients[j] = Math.max(theta[i + 1], 0)));
  return {
    intercept: theta[0],
    coefficients,
    meanLogLikelihood: logLikelihood(problem, support, theta),
  };
}

/** The unconstrained optimum on `support`: θ = [b0, β of the support's columns]. */
function newton(problem: Problem, support: readonly number[]): Float64Array {
  const { labels } = problem;
  const n = labels.length;
  const m = support.length + 1;
  const theta = new Float64Array(m);
  let positives = 0;
  for (let i = 0; i < n; i++) positives += labels[i];
  // From the base rate (clipped so that one class alone still starts finite).
  const rate = Math.min(Math.max(positives / n, 1e-6), 1 - 1e-6);
  theta[0] = Math.log(rate / (1 - rate));
  let objective = penalised(problem, support, theta);
  for (let iteration = 0; iteration < MAX_ITERATIONS; iteration++) {
    const { gradient, information } = derivatives(problem, support, theta);
    const step = solve(information, gradient);
    let gain = 0;
    for (let a = 0; a < m; a++) gain += gradient[a] * step[a];
    if (gain / 2 < TOLERANCE) break;
    // Damped: halve the step until the objective rises (it always does for a small enough one).
    let t = 1;
    let next = theta.map((value, a) => value + step[a]);
    let nextObjective = penalised(problem, support, next);
    while (!(nextObjective >= objective) && t > 1e-10) {
      t /= 2;
      next = theta.map((value, a) => value + t * step[a]);
      nextObjective = penalised(problem, support, next);
    }
    // A step cut to nothing moves θ by nothing: at the optimum to float precision.
    theta.set(next);
    objective = nextObjective;
  }
  return theta;
}

function linear(problem: Problem, support: readonly number[], theta: Float64Array, i: number) {
  let eta = theta[0];
  for (let s = 0; s < support.length; s++) eta += theta[s + 1] * problem.columns[support[s]][i];
  return eta;
}

/** log(1 + e^η) without overflow. */
function softplus(eta: number): number {
  return eta > 0 ? eta + Math.log1p(Math.exp(-eta)) : Math.log1p(Math.exp(eta));
}

function logLikelihood(problem: Problem, support: readonly number[], theta: Float64Array): number {
  const { labels } = problem;
  let sum = 0;
  for (let i = 0; i < labels.length; i++) {
    const eta = linear(problem, support, theta, i);
    sum += labels[i] * eta - softplus(eta);
  }
  return sum / labels.length;
}

function penalised(problem: Problem, support: readonly number[], theta: Float64Array): number {
  let squares = 0;
  for (let a = 1; a < theta.length; a++) squares += theta[a] * theta[a];
  return logLikelihood(problem, support, theta) - (problem.ridge / 2) * squares;
}

/** The gradient of the penalised objective and its negated Hessian (the information). */
function derivatives(problem: Problem, support: readonly number[], theta: Float64Array) {
  const { labels, columns, ridge } = problem;
  const n = labels.length;
  const m = theta.length;
  const gradient = new Float64Array(m);
  const information = Array.from({ length: m }, () => new Float64Array(m));
  const z = new Float64Array(m);
  z[0] = 1;
  for (let i = 0; i < n; i++) {
    for (let s = 0; s < support.length; s++) z[s + 1] = columns[support[s]][i];
    const p = 1 / (1 + Math.exp(-linear(problem, support, theta, i)));
    const residual = labels[i] - p;
    const curvature = p * (1 - p);
    for (let a = 0; a < m; a++) {
      gradient[a] += (residual * z[a]) / n;
      for (let b = 0; b <= a; b++) information[a][b] += (curvature * z[a] * z[b]) / n;
    }
  }
  for (let a = 0; a < m; a++) {
    for (let b = 0; b < a; b++) information[b][a] = information[a][b];
    // A hair on the diagonal keeps the system solvable when every p has saturated.
    information[a][a] += a === 0 ? 1e-12 : ridge;
    if (a > 0) gradient[a] -= ridge * theta[a];
  }
  return { gradient, information };
}

/** A·x = b by Gaussian elimination with partial pivoting (A is at most 4×4 here). */
export function solve(matrix: readonly Float64Array[], rhs: Float64Array): Float64Array {
  const m = rhs.length;
  const a = matrix.map((row) => Float64Array.from(row));
  const x = Float64Array.from(rhs);
  for (let col = 0; col < m; col++) {
    let pivot = col;
    for (let row = col + 1; row < m; row++) {
      if (Math.abs(a[row][col]) > Math.abs(a[pivot][col])) pivot = row;
    }
    [a[col], a[pivot]] = [a[pivot], a[col]];
    [x[col], x[pivot]] = [x[pivot], x[col]];
    for (let row = col + 1; row < m; row++) {
      const factor = a[row][col] / a[col][col];
      for (let c = col; c < m; c++) a[row][c] -= factor * a[col][c];
      x[row] -= factor * x[col];
    }
  }
  for (let row = m - 1; row >= 0; row--) {
    let sum = x[row];
    for (let c = row + 1; c < m; c++) sum -= a[row][c] * x[c];
    x[row] = sum / a[row][row];
  }
  return x;
}
