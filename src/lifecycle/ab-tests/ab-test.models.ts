import { ArgsType, Field, Float, ID, InputType, Int, ObjectType } from '@nestjs/graphql';
import { IsIn, IsMongoId, IsNumber, IsOptional, IsString, MaxLength } from 'class-validator';

import { AbTestStatus } from './ab-test.schema';

@InputType()
export class StartAbTestInput {
  @Field(() => ID, { description: 'A model id, or "weighted-sum".' })
  @IsString()
  @MaxLength(64)
  modelA!: string;

  @Field(() => ID)
  @IsString()
  @MaxLength(64)
  modelB!: string;

  @Field(() => Float, {
    defaultValue: 0.5,
    description: 'The share of leads in arm A, strictly between 0 and 1.',
  })
  @IsNumber()
  share: number = 0.5;
}

@ArgsType()
export class AbTestIdArgs {
  @Field(() => ID)
  @IsMongoId({ message: 'id must be an A/B test id' })
  id!: string;
}

@ArgsType()
export class StopAbTestArgs extends AbTestIdArgs {
  @Field(() => String, {
    nullable: true,
    description:
      "A or B: that arm's model is deployed as the test stops. Left out: the deployed model scores every lead again.",
  })
  @IsOptional()
  @IsIn(['A', 'B'])
  winner?: 'A' | 'B';
}

@ObjectType('AbTierConversion')
export class AbTierConversionModel {
  @Field(() => String) tier!: string;
  @Field(() => Int) outcomes!: number;
  @Field(() => Int) converted!: number;
  @Field(() => Float, { nullable: true }) conversionRate!: number | null;
}

@ObjectType('AbArm')
export class AbArmModel {
  @Field(() => String) arm!: string;
  @Field(() => ID) modelId!: string;
  @Field(() => Int, { description: 'Leads of the tenant in this arm now.' }) leads!: number;
  @Field(() => Int, { description: 'Current outcomes of its leads recorded during the test.' })
  outcomes!: number;
  @Field(() => Int) converted!: number;
  @Field(() => Float, { nullable: true }) conversionRate!: number | null;
  @Field(() => [AbTierConversionModel], {
    description: 'By the tier each lead showed when its outcome was recorded.',
  })
  byTier!: AbTierConversionModel[];
}

@ObjectType('AbTestSignificance')
export class AbTestSignificanceModel {
  @Field(() => Float, { description: "Arm A's conversion rate minus arm B's." })
  difference!: number;
  @Field(() => Float, { nullable: true, description: 'Pooled two-proportion z statistic.' })
  z!: number | null;
  @Field(() => Float, {
    nullable: true,
    description: 'Two-sided p-value of "the rates are equal".',
  })
  pValue!: number | null;
}

@ObjectType('AbTest')
export class AbTestModel {
  @Field(() => ID) id!: string;
  @Field(() => AbTestStatus) status!: AbTestStatus;
  @Field(() => ID) modelA!: string;
  @Field(() => ID) modelB!: string;
  @Field(() => Float) shareA!: number;
  @Field(() => ID) startedBy!: string;
  @Field(() => Date) startedAt!: Date;
  @Field(() => Date, { nullable: true }) stoppedAt!: Date | null;
  @Field(() => ID, { nullable: true }) winner!: string | null;
  @Field(() => [AbArmModel]) arms!: AbArmModel[];
  @Field(() => AbTestSignificanceModel) significance!: AbTestSignificanceModel;
  @Field(() => ID, { nullable: true, description: 'The rescoring the last start or stop queued.' })
  rescoreJobId!: string | null;
}
