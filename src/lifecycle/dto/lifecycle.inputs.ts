import { ArgsType, Field, Float, ID, InputType, Int } from '@nestjs/graphql';
import { Type } from 'class-transformer';
import {
  IsBoolean,
  IsEnum,
  IsInt,
  IsMongoId,
  IsNumber,
  IsOptional,
  Max,
  Min,
  ValidateNested,
} from 'class-validator';

import { PageArgs } from '@/common/graphql/page.args';
import { GraphQLJSONObject } from '@/common/graphql/json-object.scalar';
import { IsBoundedJsonObject } from '@/common/validation/is-bounded-json.decorator';
import { TrainableModelType } from '@/training/dto/training.inputs';
import { TransformationInput } from '@/versions/dto/dataset.inputs';

import { RetrainingTrigger } from '../schemas/model-lifecycle.schema';

@InputType()
export class PromotionRuleInput {
  @Field(() => Float, {
    description: "How far the challenger's test AUC may fall below the champion's (0 to 0.1).",
  })
  @IsNumber()
  @Min(0)
  @Max(0.1)
  maxAucDrop!: number;

  @Field(() => Float, {
    description:
      "How much worse (a fraction: 0.1 is 10 %) the challenger's Brier score may be (0 to 1).",
  })
  @IsNumber()
  @Min(0)
  @Max(1)
  maxBrierIncrease!: number;

  @Field(() => Int, {
    description: 'A trained champion older than this many days is replaced anyway (1 to 3650).',
  })
  @IsInt()
  @Min(1)
  @Max(3650)
  maxChampionAgeDays!: number;
}

/** Every field optional: what is left out keeps its value. */
@InputType()
export class UpdateModelLifecycleInput {
  @Field(() => Boolean, { nullable: true })
  @IsOptional()
  @IsBoolean()
  retrainingEnabled?: boolean;

  @Field(() => Int, {
    nullable: true,
    description: 'Days between scheduled retrainings (1 to 90).',
  })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(90)
  cadenceDays?: number;

  @Field(() => TrainableModelType, { nullable: true })
  @IsOptional()
  @IsEnum(TrainableModelType)
  modelType?: TrainableModelType;

  @Field(() => GraphQLJSONObject, {
    nullable: true,
    description: "The challenger's params, as trainModel takes them (checked for modelType).",
  })
  @IsOptional()
  @IsBoundedJsonObject()
  params?: Record<string, unknown>;

  @Field(() => TransformationInput, {
    nullable: true,
    description: "Null or left out: each new version's default.",
  })
  @IsOptional()
  @ValidateNested()
  @Type(() => TransformationInput)
  transformation?: TransformationInput | null;

  @Field(() => PromotionRuleInput, { nullable: true })
  @IsOptional()
  @ValidateNested()
  @Type(() => PromotionRuleInput)
  promotion?: PromotionRuleInput;

  @Field(() => Float, {
    nullable: true,
    description: 'PSI above which a feature (or the score) has drifted (0.01 to 5).',
  })
  @IsOptional()
  @IsNumber()
  @Min(0.01)
  @Max(5)
  driftThreshold?: number;

  @Field(() => Boolean, { nullable: true, description: 'A flagged drift starts a retraining.' })
  @IsOptional()
  @IsBoolean()
  retrainOnDrift?: boolean;

  @Field(() => Int, { nullable: true, description: 'Converted leads a model needs (1 or more).' })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(1_000_000)
  minConverted?: number;

  @Field(() => Int, { nullable: true, description: 'Lost leads a model needs (1 or more).' })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(1_000_000)
  minLost?: number;
}

@ArgsType()
export class ModelDecisionsArgs extends PageArgs {
  @Field(() => RetrainingTrigger, { nullable: true })
  @IsOptional()
  @IsEnum(RetrainingTrigger)
  trigger?: RetrainingTrigger;
}

@ArgsType()
export class ModelDecisionIdArgs {
  @Field(() => ID)
  @IsMongoId({ message: 'id must be a model decision id' })
  id!: string;
}
