import {
  checkParams,
  defaultParams,
  ParamProblem,
  ParamSpecs,
} from '../../common/param-checks.util';

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

const SPECS: ParamSpecs<LogisticRegressionParams> = {
  l2: { kind: 'number', atLeast: 0, default: 1 },
  maxIterations: { kind: 'integer', min: 1, max: 1000, default: 100 },
  tolerance: { kind: 'number', above: 0, default: 1e-6 },
  classWeight: { kind: 'enum', values: CLASS_WEIGHTS, default: 'NONE' },
  solver: { kind: 'enum', values: LOGISTIC_SOLVERS, default: 'AUTO' },
};

export const DEFAULT_LOGISTIC_REGRESSION_PARAMS: LogisticRegressionParams = defaultParams(SPECS);

/**
 * The params with defaults filled in for absent (undefined) fields, and every bad field named by
 * its path (unknown key, wrong type, out of range). A bad field keeps its default in `params`, so
 * the result is always usable, but a caller with problems should refuse to train.
 */
export function logisticRegressionParams(input: Record<string, unknown> | null | undefined): {
  params: LogisticRegressionParams;
  problems: ParamProblem[];
} {
  return checkParams(input, SPECS);
}
