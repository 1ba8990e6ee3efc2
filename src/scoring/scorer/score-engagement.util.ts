/**
 * The deterministic scorer of DESIGN.md, exactly:
 *   score_raw = w1*norm(emailOpens) + w2*norm(websiteVisits) + w3*norm(timeSpent)
 *   norm(x)   = min(max(x, 0), cap) / cap
 *   score     = clamp01(score_raw) * 0.5^(days_since_last_activity / halfLife) * 100
 * Pure: no Nest, no Mongoose, no clock (the caller passes `now`).
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
  /** Points of the final score this feature accounts for; the terms add up to the score. */
  readonly contribution: number;
}

export interface ScoreResult {
  /** 0 to 100, two decimals. */
  readonly score: number;
  readonly exactScore: number;
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
  const terms = FEATURES.map((feature, i) => ({
    feature,
    value: values[i],
    cap: params.caps[i],
    normalized: normalized[i],
    weight: params.weights[i],
    contribution: weighted[i] * scale,
  }));

  return {
    score: roundScore(exactScore),
    exactScore,
    rawScore,
    decayFactor,
    daysSinceLastActivity,
    terms,
  };
}

export function roundScore(score: number): number {
  return Math.round((score + 1e-12) * 100) / 100;
}
