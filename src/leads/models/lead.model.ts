import { Field, Float, ID, Int, ObjectType } from '@nestjs/graphql';

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

@ObjectType()
export class ScoreBreakdownModel {
  @Field(() => Float, { description: 'The weighted sum before clamping to [0, 1] and decay.' })
  rawScore!: number;

  @Field(() => Float, { description: '0.5 ^ (days since last activity / half-life).' })
  decayFactor!: number;

  @Field(() => Float, { nullable: true })
  daysSinceLastActivity!: number | null;

  @Field(() => [ScoreTermModel])
  terms!: ScoreTermModel[];

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
export class LeadPageModel {
  @Field(() => [LeadModel])
  items!: LeadModel[];

  @Field(() => Int)
  page!: number;

  @Field(() => Int)
  limit!: number;

  @Field(() => Int)
  total!: number;

  @Field(() => Int)
  totalPages!: number;
}

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
