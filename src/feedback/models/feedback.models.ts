import { Field, Float, ID, Int, ObjectType, registerEnumType } from '@nestjs/graphql';

import { Paginated } from '@/common/graphql/paginated.model';
import { LeadOutcomeValue } from '@/leads/schemas/lead.schema';
import { PriorityTier } from '@/scoring/scorer/priority-tier.util';

import { OutcomeSource } from '../schemas/outcome.schema';
import { FeedbackRating } from '../schemas/rep-feedback.schema';

registerEnumType(LeadOutcomeValue, { name: 'LeadOutcome' });
registerEnumType(OutcomeSource, {
  name: 'OutcomeSource',
  description: 'API: recordOutcome. IMPORT: the outcome column of a CSV import.',
});
registerEnumType(FeedbackRating, { name: 'FeedbackRating' });

@ObjectType('ShownScore', { description: 'What the lead was shown as at that moment.' })
export class ShownScoreModel {
  @Field(() => Float)
  score!: number;

  @Field(() => PriorityTier)
  tier!: PriorityTier;

  @Field(() => String)
  modelId!: string;

  @Field(() => Int)
  modelVersion!: number;

  @Field(() => Int)
  configVersion!: number;
}

@ObjectType('ImportRowRef')
export class ImportRowRefModel {
  @Field(() => ID)
  importId!: string;

  @Field(() => Int, { description: 'Data row, from 1.' })
  row!: number;
}

@ObjectType('Outcome')
export class OutcomeModel {
  @Field(() => ID)
  id!: string;

  @Field(() => String)
  leadId!: string;

  @Field(() => ID, { nullable: true, description: "The lead's owner when it was recorded." })
  ownerId!: string | null;

  @Field(() => LeadOutcomeValue)
  outcome!: LeadOutcomeValue;

  @Field(() => Date)
  at!: Date;

  @Field(() => String, { nullable: true })
  reason!: string | null;

  @Field(() => OutcomeSource)
  source!: OutcomeSource;

  @Field(() => ID)
  recordedBy!: string;

  @Field(() => Date)
  recordedAt!: Date;

  @Field(() => ImportRowRefModel, { nullable: true })
  importRow!: ImportRowRefModel | null;

  @Field(() => ShownScoreModel, {
    nullable: true,
    description: 'Null when the lead had no score yet.',
  })
  shown!: ShownScoreModel | null;

  @Field(() => Boolean, { description: "Whether it is the lead's outcome now." })
  current!: boolean;

  @Field(() => Date, { nullable: true, description: 'When a later outcome replaced it.' })
  replacedAt!: Date | null;

  @Field(() => Date, { nullable: true, description: 'When a reopen cleared it.' })
  reopenedAt!: Date | null;

  @Field(() => ID, { nullable: true })
  reopenedBy!: string | null;
}

@ObjectType('OutcomePage')
export class OutcomePageModel extends Paginated(OutcomeModel) {}

@ObjectType('ReopenLeadResult')
export class ReopenLeadResultModel {
  @Field(() => String)
  leadId!: string;

  @Field(() => String, {
    description: 'The status it had before it was closed (OPEN if that was a closed one).',
  })
  status!: string;

  @Field(() => OutcomeModel, { description: 'The outcome the reopen cleared.' })
  cleared!: OutcomeModel;
}

@ObjectType('PastRating')
export class PastRatingModel {
  @Field(() => FeedbackRating)
  rating!: FeedbackRating;

  @Field(() => String, { nullable: true })
  comment!: string | null;

  @Field(() => ShownScoreModel, {
    nullable: true,
    description: 'Null when the lead had no score yet.',
  })
  shown!: ShownScoreModel | null;

  @Field(() => Date)
  submittedAt!: Date;
}

@ObjectType('Feedback', { description: "A user's current rating of a lead's score." })
export class FeedbackModel extends PastRatingModel {
  @Field(() => ID)
  id!: string;

  @Field(() => String)
  leadId!: string;

  @Field(() => ID)
  userId!: string;

  @Field(() => [PastRatingModel], {
    description: 'Earlier ratings by the same user, oldest first (the latest 50).',
  })
  history!: PastRatingModel[];
}

@ObjectType('FeedbackPage')
export class FeedbackPageModel extends Paginated(FeedbackModel) {}

@ObjectType('RatingCounts')
export class RatingCountsModel {
  @Field(() => Int)
  tooHigh!: number;

  @Field(() => Int)
  tooLow!: number;

  @Field(() => Int)
  aboutRight!: number;

  @Field(() => Int)
  total!: number;
}

@ObjectType('TierConversion')
export class TierConversionModel {
  @Field(() => PriorityTier)
  tier!: PriorityTier;

  @Field(() => Int)
  outcomes!: number;

  @Field(() => Int)
  converted!: number;

  @Field(() => Float, { nullable: true, description: 'Null with no outcomes.' })
  conversionRate!: number | null;
}

@ObjectType('DecileConversion', {
  description: 'Outcomes whose shown score was in [minScore, maxScore].',
})
export class DecileConversionModel {
  @Field(() => Int, { description: '1 (scores 0 to 9.99) to 10 (90 to 100).' })
  decile!: number;

  @Field(() => Float)
  minScore!: number;

  @Field(() => Float)
  maxScore!: number;

  @Field(() => Int)
  outcomes!: number;

  @Field(() => Int)
  converted!: number;

  @Field(() => Float, { nullable: true, description: 'Null with no outcomes.' })
  conversionRate!: number | null;
}

@ObjectType('ModelFeedbackStats', {
  description:
    "Reps' ratings and the outcome report of the scores a model showed: current ratings and current outcomes only.",
})
export class ModelFeedbackStatsModel {
  @Field(() => String, { nullable: true, description: 'Null: every model.' })
  modelId!: string | null;

  @Field(() => Int, { nullable: true, description: 'Null: every version.' })
  modelVersion!: number | null;

  @Field(() => RatingCountsModel)
  ratings!: RatingCountsModel;

  @Field(() => Int)
  outcomes!: number;

  @Field(() => Int)
  converted!: number;

  @Field(() => Float, { nullable: true })
  conversionRate!: number | null;

  @Field(() => [TierConversionModel])
  tiers!: TierConversionModel[];

  @Field(() => [DecileConversionModel])
  deciles!: DecileConversionModel[];

  @Field(() => Boolean, {
    nullable: true,
    description:
      'Whether conversion never falls from one non-empty decile to the next higher: is a higher score really more likely to convert? Null with fewer than two non-empty deciles.',
  })
  rateRisesWithScore!: boolean | null;

  @Field(() => Int, {
    description:
      'Outcomes recorded on leads that had no score yet (left out of tiers and deciles).',
  })
  unscoredOutcomes!: number;
}
