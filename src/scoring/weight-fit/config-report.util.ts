/**
 * What a scoring configuration makes of a set of outcomes: the score each lead had at its outcome
 * time (by the product's own scorer and tiers), the AUC of those scores on held-out outcomes, and
 * their distribution. Pure: no Nest, no Mongoose, no clock.
 */
import { rocAuc } from '@/ml/eval/metrics.util';
import { quantileSorted } from '@/ml/common/quantile.util';

import { PriorityTier, TierThresholds, tierFor } from '../scorer/priority-tier.util';
import { Engagement, scoreEngagement, ScoringParameters } from '../scorer/score-engagement.util';

/** A tenant's scoring configuration as the scorer uses it (the shape the config service keeps). */
export interface WeightFitConfig {
  /** The config version the figures are about, when known. */
  readonly version?: number;
  readonly parameters: ScoringParameters;
  readonly thresholds: TierThresholds;
}

/** Outcomes ready to score: engagement at, and time of, each outcome, and its label. */
export interface ScoredOutcomes {
  readonly engagements: readonly Engagement[];
  readonly times: readonly Date[];
  readonly labels: Uint8Array;
}

export interface TierOutcomes {
  readonly outcomes: number;
  readonly converted: number;
}

/** The 0–100 scores of outcomes at their outcome times. */
export interface ScoreDistribution {
  readonly outcomes: number;
  readonly mean: number;
  readonly p10: number;
  readonly p50: number;
  readonly p90: number;
  /** How many outcomes each tier held, and how many of them converted. */
  readonly tiers: {
    readonly hot: TierOutcomes;
    readonly warm: TierOutcomes;
    readonly cold: TierOutcomes;
  };
}

export interface ConfigReport {
  /** ROC AUC of the shown scores on the held-out outcomes. */
  readonly heldOutAuc: number;
  /** Over every outcome, held-out or not. */
  readonly distribution: ScoreDistribution;
}

/** The shown score (0–100, hundredths) of each outcome under `parameters`. */
export function scoresAtOutcomes(outcomes: ScoredOutcomes, parameters: ScoringParameters) {
  return Float64Array.from(
    outcomes.engagements,
    (engagement, i) => scoreEngagement(engagement, parameters, outcomes.times[i]).score,
  );
}

export function reportConfig({
  outcomes,
  config,
  heldOut,
}: {
  outcomes: ScoredOutcomes;
  config: WeightFitConfig;
  /** Row indexes of the held-out outcomes (both classes present). */
  heldOut: readonly number[];
}): ConfigReport {
  const scores = scoresAtOutcomes(outcomes, config.parameters);
  const heldOutLabels = Uint8Array.from(heldOut, (row) => outcomes.labels[row]);
  const heldOutScores = Float64Array.from(heldOut, (row) => scores[row] / 100);
  return {
    heldOutAuc: round(rocAuc(heldOutLabels, heldOutScores), 4),
    distribution: distributionOf(scores, outcomes.labels, config.thresholds),
  };
}

/** Quantiles by linear interpolation (numpy's default), to the hundredth; 0 with no scores. */
export function distributionOf(
  scores: Float64Array,
  labels: Uint8Array,
  thresholds: TierThresholds,
): ScoreDistribution {
  const tiers = {
    [PriorityTier.HOT]: { outcomes: 0, converted: 0 },
    [PriorityTier.WARM]: { outcomes: 0, converted: 0 },
    [PriorityTier.COLD]: { outcomes: 0, converted: 0 },
  };
  let sum = 0;
  scores.forEach((score, i) => {
    const tier = tiers[tierFor(score, thresholds)];
    tier.outcomes++;
    tier.converted += labels[i];
    sum += score;
  });
  const sorted = Float64Array.from(scores).sort();
  const at = (p: number) => (sorted.length === 0 ? 0 : round(quantileSorted(sorted, p), 2));
  return {
    outcomes: scores.length,
    mean: scores.length === 0 ? 0 : round(sum / scores.length, 2),
    p10: at(0.1),
    p50: at(0.5),
    p90: at(0.9),
    tiers: { hot: tiers.HOT, warm: tiers.WARM, cold: tiers.COLD },
  };
}

function round(value: number, digits: number): number {
  const scale = 10 ** digits;
  return Math.round(value * scale) / scale;
}
