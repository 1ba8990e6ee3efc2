/** The pure result of `suggestScoringWeights` as the GraphQL type shows it. */
import {
  OutcomeScoreDistribution,
  ScoringWeightSuggestion,
  WeightChoice,
  WeightFitDetails,
  WeightFitSplit,
  WeightSuggestionStatus,
} from './dto/weight-suggestion.model';
import type { ConfigReport } from '@/scoring/weight-fit/config-report.util';
import { MIN_OUTCOMES, MIN_PER_CLASS } from '@/scoring/weight-fit/outcome-minimum.util';
import type {
  FitData,
  FitDetails,
  ScoringChoice,
  WeightSuggestion,
} from '@/scoring/weight-fit/weight-suggestion.types';

export interface ReadScope {
  readonly capped: boolean;
  readonly maxOutcomes: number;
}

export function toWeightSuggestionModel(
  result: WeightSuggestion,
  scope: ReadScope,
): ScoringWeightSuggestion {
  const common = {
    message: result.message,
    capped: scope.capped,
    maxOutcomes: scope.maxOutcomes,
    minimum: { outcomes: MIN_OUTCOMES, perClass: MIN_PER_CLASS },
  };
  if (result.status === 'NOT_ENOUGH_DATA') {
    return {
      ...common,
      status: WeightSuggestionStatus.NOT_ENOUGH_DATA,
      basedOnVersion: null,
      counts: { ...result.have },
      patch: null,
      current: null,
      suggested: null,
      split: null,
      fit: null,
      needed: { ...result.needed },
    };
  }
  const fitted = {
    ...common,
    basedOnVersion: result.basedOnVersion,
    counts: {
      outcomes: result.data.outcomes,
      converted: result.data.converted,
      lost: result.data.lost,
    },
    current: toChoice(result.current),
    split: toSplit(result.data),
    fit: toFit(result.fit),
    needed: null,
  };
  if (result.status === 'NO_SIGNAL') {
    return { ...fitted, status: WeightSuggestionStatus.NO_SIGNAL, patch: null, suggested: null };
  }
  return {
    ...fitted,
    status: WeightSuggestionStatus.SUGGESTED,
    patch: {
      weights: { ...result.patch.weights },
      halfLifeDays: result.patch.halfLifeDays ?? null,
    },
    suggested: toChoice(result.suggested),
  };
}

function toChoice(choice: ScoringChoice): WeightChoice {
  const [emailOpens, websiteVisits, timeSpent] = choice.weights;
  return {
    weights: { emailOpens, websiteVisits, timeSpent },
    halfLifeDays: choice.halfLifeDays,
    heldOutAuc: choice.report.heldOutAuc,
    distribution: toDistribution(choice.report),
  };
}

function toDistribution({ distribution }: ConfigReport): OutcomeScoreDistribution {
  const { tiers } = distribution;
  return {
    outcomes: distribution.outcomes,
    mean: distribution.mean,
    p10: distribution.p10,
    p50: distribution.p50,
    p90: distribution.p90,
    tiers: { hot: { ...tiers.hot }, warm: { ...tiers.warm }, cold: { ...tiers.cold } },
  };
}

function toSplit(data: FitData): WeightFitSplit {
  return {
    train: { ...data.train },
    heldOut: { ...data.heldOut },
    method: data.split.method,
    reason: data.split.reason,
    seed: data.split.seed,
  };
}

function toFit(fit: FitDetails): WeightFitDetails {
  return {
    objective: fit.objective,
    intercept: fit.intercept,
    scale: fit.scale,
    trainLogLoss: fit.trainLogLoss,
    halfLifeFitted: fit.halfLifeFitted,
    halfLives: fit.halfLives.map((candidate) => ({ ...candidate })),
  };
}
