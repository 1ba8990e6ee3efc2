/**
 * The deterministic scorer of DESIGN.md, exactly:
 *   score_raw = w1*norm(emailOpens) + w2*norm(websiteVisits) + w3*norm(timeSpent)
 *   norm(x)   = min(max(x, 0), cap) / cap
 *   score     = clamp01(score_raw) * 0.5^(days_since_last_activity / halfLife) * 100
 * Pure: no Nest, no Mongoose, no clock (the caller passes `now`).
 *
 * What is shown is that exact score in hundredths of a point, and a breakdown whose terms add up to
 * it to the hundredth (see `roundScore` and `apportionPoints` for the rule).
 */

export const FEATURES = ['emailOpens', 'websiteVisits', 'timeSpent'] as const;
export type Feature = (typeof FEATURES)[number];

export interface Engagement {
  readonly emailOpens: number;
  readonly websiteVisits: number;
  readonly timeSpentSeconds: number;
  /** No activity ever recorded: the score is 0 (nothing to decay from). */
  readonly lastActivityAt: Date | null;
}

export interface ScoringParameters {
  readonly weights: readonly [number, number, number];
  readonly caps: readonly [number, number, number];
  readonly halfLifeDays: number;
}

export interface ScoreTerm {
  readonly feature: Feature;
  readonly value: number;
  readonly cap: number;
  readonly normalized: number;
  readonly weight: number;
  /**
   * Points of the shown score this feature accounts for, in hundredths: the feature's exact share
   * of the clamped, decayed score, apportioned so that the terms add up to `score` exactly.
   */
  readonly contribution: number;
}

export interface ScoreResult {
  /** 0 to 100 in hundredths: `exactScore` rounded by `roundScore`. */
  readonly score: number;
  readonly exactScore: number;
  /** Each term's exact share of `exactScore` (feature order), before apportioning. */
  readonly exactContributions: readonly number[];
  /** The weighted sum before clamping and decay. */
  readonly rawScore: number;
  readonly decayFactor: number;
  readonly daysSinceLastActivity: number | null;
  readonly terms: readonly ScoreTerm[];
}

export class ScoringInputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ScoringInputError';
  }
}

const DAY_MS = 86_400_000;

function finite(name: string, value: unknown): number {
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    throw new ScoringInputError(`${name} must be a finite number`);
  }
  return value;
}

export function scoreEngagement(
  engagement: Engagement,
  params: ScoringParameters,
  now: Date,
): ScoreResult {
  const values = [
    finite('emailOpens', engagement.emailOpens),
    finite('websiteVisits', engagement.websiteVisits),
    finite('timeSpentSeconds', engagement.timeSpentSeconds),
  ];
  const last = engagement.lastActivityAt;
  if (last !== null && (!(last instanceof Date) || Number.isNaN(last.getTime()))) {
    throw new ScoringInputError('lastActivityAt must be a valid date');
  }

  const normalized = values.map(
    (value, i) => Math.min(Math.max(value, 0), params.caps[i]) / params.caps[i],
  );
  const weighted = normalized.map((norm, i) => params.weights[i] * norm);
  const rawScore = weighted[0] + weighted[1] + weighted[2];
  const clamped = Math.min(Math.max(rawScore, 0), 1);

  // A future date (clock skew between systems) counts as "now", never as a boost.
  const daysSinceLastActivity =
    last === null ? null : Math.max((now.getTime() - last.getTime()) / DAY_MS, 0);
  const decayFactor =
    daysSinceLastActivity === null ? 0 : 0.5 ** (daysSinceLastActivity / params.halfLifeDays);

  const exactScore = clamped * decayFactor * 100;
  // Each term's share of the clamped, decayed score, so the breakdown adds up to the score.
  const scale = rawScore > 0 ? (clamped / rawScore) * decayFactor * 100 : 0;
  const exactContributions = weighted.map((term) => term * scale);
  const score = roundScore(exactScore);
  const contributions = apportionPoints(score, exactContributions);
  const terms = FEATURES.map((feature, i) => ({
    feature,
    value: values[i],
    cap: params.caps[i],
    normalized: normalized[i],
    weight: params.weights[i],
    contribution: contributions[i],
  }));

  return {
    score,
    exactScore,
    exactContributions,
    rawScore,
    decayFactor,
    daysSinceLastActivity,
    terms,
  };
}

const MICROS_PER_CENT = 1_000_000;

/**
 * A number of points in millionths of a hundredth (1e-8 of a point), an integer. Binary floating
 * point misses decimal values by ~1e-14 of a point at most here (`0.4` is not 0.4, and 3.625 may
 * be computed as 3.6249999999999996); 1e-8 absorbs that noise and is far below what is shown, so
 * a score half-way for the decimal inputs as written rounds as a tie, whichever side of it the
 * double lands on. (A value within 5e-9 of a tie rounds as one too: the price of that.)
 */
function toMicroCents(points: number): number {
  return Math.round(points * 100 * MICROS_PER_CENT);
}

/**
 * The shown score: the exact score taken to 1e-8 of a point, then rounded to hundredths with ties
 * (`x.xx5`) going up. Scores are never negative, so up is also away from zero.
 */
export function roundScore(points: number): number {
  return Math.floor((toMicroCents(points) + MICROS_PER_CENT / 2) / MICROS_PER_CENT) / 100;
}

/**
 * Hundredths of `total` shared out in proportion to `parts` (which add up to about `total`): the
 * largest-remainder method. Each part is cut down to whole hundredths, and the hundredths still
 * missing from `total` go one each to the parts with the largest remainders, ties to the earlier
 * part. So the shown parts add up to the shown total exactly, each is within 0.01 of its exact
 * value, and the result depends on the values only, never on float noise (remainders are compared
 * in 1e-8 of a point). Rounding each part on its own would not add up: 1.125 + 1.125 + 1.125 shows
 * 3.38, but 1.13 + 1.13 + 1.13 is 3.39.
 *
 * Why apportion rather than show the rounding (or the decay) as a term of its own: a term is the
 * points a feature earns in the score shown, the number clients compare features by and add up;
 * an extra term of ±0.01 would mean nothing to them, and one for decay would be negative and mix
 * a time effect into what the features earned.
 */
export function apportionPoints(total: number, parts: readonly number[]): number[] {
  const n = parts.length;
  const cents: number[] = [];
  const remainders: number[] = [];
  // Indices by remainder, largest first, ties in input order (an insertion sort: n is 3).
  const order: number[] = [];
  let missing = Math.round(total * 100);
  for (let i = 0; i < n; i++) {
    const micro = toMicroCents(parts[i]);
    const cent = Math.floor(micro / MICROS_PER_CENT);
    const remainder = micro - cent * MICROS_PER_CENT;
    cents.push(cent);
    remainders.push(remainder);
    missing -= cent;
    let j = order.push(i) - 1;
    for (; j > 0 && remainders[order[j - 1]] < remainder; j--) order[j] = order[j - 1];
    order[j] = i;
  }
  // A breakdown of `total` misses at most one hundredth per part and never has one too many;
  // parts that are not its breakdown get the difference spread the same way, so the sum holds.
  for (let k = 0; missing > 0 && n > 0; k++, missing--) cents[order[k % n]] += 1;
  for (let k = 0; missing < 0 && n > 0; k++, missing++) cents[order[n - 1 - (k % n)]] -= 1;
  for (let i = 0; i < n; i++) cents[i] /= 100;
  return cents;
}
