import { ArgsType, Field, ID, InputType, Int, registerEnumType } from '@nestjs/graphql';
import { Type } from 'class-transformer';
import { IsEnum, IsInt, IsMongoId, IsOptional, Max, Min, ValidateNested } from 'class-validator';

import { PageArgs } from '@/common/graphql/page.args';
import { GraphQLJSONObject } from '@/common/graphql/json-object.scalar';
import { IsBoundedJsonObject } from '@/common/validation/is-bounded-json.decorator';
import { TransformationInput } from '@/versions/dto/dataset.inputs';

import { TrainingJobStatus } from '../schemas/training-job.schema';

export enum TrainableModelType {
  LOGISTIC_REGRESSION = 'LOGISTIC_REGRESSION',
  GRADIENT_BOOSTING = 'GRADIENT_BOOSTING',
  NAIVE_BAYES = 'NAIVE_BAYES',
}
registerEnumType(TrainableModelType, { name: 'TrainableModelType' });

@InputType()
export class TrainModelInput {
  @Field(() => ID)
  @IsMongoId({ message: 'datasetVersionId must be a dataset version id' })
  datasetVersionId!: string;

  @Field(() => TrainableModelType)
  @IsEnum(TrainableModelType)
  modelType!: TrainableModelType;

  @Field(() => GraphQLJSONObject, {
    nullable: true,
    description:
      'LOGISTIC_REGRESSION: l2, maxIterations, tolerance, classWeight (NONE|BALANCED), solver. GRADIENT_BOOSTING: learningRate, maxIterations, maxLeafNodes, maxDepth, minSamplesLeaf, l2Regularization, maxBins, earlyStopping (AUTO|ON|OFF), validationFraction, nIterNoChange, tolerance, seed. NAIVE_BAYES: alpha, bins. Defaults for the rest.',
  })
  @IsOptional()
  @IsBoundedJsonObject()
  params?: Record<string, unknown>;

  @Field(() => TransformationInput, {
    nullable: true,
    description: "Default: the dataset version's transformation.",
  })
  @IsOptional()
  @ValidateNested()
  @Type(() => TransformationInput)
  transformation?: TransformationInput;

  @Field(() => Int, {
    defaultValue: 42,
    description: 'The same seed, data and params give the same model.',
  })
  @IsInt()
  @Min(0)
  @Max(2_147_483_647)
  seed: number = 42;
}

@ArgsType()
export class TrainingJobsArgs extends PageArgs {
  @Field(() => TrainingJobStatus, { nullable: true })
  @IsOptional()
  @IsEnum(TrainingJobStatus)
  status?: TrainingJobStatus;
}

@ArgsType()
export class TrainingJobIdArgs {
  @Field(() => ID)
  @IsMongoId({ message: 'id must be a training job id' })
  id!: string;
}

@InputType()
export class TrainingSettingsInput {
  @Field(() => Int, { description: 'Converted leads a dataset version needs (1 or more).' })
  @IsInt()
  @Min(1)
  @Max(1_000_000)
  minConverted!: number;

  @Field(() => Int, { description: 'Lost leads a dataset version needs (1 or more).' })
  @IsInt()
  @Min(1)
  @Max(1_000_000)
  minLost!: number;
}
