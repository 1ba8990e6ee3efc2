import { ArgsType, Field, ID, InputType, Int, registerEnumType } from '@nestjs/graphql';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsBoolean,
  IsDate,
  IsIn,
  IsInt,
  IsMongoId,
  IsOptional,
  IsString,
  Length,
  Max,
  Min,
  ValidateNested,
} from 'class-validator';

import { PageArgs } from '@/common/graphql/page.args';
import { NUMERIC_FILLS } from '@/ml/transform/transformation-config.util';

export enum NumericFillInput {
  MEDIAN = 'MEDIAN',
  MEAN = 'MEAN',
  ZERO = 'ZERO',
}
registerEnumType(NumericFillInput, {
  name: 'NumericFill',
  description: 'What a missing numeric value becomes (learnt on the training rows).',
});

const MAX_FEATURE_NAMES = 500;

@InputType()
export class DatasetFilterInput {
  @Field(() => Date, { nullable: true, description: 'Outcomes dated at or after this.' })
  @IsOptional()
  @Type(() => Date)
  @IsDate()
  outcomeFrom?: Date;

  @Field(() => Date, { nullable: true, description: 'Outcomes dated before this.' })
  @IsOptional()
  @Type(() => Date)
  @IsDate()
  outcomeTo?: Date;

  @Field(() => [ID], { nullable: true, description: 'Leads of these owners only (up to 100).' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(100)
  @IsMongoId({ each: true, message: 'each of ownerIds must be a user id' })
  ownerIds?: string[];
}

@InputType()
export class NumericTransformationInput {
  @Field(() => NumericFillInput, { nullable: true, description: 'Default MEDIAN.' })
  @IsOptional()
  @IsIn(NUMERIC_FILLS)
  fill?: NumericFillInput;

  @Field(() => Boolean, {
    nullable: true,
    description:
      'Add a 0/1 "<name>:missing" input for features with missing values (default true).',
  })
  @IsOptional()
  @IsBoolean()
  missingIndicator?: boolean;

  @Field(() => [String], {
    nullable: true,
    description: 'Numeric features taken through sign(x)·log1p(|x|) first (long tails).',
  })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(MAX_FEATURE_NAMES)
  @IsString({ each: true })
  log1p?: string[];

  @Field(() => Boolean, {
    nullable: true,
    description: 'Scale to mean 0 and standard deviation 1 on the training rows (default true).',
  })
  @IsOptional()
  @IsBoolean()
  standardize?: boolean;
}

@InputType()
export class CategoricalTransformationInput {
  @Field(() => Int, {
    nullable: true,
    description:
      'A category needs this many training rows to get its own input (default 5); rarer ones share "(other)".',
  })
  @IsOptional()
  @IsInt()
  minFrequency?: number;

  @Field(() => Int, {
    nullable: true,
    description: 'At most this many categories per feature (default 50).',
  })
  @IsOptional()
  @IsInt()
  maxLevels?: number;
}

@InputType({
  description:
    'How raw features become model inputs: numeric ones filled, flagged when missing, optionally log1p, scaled; categorical ones one-hot with an "(other)" bucket and missing as its own level. TEXT features (free text, identifiers) are left out.',
})
export class TransformationInput {
  @Field(() => [String], {
    nullable: true,
    description: 'The raw features used; absent: every feature that is not TEXT.',
  })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(MAX_FEATURE_NAMES)
  @IsString({ each: true })
  features?: string[];

  @Field(() => [String], { nullable: true, description: 'Features left out.' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(MAX_FEATURE_NAMES)
  @IsString({ each: true })
  exclude?: string[];

  @Field(() => NumericTransformationInput, { nullable: true })
  @IsOptional()
  @ValidateNested()
  @Type(() => NumericTransformationInput)
  numeric?: NumericTransformationInput;

  @Field(() => CategoricalTransformationInput, { nullable: true })
  @IsOptional()
  @ValidateNested()
  @Type(() => CategoricalTransformationInput)
  categorical?: CategoricalTransformationInput;
}

@InputType()
export class CreateDatasetVersionInput {
  @Field(() => String)
  @IsString()
  @Length(1, 200)
  name!: string;

  @Field(() => DatasetFilterInput, {
    nullable: true,
    description: 'Which closed leads; all when absent.',
  })
  @IsOptional()
  @ValidateNested()
  @Type(() => DatasetFilterInput)
  filter?: DatasetFilterInput;

  @Field(() => TransformationInput, {
    nullable: true,
    description: 'Stored with the version; defaults when absent.',
  })
  @IsOptional()
  @ValidateNested()
  @Type(() => TransformationInput)
  transformation?: TransformationInput;

  @Field(() => ID, {
    nullable: true,
    description: "The version this one derives from; absent: the tenant's latest version.",
  })
  @IsOptional()
  @IsMongoId({ message: 'parentId must be a dataset version id' })
  parentId?: string;
}

@InputType()
export class PreviewTransformationInput {
  @Field(() => ID, {
    nullable: true,
    description: "A version's rows; absent: the tenant's closed leads now (nothing is saved).",
  })
  @IsOptional()
  @IsMongoId({ message: 'datasetVersionId must be a dataset version id' })
  datasetVersionId?: string;

  @Field(() => DatasetFilterInput, {
    nullable: true,
    description: 'Without a version: which closed leads.',
  })
  @IsOptional()
  @ValidateNested()
  @Type(() => DatasetFilterInput)
  filter?: DatasetFilterInput;

  @Field(() => TransformationInput, { nullable: true })
  @IsOptional()
  @ValidateNested()
  @Type(() => TransformationInput)
  transformation?: TransformationInput;

  @Field(() => Int, { defaultValue: 5, description: 'Rows shown, 1 to 50 (the first by lead id).' })
  @IsInt()
  @Min(1)
  @Max(50)
  rows: number = 5;
}

@ArgsType()
export class DatasetVersionIdArgs {
  @Field(() => ID)
  @IsMongoId({ message: 'id must be a dataset version id' })
  id!: string;
}

@ArgsType()
export class DatasetBuildIdArgs {
  @Field(() => ID)
  @IsMongoId({ message: 'id must be a dataset build id' })
  id!: string;
}

@ArgsType()
export class DatasetVersionsArgs extends PageArgs {
  @Field(() => Boolean, { defaultValue: false })
  @IsBoolean()
  includeArchived: boolean = false;
}

@ArgsType()
export class CompareDatasetVersionsArgs {
  @Field(() => ID, { description: 'The baseline.' })
  @IsMongoId({ message: 'a must be a dataset version id' })
  a!: string;

  @Field(() => ID)
  @IsMongoId({ message: 'b must be a dataset version id' })
  b!: string;
}
