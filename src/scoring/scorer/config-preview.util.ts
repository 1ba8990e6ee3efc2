/**
 * The preview of a scoring configuration before it is saved (HubSpot's "preview distribution"):
 * the tenant's leads scored under the saved and the proposed parameters at the same instant, as
 * distributions over ten 10-point buckets, tier counts, mean and median, and how many leads would
 * change tier or move a point or more. Pure: no Nest, no Mongoose, no clock.
 */
import { PriorityTier, TierThresholds, tierFor } from './priority-tier.util';
import { Engagement, scoreEngagement, ScoringParameters } from './score-engagement.util';

export interface PreviewConfig {
  readonly parameters: ScoringParameters;
  readonly thresholds: TierThresholds;
}

export interface ScoreBucket {
  /** Inclusive. */
  readonly from: number;
  /** Exclusive, except the last bucket's 100. */
  readonly to: number;
  readonly count: number;
}

export interface ScoreDistribution {
  readonly buckets: ScoreBucket[];
  readonly tiers: { hot: number; warm: number; cold: number };
  readonly mean: number;
  readonly median: number;
}

export interface TierMove {
  readonly from: PriorityTier;
  readonly to: PriorityTier;
  readonly count: number;
}

export interface ConfigPreview {
  readonly leads: number;
  readonly current: ScoreDistribution;
  readonly proposed: ScoreDistribution;
  /** Leads whose tier would change, by (from, to), largest first; from ≠ to only. */
  readonly tierMoves: TierMove[];
  /** Leads whose score would move by a point or more. */
  readonly changed: number;
}

const BUCKETS = 10;
const TIERS: PriorityTier[] = [PriorityTier.HOT, PriorityTier.WARM, PriorityTier.COLD];

/** 0–10 → 0, …, 90–100 (100 included) → 9. */
export function bucketOf(score: number): number {
  return Math.min(Math.floor(score / (100 / BUCKETS)), BUCKETS - 1);
}

/** The middle value (mean of the two middle ones for an even count); 0 for none. */
export function median(sorted: Float64Array): number {
  const n = sorted.length;
  if (n === 0) return 0;
  const mid = n >> 1;
  return n % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

export function distributionOf(
  scores: Float64Array,
  thresholds: TierThresholds,
): ScoreDistribution {
  const counts = new Array<number>(BUCKETS).fill(0);
  const tiers = { hot: 0, warm: 0, cold: 0 };
  let sum = 0;
  for (const score of scores) {
    counts[bucketOf(score)]++;
    sum += score;
    const tier = tierFor(score, thresholds);
    if (tier === PriorityTier.HOT) tiers.hot++;
    else if (tier === PriorityTier.WARM) tiers.warm++;
    else tiers.cold++;
  }
  const sorted = Float64Array.from(scores).sort();
  const width = 100 / BUCKETS;
  return {
    buckets: counts.map((count, i) => ({ from: i * width, to: (i + 1) * width, count })),
    tiers,
    mean: scores.length === 0 ? 0 : round2(sum / scores.length),
    median: round2(median(sorted)),
  };
}

export function previewConfig(
  engagements: readonly Engagement[],
  current: PreviewConfig,
  proposed: PreviewConfig,
  now: Date,
): ConfigPreview {
  const before = new Float64Array(engagements.length);
  const after = new Float64Array(engagements.length);
  const moves = new Map<string, number>();
  let changed = 0;
  engagements.forEach((engagement, i) => {
    before[i] = scoreEngagement(engagement, current.parameters, now).score;
    after[i] = scoreEngagement(engagement, proposed.parameters, now).score;
    if (Math.abs(after[i] - before[i]) >= 1) changed++;
    const from = tierFor(before[i], current.thresholds);
    const to = tierFor(after[i], proposed.thresholds);
    if (from !== to) moves.set(`${from}>${to}`, (moves.get(`${from}>${to}`) ?? 0) + 1);
  });
  const tierMoves: TierMove[] = [];
  for (const from of TIERS) {
    for (const to of TIERS) {
      const count = moves.get(`${from}>${to}`);
      if (count) tierMoves.push({ from, to, count });
    }
  }
  tierMoves.sort((a, b) => b.count - a.count);
  return {
    leads: engagements.length,
    current: distributionOf(before, current.thresholds),
    proposed: distributionOf(after, proposed.thresholds),
    tierMoves,
    changed,
  };
}

function round2(value: number): number {
  return Math.round(value * 100) / 100;
}
