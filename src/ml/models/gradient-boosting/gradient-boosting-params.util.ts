import { ParamProblem } from '../model.types';

export type EarlyStopping = 'AUTO' | 'ON' | 'OFF';
export const EARLY_STOPPING_MODES: readonly EarlyStopping[] = ['AUTO', 'ON', 'OFF'];

/** AUTO turns early stopping on above this many rows, as scikit-learn does. */
export const AUTO_EARLY_STOPPING_ROWS = 10_000;

export interface GradientBoostingParams {
  /** Each tree's values are scaled by it (shrinkage); > 0 and ≤ 1. */
  readonly learningRate: number;
  /** Trees at most; 1..5000. */
  readonly maxIterations: number;
  /** Leaves per tree at most; 2..4096. */
  readonly maxLeafNodes: number;
  /** Null: unlimited (maxLeafNodes still bounds the tree); else 1..64 (1: stumps). */
  readonly maxDepth: number | null;
  /** Rows each leaf keeps at least; ≥ 1. */
  readonly minSamplesLeaf: number;
  /** λ in −G/(H + λ) and in the split gain; ≥ 0. */
  readonly l2Regularization: number;
  /** Bins for a column's non-missing values, 2..255; missing values get one more of their own. */
  readonly maxBins: number;
  /** AUTO: ON when there are more than 10,000 rows. */
  readonly earlyStopping: EarlyStopping;
  /** Share of the rows held out (stratified by label, seeded) to watch for early stopping; (0, 0.5]. */
  readonly validationFraction: number;
  /** Trees without improvement before stopping; ≥ 1. */
  readonly nIterNoChange: number;
  /**
   * scikit-learn's check, on the validation log loss: after tree k, stop when none of the last
   * nIterNoChange trees brought the loss below (loss after tree k − nIterNoChange) − tolerance.
   * Absolute, not relative; ≥ 0.
   */
  readonly tolerance: number;
  /** Drives the validation slice, the only randomness. */
  readonly seed: number;
}

export const DEFAULT_GRADIENT_BOOSTING_PARAMS: GradientBoostingParams = Object.freeze({
  learningRate: 0.1,
  maxIterations: 100,
  maxLeafNodes: 31,
  maxDepth: null,
  minSamplesLeaf: 20,
  l2Regularization: 0,
  maxBins: 255,
  earlyStopping: 'AUTO' as const,
  validationFraction: 0.1,
  nIterNoChange: 10,
  tolerance: 1e-7,
  seed: 42,
});

export const UNKNOWN_PARAMETER = 'unknown parameter';

type Check = (value: unknown) => string | null;

function integerIn(min: number, max: number): Check {
  return (value) =>
    typeof value === 'number' && Number.isInteger(value) && value >= min && value <= max
      ? null
      : max === Number.MAX_SAFE_INTEGER
        ? `must be an integer ≥ ${min}`
        : `must be an integer from ${min} to ${max}`;
}

function finiteNumber(valid: (value: number) => boolean, range: string): Check {
  return (value) =>
    typeof value === 'number' && Number.isFinite(value) && valid(value)
      ? null
      : `must be a number ${range}`;
}

const CHECKS: { readonly [K in keyof GradientBoostingParams]: Check } = {
  learningRate: finiteNumber((v) => v > 0 && v <= 1, '> 0 and ≤ 1'),
  maxIterations: integerIn(1, 5000),
  maxLeafNodes: integerIn(2, 4096),
  maxDepth: (value) => (value === null ? null : integerIn(1, 64)(value)),
  minSamplesLeaf: integerIn(1, Number.MAX_SAFE_INTEGER),
  l2Regularization: finiteNumber((v) => v >= 0, '≥ 0'),
  maxBins: integerIn(2, 255),
  earlyStopping: (value) =>
    EARLY_STOPPING_MODES.includes(value as EarlyStopping)
      ? null
      : `must be one of ${EARLY_STOPPING_MODES.join(', ')}`,
  validationFraction: finiteNumber((v) => v > 0 && v <= 0.5, '> 0 and ≤ 0.5'),
  nIterNoChange: integerIn(1, Number.MAX_SAFE_INTEGER),
  tolerance: finiteNumber((v) => v >= 0, '≥ 0'),
  seed: (value) =>
    typeof value === 'number' && Number.isSafeInteger(value) ? null : 'must be an integer',
};

/**
 * The params with defaults filled in for absent (undefined) fields, and every bad field named by
 * its path. A bad field keeps its default in `params`, so the result is always usable, but a
 * caller with problems should refuse to train rather than train on what the tenant did not ask.
 * Null is a value, not an absence: only maxDepth takes it.
 */
export function gradientBoostingParams(input: Record<string, unknown> | null | undefined): {
  params: GradientBoostingParams;
  problems: ParamProblem[];
} {
  const problems: ParamProblem[] = [];
  if (input == null) return { params: { ...DEFAULT_GRADIENT_BOOSTING_PARAMS }, problems };
  if (typeof input !== 'object' || Array.isArray(input)) {
    problems.push({ path: '', message: 'params must be an object' });
    return { params: { ...DEFAULT_GRADIENT_BOOSTING_PARAMS }, problems };
  }
  const params: Record<string, unknown> = { ...DEFAULT_GRADIENT_BOOSTING_PARAMS };
  for (const key of Object.keys(CHECKS) as (keyof GradientBoostingParams)[]) {
    const value = input[key];
    if (value === undefined) continue;
    const problem = CHECKS[key](value);
    if (problem === null) params[key] = value;
    else problems.push({ path: key, message: problem });
  }
  for (const key of Object.keys(input)) {
    if (!Object.prototype.hasOwnProperty.call(CHECKS, key)) {
      problems.push({ path: key, message: UNKNOWN_PARAMETER });
    }
  }
  return { params: params as unknown as GradientBoostingParams, problems };
}
