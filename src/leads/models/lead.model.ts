import { Field, Float, ID, Int, ObjectType, registerEnumType } from '@nestjs/graphql';
import { ApiProperty, ApiSchema } from '@nestjs/swagger';

import { Paginated } from '@/common/graphql/paginated.model';
import { GraphQLJSONObject } from '@/common/graphql/json-object.scalar';
import { PriorityTier } from '@/scoring/scorer/priority-tier.util';
import { ScoreTrend } from '@/scoring/trend/score-trend.util';

registerEnumType(ScoreTrend, {
  name: 'ScoreTrend',
  description:
    "The model score's move over SCORE_TREND_WINDOW_DAYS: at least SCORE_TREND_MIN_CHANGE points up (IMPROVING) or down (DECLINING), else STEADY; NOT_ENOUGH_DATA when the lead was first scored inside the window.",
});

@ObjectType('ScoreOverride', {
  description:
    "A manager's manual score, shown instead of the model's until it expires or is cleared.",
})
@ApiSchema({
  name: 'ScoreOverride',
  description:
    "A manager's manual score, shown instead of the model's until it expires or is cleared.",
})
export class ScoreOverrideModel {
  @Field(() => Float, { description: '0 to 100: the shown score.' })
  @ApiProperty({ description: '0 to 100: the shown score.', example: 90 })
  score!: number;

  @Field(() => String)
  @ApiProperty({ example: 'Asked for a quote on the phone' })
  reason!: string;

  @Field(() => ID, { description: 'The user who set it.' })
  @ApiProperty({ description: 'The user who set it.' })
  setBy!: string;

  @Field(() => Date)
  @ApiProperty({ type: String, format: 'date-time' })
  setAt!: Date;

  @Field(() => Date, { nullable: true, description: 'Null: until cleared.' })
  @ApiProperty({
    type: String,
    format: 'date-time',
    nullable: true,
    description: 'Null: until cleared.',
  })
  expiresAt!: Date | null;
}

@ObjectType()
@ApiSchema({ name: 'ScoreTerm' })
export class ScoreTermModel {
  @Field(() => String, { description: 'emailOpens, websiteVisits or timeSpent.' })
  @ApiProperty({ description: 'emailOpens, websiteVisits or timeSpent.', example: 'emailOpens' })
  feature!: string;

  @Field(() => Float)
  @ApiProperty({ example: 4 })
  value!: number;

  @Field(() => Float)
  @ApiProperty({ example: 10 })
  cap!: number;

  @Field(() => Float, { description: 'min(max(value, 0), cap) / cap.' })
  @ApiProperty({ description: 'min(max(value, 0), cap) / cap.', example: 0.4 })
  normalized!: number;

  @Field(() => Float)
  @ApiProperty({ example: 0.4 })
  weight!: number;

  @Field(() => Float, {
    description: 'Points of the score from this feature; the terms add up to the score.',
  })
  @ApiProperty({
    description: 'Points of the score from this feature; the terms add up to the score.',
    example: 15.2,
  })
  contribution!: number;
}

@ObjectType('ScoreFactor', {
  description:
    "What one raw feature did to a trained model's score: contributions add up, with the base value, to the model's logit.",
})
@ApiSchema({
  name: 'ScoreFactor',
  description:
    "What one raw feature did to a trained model's score: contributions add up, with the base value, to the model's logit.",
})
export class ScoreFactorModel {
  @Field(() => String)
  @ApiProperty({ example: 'segment' })
  feature!: string;

  @Field(() => String, { nullable: true, description: "The lead's value (null: missing)." })
  @ApiProperty({
    type: String,
    nullable: true,
    description: "The lead's value (null: missing).",
    example: 'A',
  })
  value!: string | null;

  @Field(() => Float, { description: 'In logit units; positive raises the score.' })
  @ApiProperty({ description: 'In logit units; positive raises the score.', example: 0.83 })
  contribution!: number;
}

@ObjectType()
@ApiSchema({
  name: 'ScoreBreakdown',
  description: 'Every term of a score: the weighted sum (terms) or a trained model (factors).',
})
export class ScoreBreakdownModel {
  @Field(() => String, {
    description: 'WEIGHTED_SUM (terms apply), or the trained model type (factors apply).',
  })
  @ApiProperty({
    description: 'WEIGHTED_SUM (terms apply), or the trained model type (factors apply).',
    example: 'WEIGHTED_SUM',
  })
  modelType!: string;
  @Field(() => Float, {
    description:
      'The weighted sum before clamping to [0, 1] and decay; for a trained model, the probability.',
  })
  @ApiProperty({
    description:
      'The weighted sum before clamping to [0, 1] and decay; for a trained model, the probability.',
    example: 0.52,
  })
  rawScore!: number;

  @Field(() => Float, { description: '0.5 ^ (days since last activity / half-life).' })
  @ApiProperty({ description: '0.5 ^ (days since last activity / half-life).', example: 0.91 })
  decayFactor!: number;

  @Field(() => Float, { nullable: true })
  @ApiProperty({ type: Number, nullable: true, example: 1 })
  daysSinceLastActivity!: number | null;

  @Field(() => [ScoreTermModel], { description: 'The weighted sum only.' })
  @ApiProperty({ type: () => [ScoreTermModel], description: 'The weighted sum only.' })
  terms!: ScoreTermModel[];

  @Field(() => Float, {
    nullable: true,
    description: "Trained models: the logit before any feature (the training rows' average).",
  })
  @ApiProperty({
    type: Number,
    nullable: true,
    description: "Trained models: the logit before any feature (the training rows' average).",
  })
  baseValue!: number | null;

  @Field(() => Float, { nullable: true, description: 'Trained models: baseValue + Σ factors.' })
  @ApiProperty({
    type: Number,
    nullable: true,
    description: 'Trained models: baseValue + Σ factors.',
  })
  logit!: number | null;

  @Field(() => String, {
    nullable: true,
    description:
      'How the factors were computed: gradient boosting TREE_SHAP (exact, small models) or SAABAS (path attributions); null for the weighted sum, logistic regression (weight × input) and naive Bayes (log-likelihood ratios).',
  })
  @ApiProperty({
    type: String,
    nullable: true,
    description:
      'Gradient boosting: TREE_SHAP or SAABAS; null for the weighted sum, logistic regression and naive Bayes.',
  })
  explanationMethod!: string | null;

  @Field(() => [ScoreFactorModel], {
    description:
      'Trained models: every feature, largest contribution first (the first are the top positive factors, the last the top negative).',
  })
  @ApiProperty({
    type: () => [ScoreFactorModel],
    description: 'Trained models: every feature, largest contribution first.',
  })
  factors!: ScoreFactorModel[];

  @Field(() => String)
  @ApiProperty({ example: 'weighted-sum' })
  modelId!: string;

  @Field(() => Int)
  @ApiProperty({ type: 'integer', example: 1 })
  modelVersion!: number;

  @Field(() => Int)
  @ApiProperty({ type: 'integer', example: 1 })
  configVersion!: number;

  @Field(() => Date)
  @ApiProperty({ type: String, format: 'date-time' })
  computedAt!: Date;
}

@ObjectType()
@ApiSchema({ name: 'Engagement' })
export class EngagementModel {
  @Field(() => Int)
  @ApiProperty({ type: 'integer', example: 4 })
  emailOpens!: number;

  @Field(() => Int)
  @ApiProperty({ type: 'integer', example: 7 })
  websiteVisits!: number;

  @Field(() => Float)
  @ApiProperty({ example: 320 })
  timeSpentSeconds!: number;

  @Field(() => Date, { nullable: true })
  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  lastActivityAt!: Date | null;
}

@ObjectType('Lead')
@ApiSchema({ name: 'Lead' })
export class LeadModel {
  @Field(() => ID)
  @ApiProperty({
    description: 'The lead in this API (derived from your leadId).',
    example: '65f1c0ffee0123456789abcd',
  })
  id!: string;

  @Field(() => String, { description: 'Your id for the lead.' })
  @ApiProperty({ description: 'Your id for the lead.', example: 'CRM-1042' })
  leadId!: string;

  @Field(() => String, { nullable: true })
  @ApiProperty({ type: String, nullable: true, example: 'Ada Lovelace' })
  name!: string | null;

  @Field(() => String, { nullable: true })
  @ApiProperty({ type: String, nullable: true, example: 'ada@example.com' })
  email!: string | null;

  @Field(() => ID, { nullable: true })
  @ApiProperty({ type: String, nullable: true, description: 'The rep who owns it.' })
  ownerId!: string | null;

  @Field(() => String)
  @ApiProperty({ example: 'WORKING' })
  status!: string;

  @Field(() => Float, {
    description: "0 to 100: the override while one lasts, else the model's score.",
  })
  @ApiProperty({
    description: "0 to 100: the override while one lasts, else the model's score.",
    example: 47.5,
  })
  score!: number;

  @Field(() => PriorityTier, { description: 'The tier of the shown score.' })
  @ApiProperty({
    enum: PriorityTier,
    enumName: 'PriorityTier',
    example: PriorityTier.WARM,
    description: 'The tier of the shown score.',
  })
  tier!: PriorityTier;

  @Field(() => Float, {
    description: "The model's score (the breakdown's), computed beneath an override too.",
  })
  @ApiProperty({
    description: "The model's score (the breakdown's), computed beneath an override too.",
    example: 47.5,
  })
  modelScore!: number;

  @Field(() => ScoreOverrideModel, { nullable: true, description: 'Null: no override now.' })
  @ApiProperty({
    type: () => ScoreOverrideModel,
    nullable: true,
    description: 'Null: no override now.',
  })
  override!: ScoreOverrideModel | null;

  @Field(() => ScoreTrend)
  @ApiProperty({ enum: ScoreTrend, enumName: 'ScoreTrend', example: ScoreTrend.STEADY })
  trend!: ScoreTrend;

  @Field(() => Boolean, {
    description: 'Older than SCORE_FRESHNESS_MINUTES; ask with refresh: true to recompute.',
  })
  @ApiProperty({
    description: 'Older than SCORE_FRESHNESS_MINUTES; ask with refresh to recompute.',
  })
  isStale!: boolean;

  @Field(() => ScoreBreakdownModel)
  @ApiProperty({ type: () => ScoreBreakdownModel })
  breakdown!: ScoreBreakdownModel;

  @Field(() => EngagementModel)
  @ApiProperty({ type: () => EngagementModel })
  engagement!: EngagementModel;

  @Field(() => GraphQLJSONObject, { nullable: true, description: 'Only with includeRaw: true.' })
  @ApiProperty({
    type: 'object',
    additionalProperties: true,
    nullable: true,
    description: 'Only with includeRaw.',
  })
  attributes!: Record<string, unknown> | null;

  @Field(() => Date, { nullable: true, description: 'Only with includeRaw: true.' })
  @ApiProperty({
    type: String,
    format: 'date-time',
    nullable: true,
    description: 'Only with includeRaw.',
  })
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
@ApiSchema({ name: 'RecordInteractionsResult' })
export class RecordInteractionsResultModel {
  @Field(() => Int, { description: 'New events stored and counted.' })
  @ApiProperty({ type: 'integer', description: 'New events stored and counted.' })
  accepted!: number;

  @Field(() => Int, {
    description: 'Events whose idempotency key was seen before: not counted again.',
  })
  @ApiProperty({
    type: 'integer',
    description: 'Events whose idempotency key was seen before: not counted again.',
  })
  duplicates!: number;

  @Field(() => Int, {
    description: 'Leads rescored before the answer (0 when acknowledged LOGGED).',
  })
  @ApiProperty({
    type: 'integer',
    description: 'Leads rescored before the answer (0 when acknowledged `LOGGED`).',
  })
  leadsRescored!: number;

  @Field(() => Int, {
    description:
      'Events stored whose deltas are still to apply (acknowledged LOGGED): their leads are rescored moments later.',
  })
  @ApiProperty({
    type: 'integer',
    description:
      'Events stored whose deltas are still to apply (acknowledged `LOGGED`): their leads are rescored moments later.',
  })
  queued!: number;
}
