/**
 * Binary classification metrics on labels `y` (1 converted, 0 lost) and predicted probabilities
 * `p`. Every function sorts once (by p descending, ties by row order) and walks the groups of
 * equal p; `evaluate` shares that one sort between all the metrics.
 *
 * Inputs are checked: `y` and `p` of the same non-zero length, every y 0 or 1, every p in [0, 1]
 * (a NaN score would sort nowhere and poison every sum). A violation throws a RangeError.
 */

export interface ConfusionMatrix {
  readonly tp: number;
  readonly fp: number;
  readonly tn: number;
  readonly fn: number;
}

export interface CalibrationBin {
  /** 1..bins. */
  readonly bin: number;
  /** Inclusive. */
  readonly lower: number;
  /** Exclusive, except the last bin's, which holds p = 1. */
  readonly upper: number;
  readonly count: number;
  /** Null when the bin is empty. */
  readonly meanPredicted: number | null;
  /** Null when the bin is empty. */
  readonly observedRate: number | null;
}

export interface RocPoint {
  readonly fpr: number;
  readonly tpr: number;
  /** Predict 1 when p ≥ threshold. The (0, 0) point's is max p + 1 (see `rocCurve`). */
  readonly threshold: number;
}

export interface ClassificationMetrics {
  readonly rows: number;
  readonly positives: number;
  readonly negatives: number;
  /** ROC AUC, ties counted half (Mann–Whitney with average ranks); NaN if one class is absent. */
  readonly auc: number;
  /** Average precision as scikit-learn computes it (see `averagePrecision`). */
  readonly prAuc: number;
  readonly logLoss: number;
  readonly brier: number;
  /** The F1-best threshold (see `bestF1Threshold`); the four below and `confusion` are at it. */
  readonly threshold: number;
  readonly accuracy: number;
  readonly precision: number;
  readonly recall: number;
  readonly f1: number;
  readonly confusion: ConfusionMatrix;
  readonly liftTopDecile: number;
  readonly calibration: readonly CalibrationBin[];
  readonly roc: readonly RocPoint[];
}

export const LOG_LOSS_EPSILON = 1e-15;
export const DEFAULT_CALIBRATION_BINS = 10;
export const DEFAULT_ROC_POINTS = 200;

/**
 * The rows sorted by p descending (ties by row index ascending), cut into groups of equal p.
 * Group g holds p = thresholds[g]; tp[g] and fp[g] count the positives and negatives with
 * p ≥ thresholds[g], i.e. cumulative over groups 0..g.
 */
interface Ranking {
  readonly n: number;
  readonly positives: number;
  readonly negatives: number;
  /** Row indexes, best first. */
  readonly order: Uint32Array;
  readonly thresholds: Float64Array;
  readonly tp: Float64Array;
  readonly fp: Float64Array;
}

function checkInputs(y: Uint8Array, p: Float64Array): void {
  if (y.length !== p.length) {
    throw new RangeError(`${y.length} labels but ${p.length} predictions`);
  }
  if (y.length === 0) throw new RangeError('no rows to evaluate');
  for (let i = 0; i < y.length; i++) {
    if (y[i] > 1) throw new RangeError(`label ${y[i]} at row ${i} is neither 0 nor 1`);
    // Written so that NaN fails too.
    if (!(p[i] >= 0 && p[i] <= 1))
      throw new RangeError(`prediction ${p[i]} at row ${i} is not in [0, 1]`);
  }
}

function rank(y: Uint8Array, p: Float64Array): Ranking {
  checkInputs(y, p);
  const n = y.length;
  const order = new Uint32Array(n);
  for (let i = 0; i < n; i++) order[i] = i;
  order.sort((a, b) => p[b] - p[a] || a - b);

  const thresholds = new Float64Array(n);
  const tp = new Float64Array(n);
  const fp = new Float64Array(n);
  let groups = 0;
  let tps = 0;
  let fps = 0;
  for (let k = 0; k < n; k++) {
    const row = order[k];
    if (y[row] === 1) tps++;
    else fps++;
    // A group ends where the next p differs (or at the end).
    if (k === n - 1 || p[order[k + 1]] !== p[row]) {
      thresholds[groups] = p[row];
      tp[groups] = tps;
      fp[groups] = fps;
      groups++;
    }
  }
  return {
    n,
    positives: tps,
    negatives: fps,
    order,
    thresholds: thresholds.slice(0, groups),
    tp: tp.slice(0, groups),
    fp: fp.slice(0, groups),
  };
}

/**
 * ROC AUC as the Mann–Whitney U over P·N: U = (sum of the positives' ascending ranks) − P(P+1)/2,
 * a tied group sharing the average of its ranks, so a positive tied with a negative counts ½.
 * NaN when either class is absent (there is no pair to order).
 */
export function rocAuc(y: Uint8Array, p: Float64Array): number {
  return aucOf(rank(y, p));
}

function aucOf(r: Ranking): number {
  if (r.positives === 0 || r.negatives === 0) return NaN;
  let rankSum = 0;
  let start = 0;
  let prevTp = 0;
  for (let g = 0; g < r.thresholds.length; g++) {
    const end = r.tp[g] + r.fp[g];
    const size = end - start;
    // Descending positions start..end−1 are ascending ranks n−end+1..n−start; their mean:
    const averageRank = r.n - start - (size - 1) / 2;
    rankSum += (r.tp[g] - prevTp) * averageRank;
    prevTp = r.tp[g];
    start = end;
  }
  const u = rankSum - (r.positives * (r.positives + 1)) / 2;
  return u / (r.positives * r.negatives);
}

/**
 * Average precision as scikit-learn's `average_precision_score`: Σ (R_n − R_{n−1})·P_n over the
 * distinct thresholds descending, R_0 = 0 (a step function, no interpolation). With no positives
 * it is 0, as scikit-learn returns (recall never moves).
 */
export function averagePrecision(y: Uint8Array, p: Float64Array): number {
  return averagePrecisionOf(rank(y, p));
}

function averagePrecisionOf(r: Ranking): number {
  if (r.positives === 0) return 0;
  let ap = 0;
  let prevTp = 0;
  for (let g = 0; g < r.thresholds.length; g++) {
    if (r.tp[g] === prevTp) continue; // recall unchanged: the term is 0
    ap += ((r.tp[g] - prevTp) / r.positives) * (r.tp[g] / (r.tp[g] + r.fp[g]));
    prevTp = r.tp[g];
  }
  return ap;
}

/** Mean −[y·ln p + (1 − y)·ln(1 − p)], p clipped to [1e−15, 1 − 1e−15] so a sure miss is finite. */
export function logLoss(y: Uint8Array, p: Float64Array): number {
  checkInputs(y, p);
  let sum = 0;
  for (let i = 0; i < y.length; i++) {
    const q = Math.min(Math.max(p[i], LOG_LOSS_EPSILON), 1 - LOG_LOSS_EPSILON);
    sum -= y[i] === 1 ? Math.log(q) : Math.log(1 - q);
  }
  return sum / y.length;
}

/** Mean (p − y)². */
export function brierScore(y: Uint8Array, p: Float64Array): number {
  checkInputs(y, p);
  let sum = 0;
  for (let i = 0; i < y.length; i++) sum += (p[i] - y[i]) ** 2;
  return sum / y.length;
}

/** Counts when predicting 1 for p ≥ threshold. */
export function confusionAt(y: Uint8Array, p: Float64Array, threshold: number): ConfusionMatrix {
  checkInputs(y, p);
  let tp = 0;
  let fp = 0;
  let tn = 0;
  let fn = 0;
  for (let i = 0; i < y.length; i++) {
    if (p[i] >= threshold) {
      if (y[i] === 1) tp++;
      else fp++;
    } else if (y[i] === 1) fn++;
    else tn++;
  }
  return { tp, fp, tn, fn };
}

/**
 * The threshold (predict 1 when p ≥ threshold) with the best F1, among the distinct predicted
 * values; on a tie the higher threshold wins (fewer rows flagged for the same F1). With no
 * positives every F1 is 0, so that is the highest p.
 */
export function bestF1Threshold(y: Uint8Array, p: Float64Array): { threshold: number; f1: number } {
  return bestF1Of(rank(y, p));
}

function bestF1Of(r: Ranking): { threshold: number; f1: number } {
  // F1 = 2TP / (2TP + FP + FN) = 2TP / (TP + FP + P). Compared as integer cross-products, so
  // two thresholds with mathematically equal F1 tie exactly and the higher one (seen first) stays.
  let best = 0;
  let bestNum = 2 * r.tp[0];
  let bestDen = r.tp[0] + r.fp[0] + r.positives;
  for (let g = 1; g < r.thresholds.length; g++) {
    const num = 2 * r.tp[g];
    const den = r.tp[g] + r.fp[g] + r.positives;
    if (num * bestDen > bestNum * den) {
      best = g;
      bestNum = num;
      bestDen = den;
    }
  }
  return { threshold: r.thresholds[best], f1: bestNum === 0 ? 0 : bestNum / bestDen };
}

/**
 * Positive rate among the top ceil(rows / 10) rows by p, over the overall positive rate. Rows
 * tied at the cut are taken in row order (the earlier row is in the top decile), so the result
 * does not depend on the sort's whims. 0 when there are no positives (there is nothing to lift).
 */
export function liftAtTopDecile(y: Uint8Array, p: Float64Array): number {
  return liftOf(y, rank(y, p));
}

function liftOf(y: Uint8Array, r: Ranking): number {
  if (r.positives === 0) return 0;
  const top = Math.ceil(r.n / 10);
  let hits = 0;
  for (let k = 0; k < top; k++) hits += y[r.order[k]];
  return hits / top / (r.positives / r.n);
}

/**
 * `bins` equal-width bins over [0, 1]: bin b holds lower ≤ p < upper with lower = (b − 1)/bins,
 * upper = b/bins, except the last, which also holds p = 1. An empty bin has count 0 and nulls.
 */
export function calibrationTable(
  y: Uint8Array,
  p: Float64Array,
  bins = DEFAULT_CALIBRATION_BINS,
): CalibrationBin[] {
  checkInputs(y, p);
  if (!Number.isInteger(bins) || bins < 1) throw new RangeError(`bins must be a positive integer`);
  const counts = new Array<number>(bins).fill(0);
  const sumP = new Array<number>(bins).fill(0);
  const sumY = new Array<number>(bins).fill(0);
  for (let i = 0; i < y.length; i++) {
    let b = Math.min(Math.floor(p[i] * bins), bins - 1);
    // p·bins can round across an edge; settle on the same edges the table reports.
    if (b > 0 && p[i] < b / bins) b--;
    else if (b < bins - 1 && p[i] >= (b + 1) / bins) b++;
    counts[b]++;
    sumP[b] += p[i];
    sumY[b] += y[i];
  }
  return counts.map((count, b) => ({
    bin: b + 1,
    lower: b / bins,
    upper: (b + 1) / bins,
    count,
    meanPredicted: count === 0 ? null : sumP[b] / count,
    observedRate: count === 0 ? null : sumY[b] / count,
  }));
}

/**
 * The ROC curve: (0, 0), then one point per distinct p descending (predict 1 for p ≥ it), the
 * last (1, 1). The first point's threshold is max p + 1, above every score (scikit-learn's old
 * convention; its newer Infinity does not survive JSON or a GraphQL Float).
 *
 * Longer than `maxPoints`, it is thinned to exactly `maxPoints` points: indexes
 * round(i·(L − 1)/(maxPoints − 1)) for i = 0..maxPoints − 1 of the L points, which keeps the first
 * and the last and spaces the rest evenly by position along the curve (not by fpr); a subsequence,
 * so still monotone. Collinear points are not dropped before that.
 *
 * Empty when either class is absent: one of the rates would be 0/0.
 */
export function rocCurve(
  y: Uint8Array,
  p: Float64Array,
  maxPoints = DEFAULT_ROC_POINTS,
): RocPoint[] {
  if (!Number.isInteger(maxPoints) || maxPoints < 2) {
    throw new RangeError(`maxPoints must be an integer of at least 2`);
  }
  return rocCurveOf(rank(y, p), maxPoints);
}

function rocCurveOf(r: Ranking, maxPoints: number): RocPoint[] {
  if (r.positives === 0 || r.negatives === 0) return [];
  const groups = r.thresholds.length;
  const length = groups + 1;
  const pointAt = (k: number): RocPoint =>
    k === 0
      ? { fpr: 0, tpr: 0, threshold: r.thresholds[0] + 1 }
      : {
          fpr: r.fp[k - 1] / r.negatives,
          tpr: r.tp[k - 1] / r.positives,
          threshold: r.thresholds[k - 1],
        };
  if (length <= maxPoints) return Array.from({ length }, (_, k) => pointAt(k));
  const step = (length - 1) / (maxPoints - 1);
  return Array.from({ length: maxPoints }, (_, i) => pointAt(Math.round(i * step)));
}

/** Every metric above, on one sort. */
export function evaluate(y: Uint8Array, p: Float64Array): ClassificationMetrics {
  const r = rank(y, p);
  const { threshold } = bestF1Of(r);
  const confusion = confusionAt(y, p, threshold);
  const { tp, fp, tn, fn } = confusion;
  return {
    rows: r.n,
    positives: r.positives,
    negatives: r.negatives,
    auc: aucOf(r),
    prAuc: averagePrecisionOf(r),
    logLoss: logLoss(y, p),
    brier: brierScore(y, p),
    threshold,
    accuracy: (tp + tn) / r.n,
    precision: tp + fp === 0 ? 0 : tp / (tp + fp),
    recall: tp + fn === 0 ? 0 : tp / (tp + fn),
    f1: tp === 0 ? 0 : (2 * tp) / (2 * tp + fp + fn),
    confusion,
    liftTopDecile: liftOf(y, r),
    calibration: calibrationTable(y, p),
    roc: rocCurveOf(r, DEFAULT_ROC_POINTS),
  };
}
