/**
 * What every trainer takes and gives. Trainers are generators: each `next()` does one iteration
 * (a Newton step, a tree, a pass) and yields its progress, so the caller decides when to breathe
 * (the worker's event loop keeps serving its other queues) and can stop a fit between iterations.
 * Models are plain JSON (stored in MongoDB as they are, reloaded, and scored the same).
 */

/** A dense row-major matrix of model inputs (the output of the shared transformation) and labels. */
export interface TrainingData {
  /** rows × cols, row-major. NaN is a missing value (only the gradient-boosting trainer takes it). */
  readonly x: Float64Array;
  readonly rows: number;
  readonly cols: number;
  /** 1 converted, 0 lost. */
  readonly y: Uint8Array;
}

export interface FitProgress {
  /** Iterations (or trees) done so far, from 1. */
  readonly iteration: number;
  /** The most there can be (the params' maximum). */
  readonly maxIterations: number;
  /** Mean training log loss after this iteration, when the trainer knows it. */
  readonly loss?: number;
  /** Mean validation log loss (early stopping), when there is a validation slice. */
  readonly validationLoss?: number;
}

/** A problem with a parameter, named by its path (`learningRate`, `maxLeafNodes`). */
export type { ParamProblem } from '../common/param-checks.util';

export interface TrainedBase {
  /** One number per input column: how much the model relies on it (non-negative, sums to 1 or all 0). */
  readonly importance: readonly number[];
  /** Iterations actually run (early stopping, convergence). */
  readonly iterations: number;
  /** What the trainer noticed: no convergence, a constant column, early stop at tree k. */
  readonly notes: readonly string[];
}

/**
 * How a tree model's contributions were computed: exact path-dependent TreeSHAP (Shapley values)
 * or Saabas path attributions (cheaper; see explain-gradient-boosting.util.ts).
 */
export type ExplanationMethod = 'TREE_SHAP' | 'SAABAS';

/**
 * An additive explanation of one prediction: `base + Σ contributions = logit` (the model's raw
 * output), to within 1e-9 relative. One contribution per input column.
 */
export interface Explanation {
  readonly base: number;
  readonly contributions: Float64Array;
  /** Set by gradient boosting; absent for the models whose logit is already a sum of terms. */
  readonly method?: ExplanationMethod;
}

export function sigmoid(logit: number): number {
  if (logit >= 0) return 1 / (1 + Math.exp(-logit));
  const e = Math.exp(logit);
  return e / (1 + e);
}
