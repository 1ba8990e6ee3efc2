import {
  checkParams,
  defaultParams,
  ParamProblem,
  ParamSpecs,
  UNKNOWN_PARAMETER,
} from '../../common/param-checks.util';

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

const SPECS: ParamSpecs<GradientBoostingParams> = {
  learningRate: { kind: 'number', above: 0, atMost: 1, default: 0.1 },
  maxIterations: { kind: 'integer', min: 1, max: 5000, default: 100 },
  maxLeafNodes: { kind: 'integer', min: 2, max: 4096, default: 31 },
  maxDepth: { kind: 'integer', min: 1, max: 64, nullable: true, default: null },
  minSamplesLeaf: { kind: 'integer', min: 1, default: 20 },
  l2Regularization: { kind: 'number', atLeast: 0, default: 0 },
  maxBins: { kind: 'integer', min: 2, max: 255, default: 255 },
  earlyStopping: { kind: 'enum', values: EARLY_STOPPING_MODES, default: 'AUTO' },
  validationFraction: { kind: 'number', above: 0, atMost: 0.5, default: 0.1 },
  nIterNoChange: { kind: 'integer', min: 1, default: 10 },
  tolerance: { kind: 'number', atLeast: 0, default: 1e-7 },
  seed: { kind: 'integer', default: 42 },
};

export const DEFAULT_GRADIENT_BOOSTING_PARAMS: GradientBoostingParams = defaultParams(SPECS);

export { UNKNOWN_PARAMETER };

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
  return checkParams(input, SPECS);
}
