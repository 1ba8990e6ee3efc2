import { Field, Float, Int, ObjectType, registerEnumType } from '@nestjs/graphql';

import { FeatureValues } from '@/scoring/models/scoring-config.model';

export enum WeightSuggestionStatus {
  SUGGESTED = 'SUGGESTED',
  NO_SIGNAL = 'NO_SIGNAL',
  NOT_ENOUGH_DATA = 'NOT_ENOUGH_DATA',
}
registerEnumType(WeightSuggestionStatus, {
  name: 'WeightSuggestionStatus',
  valuesMap: {
    SUGGESTED: { description: 'Weights fitted: `patch` applies them.' },
    NO_SIGNAL: {
      description: 'No engagement component rises with converting: keep the current weights.',
    },
    NOT_ENOUGH_DATA: { description: 'Too few outcomes to fit: `needed` says how many more.' },
  },
});

@ObjectType({ description: 'Outcomes, and how many of them converted.' })
export class OutcomeClassCounts {
  @Field(() => Int)
  outcomes!: number;

  @Field(() => Int)
  converted!: number;
}

@ObjectType({ description: 'Outcomes of each class.' })
export class OutcomeCounts {
  @Field(() => Int)
  outcomes!: number;

  @Field(() => Int)
  converted!: number;

  @Field(() => Int)
  lost!: number;
}

@ObjectType({ description: 'The outcomes in each tier, and how many of them converted.' })
export class OutcomeTiers {
  @Field(() => OutcomeClassCounts)
  hot!: OutcomeClassCounts;

  @Field(() => OutcomeClassCounts)
  warm!: OutcomeClassCounts;

  @Field(() => OutcomeClassCounts)
  cold!: OutcomeClassCounts;
}

@ObjectType({
  description:
    "The scores (0–100) the outcomes' leads had at their outcome times, over every outcome considered.",
})
export class OutcomeScoreDistribution {
  @Field(() => Int)
  outcomes!: number;

  @Field(() => Float)
  mean!: number;

  @Field(() => Float, { description: '10th percentile (linear interpolation).' })
  p10!: number;

  @Field(() => Float, { description: 'Median.' })
  p50!: number;

  @Field(() => Float, { description: '90th percentile.' })
  p90!: number;

  @Field(() => OutcomeTiers, { description: "By the tenant's current tier thresholds." })
  tiers!: OutcomeTiers;
}

@ObjectType({ description: 'A weighted-sum configuration and what it makes of the outcomes.' })
export class WeightChoice {
  @Field(() => FeatureValues)
  weights!: FeatureValues;

  @Field(() => Float)
  halfLifeDays!: number;

  @Field(() => Float, { description: 'ROC AUC of its scores on the held-out outcomes.' })
  heldOutAuc!: number;

  @Field(() => OutcomeScoreDistribution)
  distribution!: OutcomeScoreDistribution;
}

@ObjectType({
  description:
    'The input to send to updateScoringConfig to apply the suggestion (a new config version; the leads are rescored).',
})
export class ScoringConfigPatch {
  @Field(() => FeatureValues, { description: 'Non-negative, summing to 1.' })
  weights!: FeatureValues;

  @Field(() => Float, { nullable: true, description: 'Null when the half-life was not fitted.' })
  halfLifeDays!: number | null;
}

@ObjectType()
export class WeightFitSplit {
  @Field(() => OutcomeClassCounts, { description: 'The outcomes the weights were fitted on.' })
  train!: OutcomeClassCounts;

  @Field(() => OutcomeClassCounts, { description: 'The outcomes both AUCs are measured on.' })
  heldOut!: OutcomeClassCounts;

  @Field(() => String, { description: 'TIME (the latest outcomes held out) or STRATIFIED.' })
  method!: string;

  @Field(() => String)
  reason!: string;

  @Field(() => Int)
  seed!: number;
}

@ObjectType()
export class HalfLifeCandidate {
  @Field(() => Float)
  halfLifeDays!: number;

  @Field(() => Float, {
    description: 'Mean log loss of its best weights on the training outcomes.',
  })
  trainLogLoss!: number;
}

@ObjectType({
  description:
    'The fit: log-odds of converting = intercept + scale × score / 100 on the training outcomes.',
})
export class WeightFitDetails {
  @Field(() => String)
  objective!: string;

  @Field(() => Float)
  intercept!: number;

  @Field(() => Float)
  scale!: number;

  @Field(() => Float)
  trainLogLoss!: number;

  @Field(() => Boolean)
  halfLifeFitted!: boolean;

  @Field(() => [HalfLifeCandidate], { description: 'Every half-life tried, ascending.' })
  halfLives!: HalfLifeCandidate[];
}

@ObjectType()
export class OutcomeMinimum {
  @Field(() => Int)
  outcomes!: number;

  @Field(() => Int)
  perClass!: number;
}

@ObjectType({
  description:
    "Weights of the transparent score learnt from the tenant's outcomes (engagement as it was at each outcome), compared with the current configuration on the same held-out outcomes. Nothing is saved.",
})
export class ScoringWeightSuggestion {
  @Field(() => WeightSuggestionStatus)
  status!: WeightSuggestionStatus;

  @Field(() => String)
  message!: string;

  @Field(() => Int, {
    nullable: true,
    description: 'The scoring config version the suggestion starts from.',
  })
  basedOnVersion!: number | null;

  @Field(() => OutcomeCounts, { description: 'The outcomes considered.' })
  counts!: OutcomeCounts;

  @Field(() => Boolean, {
    description: 'True when the tenant has more outcomes than a suggestion reads (the newest are).',
  })
  capped!: boolean;

  @Field(() => Int, { description: 'The most outcomes a suggestion reads (the newest first).' })
  maxOutcomes!: number;

  @Field(() => ScoringConfigPatch, { nullable: true, description: 'When SUGGESTED.' })
  patch!: ScoringConfigPatch | null;

  @Field(() => WeightChoice, {
    nullable: true,
    description: 'The current configuration (unless NOT_ENOUGH_DATA).',
  })
  current!: WeightChoice | null;

  @Field(() => WeightChoice, { nullable: true, description: 'When SUGGESTED.' })
  suggested!: WeightChoice | null;

  @Field(() => WeightFitSplit, { nullable: true, description: 'Unless NOT_ENOUGH_DATA.' })
  split!: WeightFitSplit | null;

  @Field(() => WeightFitDetails, { nullable: true, description: 'Unless NOT_ENOUGH_DATA.' })
  fit!: WeightFitDetails | null;

  @Field(() => OutcomeCounts, {
    nullable: true,
    description: 'When NOT_ENOUGH_DATA: how many more outcomes, at least so many of each class.',
  })
  needed!: OutcomeCounts | null;

  @Field(() => OutcomeMinimum, { description: 'What a fit needs.' })
  minimum!: OutcomeMinimum;
}
