import { Field, Float, ID, Int, ObjectType, registerEnumType } from '@nestjs/graphql';

import { ScoreChangeReason } from '../schemas/score-history.schema';
import { ScoringJobStatus } from '../schemas/scoring-job.schema';
import { PriorityTier } from '../scorer/priority-tier.util';

registerEnumType(ScoreChangeReason, { name: 'ScoreChangeReason' });
registerEnumType(ScoringJobStatus, { name: 'ScoringJobStatus' });

@ObjectType('LeadScoreChange', {
  description: "A lead's score moved (live, through leadScoreChanged).",
})
export class LeadScoreChangeModel {
  @Field(() => ID, { description: 'The lead (`Lead.id`).' })
  id!: string;

  @Field(() => String, { description: 'The external lead id.' })
  leadId!: string;

  @Field(() => String, { nullable: true })
  ownerId!: string | null;

  @Field(() => Float)
  score!: number;

  @Field(() => Float, { nullable: true })
  previousScore!: number | null;

  @Field(() => PriorityTier)
  tier!: PriorityTier;

  @Field(() => ScoreChangeReason)
  reason!: ScoreChangeReason;

  @Field(() => Int)
  configVersion!: number;

  @Field(() => Date)
  at!: Date;
}

@ObjectType('ScoringJob', { description: 'A batch rescoring job; its id answers after it ends.' })
export class ScoringJobModel {
  @Field(() => ID)
  id!: string;

  @Field(() => ScoringJobStatus)
  status!: ScoringJobStatus;

  @Field(() => ScoreChangeReason)
  reason!: ScoreChangeReason;

  @Field(() => Int)
  total!: number;

  @Field(() => Int)
  processed!: number;

  @Field(() => Int, { description: 'Leads whose score changed.' })
  changed!: number;

  @Field(() => Int, {
    description: 'Worker starts: more than 1 means it resumed after a worker died.',
  })
  attempts!: number;

  @Field(() => Date)
  createdAt!: Date;

  @Field(() => Date, { nullable: true })
  startedAt!: Date | null;

  @Field(() => Date, { nullable: true })
  finishedAt!: Date | null;

  @Field(() => String, { nullable: true })
  error!: string | null;
}

@ObjectType('BatchScoringProgress')
export class BatchScoringProgressModel {
  @Field(() => ID)
  jobId!: string;

  @Field(() => ScoringJobStatus)
  status!: ScoringJobStatus;

  @Field(() => Int)
  processed!: number;

  @Field(() => Int)
  total!: number;

  @Field(() => Int)
  changed!: number;
}

@ObjectType('ScoreHistoryEntry')
export class ScoreHistoryEntryModel {
  @Field(() => Float)
  score!: number;

  @Field(() => Float, { nullable: true })
  previousScore!: number | null;

  @Field(() => Float, {
    description: "The model's score then: the same as score unless an override was shown.",
  })
  modelScore!: number;

  @Field(() => ScoreChangeReason)
  reason!: ScoreChangeReason;

  @Field(() => Int)
  configVersion!: number;

  @Field(() => Int)
  modelVersion!: number;

  @Field(() => Date)
  at!: Date;
}
