/**
 * The fit itself: the three weights of the transparent score and its half-life that best explain
 * which leads converted. Pure: no Nest, no Mongoose, no clock.
 *
 * Why the logistic likelihood, not AUC. With weights on the simplex the clamp never bites, so the
 * score is linear in them: score/100 = Σ wj·xj, where xj = norm(valuej)·decay is feature j's
 * component as the scorer computes it. Modelling P(convert) = σ(b0 + s·Σ wj·xj) with a fitted
 * scale s ≥ 0 and intercept b0 is, with βj = s·wj, a logistic regression with βj ≥ 0, and
 * w = β / Σβ. Its log-likelihood is concave in β (strictly, with a tiny ridge), so the optimum is
 * unique, found exactly and deterministically (non-negative-logistic.util), in milliseconds, and
 * it is a proper scoring rule: it recovers weights that generated the data. AUC, by contrast, is
 * a step function of the weights: flat regions (many weight vectors tie), no gradient, a grid
 * search at n·log n per point, and a maximiser that is neither unique nor stable. The held-out AUC
 * is still what the result reports, as that is the question the manager asks.
 *
 * The half-life is not linear in anything, so it is chosen from a small grid, by the training
 * log-likelihood of each candidate's best weights.
 */
import { Engagement, scoreEngagement, ScoringParameters } from '../scorer/score-engagement.util';
import { fitNonNegativeLogistic } from './non-negative-logistic.util';

export const DEFAULT_HALF_LIFE_CANDIDATES: readonly number[] = [3, 5, 7, 10, 14, 21, 30, 45, 60];
/** The half-life bounds `updateScoringConfig` accepts. */
export const MIN_HALF_LIFE_DAYS = 0.001;
export const MAX_HALF_LIFE_DAYS = 3650;
/** A candidate must beat the best so far by more than this to replace it (the current first). */
const IMPROVEMENT = 1e-12;
/** Σβ at or below this: no component is associated with converting at all. */
const NO_SIGNAL = 1e-9;

export interface HalfLifeFit {
  readonly halfLifeDays: number;
  /** Mean log-loss on the training outcomes of this half-life's best weights. */
  readonly trainLogLoss: number;
}

export interface WeightFit {
  readonly halfLifeDays: number;
  /** Non-negative, summing to 1; null when no component is associated with converting. */
  readonly weights: readonly [number, number, number] | null;
  /** s = Σβ: how steeply the log-odds of converting rise with the score (per 100 points). */
  readonly scale: number;
  readonly intercept: number;
  readonly trainLogLoss: number;
  /** Every candidate tried, by half-life ascending. */
  readonly halfLives: readonly HalfLifeFit[];
}

/**
 * Each feature's component (normalised value × decay, as the scorer computes them) for `rows`,
 * under `halfLifeDays`: one column per feature. Σ wj·column j × 100 is the exact score.
 */
export function componentColumns({
  engagements,
  times,
  rows,
  caps,
  halfLifeDays,
}: {
  engagements: readonly Engagement[];
  times: readonly Date[];
  rows: readonly number[];
  caps: ScoringParameters['caps'];
  halfLifeDays: number;
}): [Float64Array, Float64Array, Float64Array] {
  const columns: [Float64Array, Float64Array, Float64Array] = [
    new Float64Array(rows.length),
    new Float64Array(rows.length),
    new Float64Array(rows.length),
  ];
  // Any weights would do: only the terms' normalised values and the decay are read.
  const parameters: ScoringParameters = { weights: [1, 0, 0], caps, halfLifeDays };
  rows.forEach((row, i) => {
    const result = scoreEngagement(engagements[row], parameters, times[row]);
    for (let j = 0; j < 3; j++) columns[j][i] = result.terms[j].normalized * result.decayFactor;
  });
  return columns;
}

/** The candidates to try: the current half-life first, then the others ascending, no repeats. */
export function halfLifeCandidates(current: number, candidates: readonly number[]): number[] {
  for (const candidate of candidates) {
    if (!(candidate >= MIN_HALF_LIFE_DAYS && candidate <= MAX_HALF_LIFE_DAYS)) {
      throw new RangeError(
        `half-life candidate ${candidate} is outside [${MIN_HALF_LIFE_DAYS}, ${MAX_HALF_LIFE_DAYS}] days`,
      );
    }
  }
  const others = [...new Set(candidates)].filter((c) => c !== current).sort((a, b) => a - b);
  return [current, ...others];
}

export function fitWeights({
  engagements,
  times,
  labels,
  train,
  caps,
  halfLives,
}: {
  engagements: readonly Engagement[];
  times: readonly Date[];
  labels: Uint8Array;
  /** Row indexes to fit on. */
  train: readonly number[];
  caps: ScoringParameters['caps'];
  /** The current half-life first: it is kept unless another fits better. */
  halfLives: readonly number[];
}): WeightFit {
  const trainLabels = Uint8Array.from(train, (row) => labels[row]);
  let best: (ReturnType<typeof fitNonNegativeLogistic> & { halfLifeDays: number }) | null = null;
  const tried: HalfLifeFit[] = [];
  for (const halfLifeDays of halfLives) {
    const columns = componentColumns({ engagements, times, rows: train, caps, halfLifeDays });
    const fit = fitNonNegativeLogistic({ columns, labels: trainLabels });
    tried.push({ halfLifeDays, trainLogLoss: -fit.meanLogLikelihood });
    if (best === null || fit.meanLogLikelihood > best.meanLogLikelihood + IMPROVEMENT) {
      best = { ...fit, halfLifeDays };
    }
  }
  if (best === null) throw new RangeError('no half-life to try');
  const scale = best.coefficients.reduce((sum, beta) => sum + beta, 0);
  const [e, v, t] = best.coefficients;
  return {
    halfLifeDays: best.halfLifeDays,
    weights: scale > NO_SIGNAL ? [e / scale, v / scale, t / scale] : null,
    scale,
    intercept: best.intercept,
    trainLogLoss: -best.meanLogLikelihood,
    halfLives: tried.sort((a, b) => a.halfLifeDays - b.halfLifeDays),
  };
}
