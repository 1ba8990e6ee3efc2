import { refuseInvalidParams } from '../../common/param-checks.util';
import { Explanation, FitProgress, TrainedBase, TrainingData } from '../model.types';
import { checkTrainingData } from '../training-data.util';
import { choleskyInPlace, choleskySolveInPlace } from './cholesky.util';
import { forgetPairs, lbfgsDirection, lbfgsMemory, rememberPair } from './lbfgs.util';
import { backtrack, LineStep, strongWolfe } from './line-search.util';
import {
  GradientPass,
  gradientPass,
  hessianPass,
  HessianWorkspace,
  hessianWorkspace,
  LogisticProblem,
  lineFunction,
  linearPredictor,
  logisticProblem,
} from './logistic-objective.util';
import {
  AUTO_NEWTON_MAX_COLS,
  LogisticRegressionParams,
  logisticRegressionParams,
} from './logistic-regression-params.util';

export {
  AUTO_NEWTON_MAX_COLS,
  CLASS_WEIGHTS,
  DEFAULT_LOGISTIC_REGRESSION_PARAMS,
  LOGISTIC_SOLVERS,
  logisticRegressionParams,
} from './logistic-regression-params.util';
export type {
  ClassWeight,
  LogisticRegressionParams,
  LogisticSolver,
} from './logistic-regression-params.util';

export interface LogisticRegressionModel extends TrainedBase {
  readonly type: 'LOGISTIC_REGRESSION';
  readonly intercept: number;
  /** One per input column; 0 for a column constant on the training rows. */
  readonly coefficients: readonly number[];
  readonly params: LogisticRegressionParams;
}

interface ColumnSummary {
  /** Population standard deviation on the training rows. */
  readonly std: Float64Array;
  readonly constant: number[];
  readonly positives: number;
  /** Rows where the column is not 0. */
  readonly nonzero: Int32Array;
}

/**
 * Checks the data and summarizes its columns in one pass. Logistic regression takes no missing
 * values (the shared transformation fills them), and a class with no rows has no finite optimum.
 */
function summarize(data: TrainingData): ColumnSummary {
  const { positives } = checkTrainingData(data, 'logistic regression');
  const { x, rows, cols } = data;
  // Sums of differences from the first row keep the variance free of cancellation.
  const sum = new Float64Array(cols);
  const squares = new Float64Array(cols);
  const varies = new Uint8Array(cols);
  const nonzero = new Int32Array(cols);
  // Most inputs are 0 (one-hot levels, indicators): those are counted, and their differences
  // (all −x[j]) added once per column after the pass.
  for (let i = 0, offset = 0; i < rows; i++, offset += cols) {
    for (let j = 0; j < cols; j++) {
      const value = x[offset + j];
      if (value === 0) continue;
      if (!Number.isFinite(value)) {
        throw new RangeError(`x[${i}][${j}] is ${value}: logistic regression needs finite inputs`);
      }
      nonzero[j]++;
      const d = value - x[j];
      sum[j] += d;
      squares[j] += d * d;
      if (d !== 0) varies[j] = 1;
    }
  }
  for (let j = 0; j < cols; j++) {
    const zeros = rows - nonzero[j];
    if (zeros === 0 || x[j] === 0) continue;
    sum[j] -= zeros * x[j];
    squares[j] += zeros * x[j] * x[j];
    varies[j] = 1;
  }
  const std = new Float64Array(cols);
  const constant: number[] = [];
  for (let j = 0; j < cols; j++) {
    if (!varies[j]) {
      constant.push(j);
      continue;
    }
    const mean = sum[j] / rows;
    std[j] = Math.sqrt(Math.max(squares[j] / rows - mean * mean, 0));
  }
  return { std, constant, positives, nonzero };
}

/**
 * Fits L2-penalized logistic regression, one Newton (IRLS) or L-BFGS iteration per `next()`.
 * Starts from w = 0 and the intercept at the (weighted) log odds of the labels. Converged when
 * the largest |∂F| is ≤ tolerance × rows; never on perfectly separated rows with l2 = 0, where F
 * has no minimum and the weights grow until maxIterations (finite, with a note).
 * Throws RangeError for bad params or data (shapes, labels, non-finite inputs, a missing class).
 */
export function fitLogisticRegression(
  data: TrainingData,
  params: LogisticRegressionParams,
): Generator<FitProgress, LogisticRegressionModel, void> {
  refuseInvalidParams(logisticRegressionParams, params, 'invalid logistic regression params');
  const summary = summarize(data);
  const negatives = data.rows - summary.positives;
  const balanced = params.classWeight === 'BALANCED';
  const constant = new Set(summary.constant);
  const problem = logisticProblem({
    x: data.x,
    rows: data.rows,
    cols: data.cols,
    y: data.y,
    weightNegative: balanced ? data.rows / (2 * negatives) : 1,
    weightPositive: balanced ? data.rows / (2 * summary.positives) : 1,
    l2: params.l2,
    columns: Int32Array.from(
      Array.from({ length: data.cols }, (_, j) => j).filter((j) => !constant.has(j)),
    ),
    nonzero: summary.nonzero,
  });
  const solver =
    params.solver === 'AUTO'
      ? data.cols <= AUTO_NEWTON_MAX_COLS
        ? 'NEWTON'
        : 'LBFGS'
      : params.solver;
  return run(problem, params, solver, summary);
}

function* run(
  problem: LogisticProblem,
  params: LogisticRegressionParams,
  solver: 'NEWTON' | 'LBFGS',
  summary: ColumnSummary,
): Generator<FitProgress, LogisticRegressionModel, void> {
  const { rows, cols, active, l2 } = problem;
  const m = 1 + active.length;
  const theta = new Float64Array(m);
  const { positives } = summary;
  theta[0] = Math.log(
    (positives * problem.weightPositive) / ((rows - positives) * problem.weightNegative),
  );
  const z = new Float64Array(rows);
  const u = new Float64Array(rows);
  const direction = new Float64Array(m);
  let gradient = new Float64Array(m);
  const newton = solver === 'NEWTON' ? newtonWorkspace(problem) : null;
  // The logits are recomputed from θ (not moved by t·u) with the gradient in one pass, so the
  // model's gradient is exactly the one checked; Newton keeps each row's curvature for the Hessian.
  const options = newton
    ? { logits: true, curvature: newton.curvatures }
    : { logits: true, diagonal: new Float64Array(m) };
  let pass = gradientPass(problem, theta, z, gradient, options);

  const memory = lbfgsMemory();
  const bound = params.tolerance * rows;
  const converged = (p: GradientPass) => p.maxAbsGradient <= bound && !(l2 === 0 && p.separated);

  // The direction and a step along it; the gradient direction when the preferred one fails.
  const search = (): LineStep | null => {
    const along = () => {
      linearPredictor(problem, direction, u);
      return lineFunction(problem, theta, direction, z, u, pass.objective, gradient);
    };
    if (newton) newtonDirection(problem, gradient, newton, direction);
    else lbfgsDirection(memory, gradient, direction, options.diagonal);
    let line = along();
    if (line.slope0 < 0) {
      // With H₀ the inverse Hessian diagonal, t = 1 is the natural first trial from the start.
      const step = newton ? backtrack(line) : strongWolfe(line, 1);
      if (step) return step;
    }
    forgetPairs(memory);
    for (let a = 0; a < m; a++) direction[a] = -gradient[a];
    line = along();
    if (!(line.slope0 < 0)) return null;
    return strongWolfe(line, 1 / pass.maxAbsGradient);
  };

  let iterations = 0;
  let stalled = false;
  while (!converged(pass) && iterations < params.maxIterations) {
    const step = search();
    if (step === null) {
      stalled = true;
      break;
    }
    for (let a = 0; a < m; a++) theta[a] += step.t * direction[a];
    const previous = gradient;
    gradient = new Float64Array(m);
    pass = gradientPass(problem, theta, z, gradient, options);
    if (!newton) {
      const s = new Float64Array(m);
      const y = new Float64Array(m);
      for (let a = 0; a < m; a++) {
        s[a] = step.t * direction[a];
        y[a] = gradient[a] - previous[a];
      }
      rememberPair(memory, s, y);
    }
    iterations++;
    yield { iteration: iterations, maxIterations: params.maxIterations, loss: pass.meanLogLoss };
  }

  const coefficients = new Array<number>(cols).fill(0);
  for (let a = 0; a < active.length; a++) coefficients[active[a]] = theta[1 + a];
  return {
    type: 'LOGISTIC_REGRESSION',
    intercept: theta[0],
    coefficients,
    params: { ...params },
    importance: importanceOf(coefficients, summary.std),
    iterations,
    notes: notesOf({
      summary,
      pass,
      converged: converged(pass),
      stalled,
      iterations,
      params,
      bound,
    }),
  };
}

interface NewtonWorkspace extends HessianWorkspace {
  readonly factor: Float64Array;
  /** Each row's curvature at the current logits, left by the last gradient pass. */
  readonly curvatures: Float64Array;
}

function newtonWorkspace(problem: LogisticProblem): NewtonWorkspace {
  const m = 1 + problem.active.length;
  return {
    ...hessianWorkspace(problem),
    factor: new Float64Array(m * m),
    curvatures: new Float64Array(problem.rows),
  };
}

/**
 * The Newton direction −H⁻¹g. Collinear columns with l2 = 0 (a full set of one-hot levels beside
 * the intercept) make H singular: a growing multiple of the identity is added until it factors,
 * which picks one of the equally good directions. Zeros (the caller then takes −g) if none does.
 */
function newtonDirection(
  problem: LogisticProblem,
  gradient: Float64Array,
  workspace: NewtonWorkspace,
  out: Float64Array,
): void {
  const { hessian, factor } = workspace;
  const m = gradient.length;
  hessianPass(problem, workspace.curvatures, workspace);
  let largest = 0;
  for (let a = 0; a < m; a++) largest = Math.max(largest, hessian[a * m + a]);
  for (let attempt = 0; attempt < 6; attempt++) {
    factor.set(hessian);
    const jitter = attempt === 0 ? 0 : largest * 1e-12 * 100 ** attempt;
    for (let a = 0; a < m; a++) factor[a * m + a] += jitter;
    if (choleskyInPlace(factor, m)) {
      for (let a = 0; a < m; a++) out[a] = -gradient[a];
      choleskySolveInPlace(factor, m, out);
      return;
    }
  }
  out.fill(0);
}

function importanceOf(coefficients: readonly number[], std: Float64Array): number[] {
  const raw = coefficients.map((w, j) => Math.abs(w) * std[j]);
  const total = raw.reduce((sum, value) => sum + value, 0);
  return total > 0 && Number.isFinite(total) ? raw.map((value) => value / total) : raw.map(() => 0);
}

function notesOf(input: {
  summary: ColumnSummary;
  pass: GradientPass;
  converged: boolean;
  stalled: boolean;
  iterations: number;
  params: LogisticRegressionParams;
  bound: number;
}): string[] {
  const { summary, pass, params, iterations, bound } = input;
  const notes: string[] = [];
  if (summary.constant.length > 0) {
    notes.push(
      `constant on the training rows, weight fixed at 0: column${summary.constant.length > 1 ? 's' : ''} ${summary.constant.join(', ')}`,
    );
  }
  const gradient = `largest |gradient| ${pass.maxAbsGradient.toExponential(3)}, tolerance × rows ${bound.toExponential(3)}`;
  if (input.stalled && !input.converged) {
    notes.push(
      `stopped after ${iterations} iterations: no step decreased the objective (${gradient})`,
    );
  } else if (!input.converged) {
    notes.push(`did not converge in ${iterations} iterations (${gradient})`);
  }
  if (params.l2 === 0 && pass.separated) {
    notes.push(
      'the classes are perfectly separable on the training rows and l2 = 0: the weights grow without bound (set l2 > 0)',
    );
  }
  return notes;
}

/** intercept + Σ w_j·x_j for the row starting at `offset`. */
export function logisticRegressionLogit(
  model: LogisticRegressionModel,
  x: ArrayLike<number>,
  offset = 0,
): number {
  const w = model.coefficients;
  let logit = model.intercept;
  for (let j = 0; j < w.length; j++) logit += w[j] * x[offset + j];
  return logit;
}

/** base = intercept, contribution_j = w_j·x_j: exactly the terms the logit adds, in its order. */
export function explainLogisticRegression(
  model: LogisticRegressionModel,
  x: ArrayLike<number>,
  offset = 0,
): Explanation {
  const w = model.coefficients;
  const contributions = new Float64Array(w.length);
  for (let j = 0; j < w.length; j++) contributions[j] = w[j] * x[offset + j];
  return { base: model.intercept, contributions };
}
