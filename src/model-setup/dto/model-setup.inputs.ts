import { ArgsType, Field, ID, InputType } from '@nestjs/graphql';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsEnum,
  IsMongoId,
  IsOptional,
  IsString,
  MaxLength,
  ValidateNested,
} from 'class-validator';

import { GraphQLJSONObject } from '@/common/graphql/json-object.scalar';
import { IsBoundedJsonObject } from '@/common/validation/is-bounded-json.decorator';
import { TrainableModelType } from '@/training/dto/training.inputs';

import { SetupSource } from '../schemas/dataset-profile.schema';

const MAX_COLUMNS = 500;

@ArgsType()
export class SetupVersionArgs {
  @Field(() => ID)
  @IsMongoId({ message: 'versionId must be a dataset version id' })
  versionId!: string;
}

@InputType({ description: 'A recommendation as it is, or with the admin’s changes.' })
export class ApplySetupInput {
  @Field(() => SetupSource, {
    defaultValue: SetupSource.DETERMINISTIC,
    description: 'AI: the stored second opinion (recommendSetup must have given one).',
  })
  @IsEnum(SetupSource)
  source: SetupSource = SetupSource.DETERMINISTIC;

  @Field(() => [String], {
    nullable: true,
    description: 'Columns it leaves out that are kept anyway (a flag overruled knowingly).',
  })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(MAX_COLUMNS)
  @IsString({ each: true })
  @MaxLength(200, { each: true })
  keepColumns?: string[];

  @Field(() => [String], { nullable: true, description: 'Columns it uses that are left out.' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(MAX_COLUMNS)
  @IsString({ each: true })
  @MaxLength(200, { each: true })
  excludeColumns?: string[];

  @Field(() => TrainableModelType, {
    nullable: true,
    description: 'Default: the recommendation’s.',
  })
  @IsOptional()
  @IsEnum(TrainableModelType)
  modelType?: TrainableModelType;

  @Field(() => GraphQLJSONObject, {
    nullable: true,
    description:
      'The model type’s params; default: the recommendation’s for its type, else the defaults.',
  })
  @IsOptional()
  @IsBoundedJsonObject()
  params?: Record<string, unknown>;
}

@ArgsType()
export class ApplySetupArgs extends SetupVersionArgs {
  @Field(() => ApplySetupInput, {
    nullable: true,
    description: 'Absent: the deterministic recommendation as it is.',
  })
  @IsOptional()
  @ValidateNested()
  @Type(() => ApplySetupInput)
  input?: ApplySetupInput;
}
