import { ParamProblem } from '../model.types';

export type ClassWeight = 'NONE' | 'BALANCED';
export const CLASS_WEIGHTS: readonly ClassWeight[] = ['NONE', 'BALANCED'];

export type LogisticSolver = 'AUTO' | 'NEWTON' | 'LBFGS';
export const LOGISTIC_SOLVERS: readonly LogisticSolver[] = ['AUTO', 'NEWTON', 'LBFGS'];

/** AUTO picks NEWTON up to this many columns: the (cols + 1)² Hessian is cheap to build and solve. */
export const AUTO_NEWTON_MAX_COLS = 300;

export interface LogisticRegressionParams {
  /**
   * ½·l2·‖w‖² added to the sum (not the mean) of the log losses, intercept not penalized: exactly
   * scikit-learn's LogisticRegression(C = 1 / l2). ≥ 0.
   */
  readonly l2: number;
  /** Newton or L-BFGS iterations at most; 1..1000. */
  readonly maxIterations: number;
  /** Converged when the largest |gradient| of the penalized objective is ≤ tolerance × rows; > 0. */
  readonly tolerance: number;
  /** BALANCED: each row of class c weighs rows / (2 · count_c), as scikit-learn's 'balanced'. */
  readonly classWeight: ClassWeight;
  /** AUTO: NEWTON up to AUTO_NEWTON_MAX_COLS columns, LBFGS above. */
  readonly solver: LogisticSolver;
}

export const DEFAULT_LOGISTIC_REGRESSION_PARAMS: LogisticRegressionParams = Object.freeze({
  l2: 1,
  maxIterations: 100,
  tolerance: 1e-6,
  classWeight: 'NONE' as const,
  solver: 'AUTO' as const,
});

type Check = (value: unknown) => string | null;

function finiteNumber(valid: (value: number) => boolean, range: string): Check {
  return (value) =>
    typeof value === 'number' && Number.isFinite(value) && valid(value)
      ? null
      : `must be a number ${range}`;
}

function oneOf(choices: readonly string[]): Check {
  return (value) =>
    typeof value === 'string' && choices.includes(value)
      ? null
      : `must be one of ${choices.join(', ')}`;
}

const CHECKS: { readonly [K in keyof LogisticRegressionParams]: Check } = {
  l2: finiteNumber((v) => v >= 0, '≥ 0'),
  maxIterations: (value) =>
    typeof value === 'number' && Number.isInteger(value) && value >= 1 && value <= 1000
      ? null
      : 'must be an integer from 1 to 1000',
  tolerance: finiteNumber((v) => v > 0, '> 0'),
  classWeight: oneOf(CLASS_WEIGHTS),
  solver: oneOf(LOGISTIC_SOLVERS),
};

/**
 * The params with defaults filled in for absent (undefined) fields, and every bad field named by
 * its path (unknown key, wrong type, out of range). A bad field keeps its default in `params`, so
 * the result is always usable, but a caller with problems should refuse to train.
 */
export function logisticRegressionParams(input: Record<string, unknown> | null | undefined): {
  params: LogisticRegressionParams;
  problems: ParamProblem[];
} {
  const problems: ParamProblem[] = [];
  if (input == null) return { params: { ...DEFAULT_LOGISTIC_REGRESSION_PARAMS }, problems };
  if (typeof input !== 'object' || Array.isArray(input)) {
    problems.push({ path: '', message: 'params must be an object' });
    return { params: { ...DEFAULT_LOGISTIC_REGRESSION_PARAMS }, problems };
  }
  const params: Record<string, unknown> = { ...DEFAULT_LOGISTIC_REGRESSION_PARAMS };
  for (const key of Object.keys(CHECKS) as (keyof LogisticRegressionParams)[]) {
    const value = input[key];
    if (value === undefined) continue;
    const problem = CHECKS[key](value);
    if (problem === null) params[key] = value;
    else problems.push({ path: key, message: problem });
  }
  for (const key of Object.keys(input)) {
    if (!Object.prototype.hasOwnProperty.call(CHECKS, key)) {
      problems.push({ path: key, message: 'unknown parameter' });
    }
  }
  return { params: params as unknown as LogisticRegressionParams, problems };
}
