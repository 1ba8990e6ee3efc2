import { Field, Float, InputType, Int, ObjectType } from '@nestjs/graphql';
import { Type } from 'class-transformer';
import { IsNumber, IsOptional, Max, Min, ValidateNested } from 'class-validator';

import { AllPositive, HasPositiveSum, WarmBelowHot } from '../dto/scoring-config.rules';

@ObjectType()
export class FeatureValues {
  @Field(() => Float)
  emailOpens!: number;

  @Field(() => Float)
  websiteVisits!: number;

  @Field(() => Float, { description: 'Seconds for caps; a weight for weights.' })
  timeSpent!: number;
}

@ObjectType()
export class TierThresholdsModel {
  @Field(() => Float, { description: 'Scores at or above are HOT.' })
  hot!: number;

  @Field(() => Float, { description: 'Scores at or above (below hot) are WARM.' })
  warm!: number;
}

@ObjectType('ScoringConfig', {
  description: "A tenant's scoring parameters. Every change is a new version.",
})
export class ScoringConfigModel {
  @Field(() => Int, { description: '1 is the deployment default; each change adds one.' })
  version!: number;

  @Field(() => FeatureValues)
  weights!: FeatureValues;

  @Field(() => FeatureValues)
  caps!: FeatureValues;

  @Field(() => Float)
  halfLifeDays!: number;

  @Field(() => TierThresholdsModel)
  thresholds!: TierThresholdsModel;

  @Field(() => Date, { nullable: true })
  createdAt!: Date | null;

  @Field(() => String, { nullable: true })
  createdBy!: string | null;
}

@InputType()
export class FeatureValuesInput {
  @Field(() => Float)
  @IsNumber({ allowNaN: false, allowInfinity: false })
  @Min(0)
  emailOpens!: number;

  @Field(() => Float)
  @IsNumber({ allowNaN: false, allowInfinity: false })
  @Min(0)
  websiteVisits!: number;

  @Field(() => Float)
  @IsNumber({ allowNaN: false, allowInfinity: false })
  @Min(0)
  timeSpent!: number;
}

@InputType()
export class TierThresholdsInput {
  @Field(() => Float)
  @IsNumber({ allowNaN: false, allowInfinity: false })
  @Min(0)
  @Max(100)
  hot!: number;

  @Field(() => Float)
  @IsNumber({ allowNaN: false, allowInfinity: false })
  @Min(0)
  @Max(100)
  warm!: number;
}

@InputType({ description: 'What to change; the rest is kept from the current version.' })
export class UpdateScoringConfigInput {
  @Field(() => FeatureValuesInput, {
    nullable: true,
    description: 'Each ≥ 0, with a positive sum.',
  })
  @IsOptional()
  @ValidateNested()
  @HasPositiveSum()
  @Type(() => FeatureValuesInput)
  weights?: FeatureValuesInput;

  @Field(() => FeatureValuesInput, {
    nullable: true,
    description: 'Each > 0 (timeSpent in seconds).',
  })
  @IsOptional()
  @ValidateNested()
  @AllPositive()
  @Type(() => FeatureValuesInput)
  caps?: FeatureValuesInput;

  @Field(() => Float, { nullable: true, description: '> 0.' })
  @IsOptional()
  @IsNumber({ allowNaN: false, allowInfinity: false })
  @Min(0.001)
  @Max(3650)
  halfLifeDays?: number;

  @Field(() => TierThresholdsInput, { nullable: true, description: '0 ≤ warm < hot ≤ 100.' })
  @IsOptional()
  @ValidateNested()
  @WarmBelowHot()
  @Type(() => TierThresholdsInput)
  thresholds?: TierThresholdsInput;
}
