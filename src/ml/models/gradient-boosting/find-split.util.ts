import { HISTOGRAM_STRIDE } from './histogram.util';

/**
 * Each child needs at least this hessian (scikit-learn's min_hessian_to_split): a child of rows
 * the model is already sure about would get a Newton value from a near-zero denominator.
 */
export const MIN_CHILD_HESSIAN = 1e-3;

/**
 * The best split of a node: rows whose bin of histogram feature `feature` (an index into the
 * layout's features, not an input column) is ≤ `bin` go left; the missing bin goes by
 * `missingLeft`.
 */
export interface SplitInfo {
  gain: number;
  feature: number;
  bin: number;
  missingLeft: boolean;
  leftG: number;
  leftH: number;
  leftCount: number;
}

/**
 * A gain must also exceed this share of the children's score: splitting a pure node gains 0 in
 * exact arithmetic but ±1e-16 after rounding, and such a split would spend a leaf on nothing.
 */
const NOISE = 1e-12;

export function emptySplit(): SplitInfo {
  return { gain: 0, feature: -1, bin: -1, missingLeft: false, leftG: 0, leftH: 0, leftCount: 0 };
}

export interface SplitSettings {
  readonly minSamplesLeaf: number;
  readonly l2Regularization: number;
}

/**
 * The split of largest gain G_L²/(H_L+λ) + G_R²/(H_R+λ) − G²/(H+λ) (scikit-learn's and
 * XGBoost's, not halved: the factor ½ changes no choice), among those leaving both children
 * ≥ minSamplesLeaf rows and ≥ MIN_CHILD_HESSIAN. A node with missing values tries every split
 * with them left and with them right, plus "non-missing left, missing right"; a node without
 * any sends them (at serving) to the side with more rows, ties left. Ties between splits go to
 * the first found (lower column, lower bin, missing right), so fits are deterministic.
 * Writes into `best` and returns whether a split of positive gain exists.
 */
export function findBestSplit(
  hist: Float64Array,
  offsets: Int32Array,
  nonMissingBins: Int32Array,
  sumG: number,
  sumH: number,
  count: number,
  settings: SplitSettings,
  best: SplitInfo,
): boolean {
  const msl = settings.minSamplesLeaf;
  const l2 = settings.l2Regularization;
  best.gain = 0;
  best.feature = -1;
  if (count < 2 * msl || sumH < 2 * MIN_CHILD_HESSIAN) return false;
  const parentScore = (sumG * sumG) / (sumH + l2);
  let bestGain = 0;
  for (let f = 0; f < offsets.length; f++) {
    const valueBins = nonMissingBins[f];
    const base = offsets[f];
    const missingAt = base + valueBins * HISTOGRAM_STRIDE;
    const missingG = hist[missingAt];
    const missingH = hist[missingAt + 1];
    const missingCount = hist[missingAt + 2];
    const hasMissing = missingCount > 0;
    // Without missing rows the last value bin cannot go left (the right child would be empty).
    const end = hasMissing ? valueBins : valueBins - 1;
    let gl = 0;
    let hl = 0;
    let cl = 0;
    for (let b = 0; b < end; b++) {
      const k = base + b * HISTOGRAM_STRIDE;
      gl += hist[k];
      hl += hist[k + 1];
      cl += hist[k + 2];
      const cr = count - cl;
      // Both variants only shrink the right child from here on.
      if (cr < msl) break;
      if (cl >= msl) {
        const hr = sumH - hl;
        if (hl >= MIN_CHILD_HESSIAN && hr >= MIN_CHILD_HESSIAN) {
          const gr = sumG - gl;
          const score = (gl * gl) / (hl + l2) + (gr * gr) / (hr + l2);
          const gain = score - parentScore;
          if (gain > bestGain && gain > NOISE * score) {
            bestGain = gain;
            best.feature = f;
            best.bin = b;
            best.missingLeft = hasMissing ? false : cl >= cr;
            best.leftG = gl;
            best.leftH = hl;
            best.leftCount = cl;
          }
        }
      }
      if (hasMissing) {
        const cl2 = cl + missingCount;
        if (cl2 >= msl && cr - missingCount >= msl) {
          const hl2 = hl + missingH;
          const hr2 = sumH - hl2;
          if (hl2 >= MIN_CHILD_HESSIAN && hr2 >= MIN_CHILD_HESSIAN) {
            const gl2 = gl + missingG;
            const gr2 = sumG - gl2;
            const score = (gl2 * gl2) / (hl2 + l2) + (gr2 * gr2) / (hr2 + l2);
            const gain = score - parentScore;
            if (gain > bestGain && gain > NOISE * score) {
              bestGain = gain;
              best.feature = f;
              best.bin = b;
              best.missingLeft = true;
              best.leftG = gl2;
              best.leftH = hl2;
              best.leftCount = cl2;
            }
          }
        }
      }
    }
  }
  best.gain = bestGain;
  return best.feature >= 0;
}
