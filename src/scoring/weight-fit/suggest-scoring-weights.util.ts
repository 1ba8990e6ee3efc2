/**
 * Weights learnt from outcomes: the three weights (and, by default, the half-life) of a tenant's
 * transparent score fitted to its conversions, compared with the current configuration on the
 * same held-out outcomes, as a patch a manager can apply with `updateScoringConfig`.
 * Pure and deterministic: no Nest, no Mongoose, no clock; the same outcomes, config and seed give
 * the same answer.
 */
import { splitRows } from '@/ml/eval/split.util';

import { apportionPoints, ScoringParameters } from '../scorer/score-engagement.util';
import { ScoredOutcomes, reportConfig, WeightFitConfig } from './config-report.util';
import {
  DEFAULT_HALF_LIFE_CANDIDATES,
  fitWeights,
  halfLifeCandidates,
  WeightFit,
} from './fit-weights.util';
import { engagementAtOutcome, OutcomeExample } from './outcome-engagement.util';
import { missingOutcomes } from './outcome-minimum.util';
import {
  ClassCounts,
  FitData,
  FitDetails,
  ScoringChoice,
  ScoringConfigPatch,
  WeightSuggestion,
} from './weight-suggestion.types';

export interface SuggestScoringWeightsOptions {
  /** Fit the half-life too (default true); false keeps the current one. */
  readonly fitHalfLife?: boolean;
  /** Half-lives to try, in days (default 3 to 60); the current one is always tried. */
  readonly halfLifeCandidates?: readonly number[];
  /** Share of outcomes held out (default 0.2), the latest ones when they are time-ordered. */
  readonly testFraction?: number;
  readonly seed?: number;
}

export function suggestScoringWeights({
  outcomes,
  config,
  options = {},
}: {
  outcomes: readonly OutcomeExample[];
  config: WeightFitConfig;
  options?: SuggestScoringWeightsOptions;
}): WeightSuggestion {
  const { fitHalfLife = true, testFraction = 0.2, seed = 42 } = options;
  const converted = outcomes.filter((outcome) => outcome.converted).length;
  const counts = { outcomes: outcomes.length, converted, lost: outcomes.length - converted };
  const missing = missingOutcomes(counts);
  if (missing) return missing;

  const scored: ScoredOutcomes = {
    engagements: outcomes.map(engagementAtOutcome),
    times: outcomes.map((outcome) => outcome.at),
    labels: Uint8Array.from(outcomes, (outcome) => (outcome.converted ? 1 : 0)),
  };
  const split = splitRows({
    eventTimes: Float64Array.from(outcomes, (outcome) => outcome.at.getTime()),
    labels: scored.labels,
    testFraction,
    seed,
  });
  const current = config.parameters;
  const fit = fitWeights({
    ...scored,
    train: split.train,
    caps: current.caps,
    halfLives: fitHalfLife
      ? halfLifeCandidates(
          current.halfLifeDays,
          options.halfLifeCandidates ?? DEFAULT_HALF_LIFE_CANDIDATES,
        )
      : [current.halfLifeDays],
  });

  const choose = (parameters: ScoringParameters): ScoringChoice => ({
    weights: [...parameters.weights],
    halfLifeDays: parameters.halfLifeDays,
    report: reportConfig({
      outcomes: scored,
      config: { parameters, thresholds: config.thresholds },
      heldOut: split.test,
    }),
  });
  const data: FitData = {
    ...counts,
    train: classCounts(scored.labels, split.train),
    heldOut: classCounts(scored.labels, split.test),
    split: { method: split.method, reason: split.reason, seed },
  };
  const details = fitDetails(fit, fitHalfLife);
  const basedOnVersion = config.version ?? null;
  const before = choose(current);

  if (fit.weights === null) {
    return {
      status: 'NO_SIGNAL',
      basedOnVersion,
      current: before,
      fit: details,
      data,
      message:
        'No engagement component rises with converting in these outcomes: keep the current ' +
        'weights, and look at what else separates converted leads from lost ones.',
    };
  }
  const weights = toTenThousandths(fit.weights);
  const after = choose({ weights, caps: current.caps, halfLifeDays: fit.halfLifeDays });
  const patch: ScoringConfigPatch = {
    weights: { emailOpens: weights[0], websiteVisits: weights[1], timeSpent: weights[2] },
    ...(fitHalfLife ? { halfLifeDays: fit.halfLifeDays } : {}),
  };
  return {
    status: 'SUGGESTED',
    basedOnVersion,
    patch,
    current: before,
    suggested: after,
    fit: details,
    data,
    message:
      `Held-out AUC ${before.report.heldOutAuc.toFixed(3)} with the current configuration, ` +
      `${after.report.heldOutAuc.toFixed(3)} with the suggested one, on ` +
      `${data.heldOut.outcomes} held-out outcomes (${data.heldOut.converted} converted).`,
  };
}

/**
 * Weights to four decimals that still sum to exactly 1 in decimal: the scorer's own
 * largest-remainder apportioning, over 100 "points" in hundredths (1 hundredth = 0.0001).
 */
export function toTenThousandths(weights: readonly number[]): [number, number, number] {
  const sum = weights[0] + weights[1] + weights[2];
  const [e, v, t] = apportionPoints(
    100,
    weights.map((w) => (w / sum) * 100),
  ).map((points) => Math.round(points * 100) / 10_000);
  return [e, v, t];
}

function classCounts(labels: Uint8Array, rows: readonly number[]): ClassCounts {
  let converted = 0;
  for (const row of rows) converted += labels[row];
  return { outcomes: rows.length, converted };
}

function fitDetails(fit: WeightFit, halfLifeFitted: boolean): FitDetails {
  return {
    objective: 'LOGISTIC_LIKELIHOOD',
    intercept: fit.intercept,
    scale: fit.scale,
    trainLogLoss: fit.trainLogLoss,
    halfLifeFitted,
    halfLives: fit.halfLives,
  };
}
