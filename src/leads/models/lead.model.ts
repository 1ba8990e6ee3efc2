import { Field, Float, ID, Int, ObjectType } from '@nestjs/graphql';

import { Paginated } from '@/common/graphql/paginated.model';
import { GraphQLJSONObject } from '@/common/graphql/json-object.scalar';
import { PriorityTier } from '@/scoring/scorer/priority-tier.util';

@ObjectType()
export class ScoreTermModel {
  @Field(() => String, { description: 'emailOpens, websiteVisits or timeSpent.' })
  feature!: string;

  @Field(() => Float)
  value!: number;

  @Field(() => Float)
  cap!: number;

  @Field(() => Float, { description: 'min(max(value, 0), cap) / cap.' })
  normalized!: number;

  @Field(() => Float)
  weight!: number;

  @Field(() => Float, {
    description: 'Points of the score from this feature; the terms add up to the score.',
  })
  contribution!: number;
}

@ObjectType('ScoreFactor', {
  description:
    "What one raw feature did to a trained model's score: contributions add up, with the base value, to the model's logit.",
})
export class ScoreFactorModel {
  @Field(() => String)
  feature!: string;

  @Field(() => String, { nullable: true, description: "The lead's value (null: missing)." })
  value!: string | null;

  @Field(() => Float, { description: 'In logit units; positive raises the score.' })
  contribution!: number;
}

@ObjectType()
export class ScoreBreakdownModel {
  @Field(() => String, {
    description: 'WEIGHTED_SUM (terms apply), or the trained model type (factors apply).',
  })
  modelType!: string;
  @Field(() => Float, {
    description:
      'The weighted sum before clamping to [0, 1] and decay; for a trained model, the probability.',
  })
  rawScore!: number;

  @Field(() => Float, { description: '0.5 ^ (days since last activity / half-life).' })
  decayFactor!: number;

  @Field(() => Float, { nullable: true })
  daysSinceLastActivity!: number | null;

  @Field(() => [ScoreTermModel], { description: 'The weighted sum only.' })
  terms!: ScoreTermModel[];

  @Field(() => Float, {
    nullable: true,
    description: "Trained models: the logit before any feature (the training rows' average).",
  })
  baseValue!: number | null;

  @Field(() => Float, { nullable: true, description: 'Trained models: baseValue + Σ factors.' })
  logit!: number | null;

  @Field(() => String, {
    nullable: true,
    description:
      'How the factors were computed: gradient boosting TREE_SHAP (exact, small models) or SAABAS (path attributions); null for the weighted sum, logistic regression (weight × input) and naive Bayes (log-likelihood ratios).',
  })
  explanationMethod!: string | null;

  @Field(() => [ScoreFactorModel], {
    description:
      'Trained models: every feature, largest contribution first (the first are the top positive factors, the last the top negative).',
  })
  factors!: ScoreFactorModel[];

  @Field(() => String)
  modelId!: string;

  @Field(() => Int)
  modelVersion!: number;

  @Field(() => Int)
  configVersion!: number;

  @Field(() => Date)
  computedAt!: Date;
}

@ObjectType()
export class EngagementModel {
  @Field(() => Int)
  emailOpens!: number;

  @Field(() => Int)
  websiteVisits!: number;

  @Field(() => Float)
  timeSpentSeconds!: number;

  @Field(() => Date, { nullable: true })
  lastActivityAt!: Date | null;
}

@ObjectType('Lead')
export class LeadModel {
  @Field(() => ID)
  id!: string;

  @Field(() => String, { description: 'Your id for the lead.' })
  leadId!: string;

  @Field(() => String, { nullable: true })
  name!: string | null;

  @Field(() => String, { nullable: true })
  email!: string | null;

  @Field(() => ID, { nullable: true })
  ownerId!: string | null;

  @Field(() => String)
  status!: string;

  @Field(() => Float, { description: '0 to 100.' })
  score!: number;

  @Field(() => PriorityTier)
  tier!: PriorityTier;

  @Field(() => Boolean, {
    description: 'Older than SCORE_FRESHNESS_MINUTES; ask with refresh: true to recompute.',
  })
  isStale!: boolean;

  @Field(() => ScoreBreakdownModel)
  breakdown!: ScoreBreakdownModel;

  @Field(() => EngagementModel)
  engagement!: EngagementModel;

  @Field(() => GraphQLJSONObject, { nullable: true, description: 'Only with includeRaw: true.' })
  attributes!: Record<string, unknown> | null;

  @Field(() => Date, { nullable: true, description: 'Only with includeRaw: true.' })
  createdAt!: Date | null;
}

@ObjectType('LeadPage')
export class LeadPageModel extends Paginated(LeadModel) {}

@ObjectType('LeadWriteFailure', {
  description: 'A lead of the batch that was not written; the others were, and are scored.',
})
export class LeadWriteFailureModel {
  @Field(() => Int, { description: 'Its position in the input list.' })
  index!: number;

  @Field(() => String)
  leadId!: string;

  @Field(() => String)
  reason!: string;
}

@ObjectType('UpsertLeadsResult')
export class UpsertLeadsResultModel {
  @Field(() => Int)
  created!: number;

  @Field(() => Int)
  updated!: number;

  @Field(() => [LeadModel])
  leads!: LeadModel[];

  @Field(() => [LeadWriteFailureModel], {
    description: 'Leads that could not be written, each with its reason (empty when all were).',
  })
  failed!: LeadWriteFailureModel[];
}

@ObjectType('RecordInteractionsResult')
export class RecordInteractionsResultModel {
  @Field(() => Int, { description: 'New events stored and counted.' })
  accepted!: number;

  @Field(() => Int, {
    description: 'Events whose idempotency key was seen before: not counted again.',
  })
  duplicates!: number;

  @Field(() => Int, { description: 'Leads rescored at once.' })
  leadsRescored!: number;
}
