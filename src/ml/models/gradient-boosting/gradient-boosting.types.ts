import { TrainedBase } from '../model.types';
import { GradientBoostingParams } from './gradient-boosting-params.util';

/** A tree as parallel arrays of plain JSON numbers and booleans; node 0 is the root. */
export interface TreeNodes {
  /** The input column split on; -1 for a leaf. */
  readonly feature: readonly number[];
  /**
   * Go left when x ≤ threshold: a raw input value (the upper edge of the last bin sent left), so
   * serving needs no binning. Number.MAX_VALUE: every non-missing value goes left. 0 on leaves.
   */
  readonly threshold: readonly number[];
  /**
   * Where NaN goes: the side that gained more when the node had missing values at training;
   * otherwise the side that had more rows (ties left).
   */
  readonly missingLeft: readonly boolean[];
  /** Child node indexes; -1 on leaves. */
  readonly left: readonly number[];
  readonly right: readonly number[];
  /**
   * learningRate · −G/(H + λ) over the node's training rows: the leaf's output, and on internal
   * nodes their expected output, which Saabas explanations walk.
   */
  readonly value: readonly number[];
  /** Training rows (not hessian) that reached the node. */
  readonly cover: readonly number[];
}

export interface GradientBoostingModel extends TrainedBase {
  readonly type: 'GRADIENT_BOOSTING';
  /** ln(p / (1 − p)) of the positive rate of the rows trees were fitted on (p clamped off 0 and 1). */
  readonly baseLogit: number;
  readonly trees: readonly TreeNodes[];
  readonly params: GradientBoostingParams;
}
