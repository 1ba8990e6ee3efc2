import { Field, Float, Int, ObjectType } from '@nestjs/graphql';

import { PriorityTier } from '../scorer/priority-tier.util';

@ObjectType()
export class ScoreBucket {
  @Field(() => Float, { description: 'Inclusive.' })
  from!: number;

  @Field(() => Float, { description: "Exclusive, except the last bucket's 100." })
  to!: number;

  @Field(() => Int)
  count!: number;
}

@ObjectType()
export class TierCounts {
  @Field(() => Int)
  hot!: number;

  @Field(() => Int)
  warm!: number;

  @Field(() => Int)
  cold!: number;
}

@ObjectType()
export class ScoreDistribution {
  @Field(() => [ScoreBucket], { description: 'Ten buckets of 10 points: 0–10, …, 90–100.' })
  buckets!: ScoreBucket[];

  @Field(() => TierCounts)
  tiers!: TierCounts;

  @Field(() => Float)
  mean!: number;

  @Field(() => Float)
  median!: number;
}

@ObjectType()
export class TierMove {
  @Field(() => PriorityTier)
  from!: PriorityTier;

  @Field(() => PriorityTier)
  to!: PriorityTier;

  @Field(() => Int)
  count!: number;
}

@ObjectType({
  description:
    "The tenant's leads scored by the weighted sum under the saved and the proposed configuration, at the same instant; nothing is saved.",
})
export class ScoringConfigPreview {
  @Field(() => Int, { description: 'Leads scored for the preview.' })
  leads!: number;

  @Field(() => Boolean, {
    description: 'True when the tenant has more leads than a preview scores (50,000).',
  })
  sampled!: boolean;

  @Field(() => ScoreDistribution, { description: 'Under the saved configuration.' })
  current!: ScoreDistribution;

  @Field(() => ScoreDistribution, {
    description: 'Under the proposed values (fields left out keep their saved values).',
  })
  proposed!: ScoreDistribution;

  @Field(() => [TierMove], { description: 'Leads whose tier would change, largest group first.' })
  tierMoves!: TierMove[];

  @Field(() => Int, { description: 'Leads whose score would move by a point or more.' })
  changed!: number;
}
