import { ArgsType, Field, ID, InputType, Int } from '@nestjs/graphql';
import { Type } from 'class-transformer';
import {
  IsBoolean,
  IsDate,
  IsEnum,
  IsInt,
  IsMongoId,
  IsOptional,
  IsString,
  Length,
  MaxLength,
  Min,
  ValidateNested,
} from 'class-validator';

import { PageArgs } from '@/common/graphql/page.args';
import { LeadOutcomeValue } from '@/leads/schemas/lead.schema';

import { FeedbackRating, MAX_FEEDBACK_COMMENT } from '../schemas/rep-feedback.schema';

export const MAX_OUTCOME_REASON = 500;

@InputType()
export class RecordOutcomeInput {
  @Field(() => String, { description: 'Your id for the lead.' })
  @IsString()
  @Length(1, 200)
  leadId!: string;

  @Field(() => LeadOutcomeValue)
  @IsEnum(LeadOutcomeValue)
  outcome!: LeadOutcomeValue;

  @Field(() => Date, {
    nullable: true,
    description:
      'When it converted or was lost (default: now); not in the future, not before the lead existed.',
  })
  @IsOptional()
  @Type(() => Date)
  @IsDate()
  at?: Date;

  @Field(() => String, { nullable: true, description: `At most ${MAX_OUTCOME_REASON} characters.` })
  @IsOptional()
  @IsString()
  @MaxLength(MAX_OUTCOME_REASON)
  reason?: string;

  @Field(() => String, {
    nullable: true,
    description: 'The same key again returns the outcome recorded the first time, writing nothing.',
  })
  @IsOptional()
  @IsString()
  @Length(1, 200)
  idempotencyKey?: string;
}

@InputType()
export class SubmitFeedbackInput {
  @Field(() => String, { description: 'Your id for the lead.' })
  @IsString()
  @Length(1, 200)
  leadId!: string;

  @Field(() => FeedbackRating)
  @IsEnum(FeedbackRating)
  rating!: FeedbackRating;

  @Field(() => String, {
    nullable: true,
    description: `At most ${MAX_FEEDBACK_COMMENT} characters.`,
  })
  @IsOptional()
  @IsString()
  @MaxLength(MAX_FEEDBACK_COMMENT)
  comment?: string;
}

@InputType()
export class OutcomeFilterInput {
  @Field(() => String, { nullable: true })
  @IsOptional()
  @IsString()
  @Length(1, 200)
  leadId?: string;

  @Field(() => LeadOutcomeValue, { nullable: true })
  @IsOptional()
  @IsEnum(LeadOutcomeValue)
  outcome?: LeadOutcomeValue;

  @Field(() => Boolean, {
    defaultValue: false,
    description: 'Also the outcomes replaced by a later one or cleared by a reopen.',
  })
  @IsBoolean()
  includeHistory: boolean = false;

  @Field(() => Date, { nullable: true, description: 'Outcomes dated at or after this.' })
  @IsOptional()
  @Type(() => Date)
  @IsDate()
  from?: Date;

  @Field(() => Date, { nullable: true, description: 'Outcomes dated before this.' })
  @IsOptional()
  @Type(() => Date)
  @IsDate()
  to?: Date;
}

@InputType()
export class FeedbackFilterInput {
  @Field(() => String, { nullable: true })
  @IsOptional()
  @IsString()
  @Length(1, 200)
  leadId?: string;

  @Field(() => ID, { nullable: true })
  @IsOptional()
  @IsMongoId({ message: 'userId must be a user id' })
  userId?: string;

  @Field(() => FeedbackRating, { nullable: true })
  @IsOptional()
  @IsEnum(FeedbackRating)
  rating?: FeedbackRating;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @IsString()
  @Length(1, 100)
  modelId?: string;

  @Field(() => Int, { nullable: true })
  @IsOptional()
  @IsInt()
  @Min(1)
  modelVersion?: number;
}

@ArgsType()
export class OutcomesArgs extends PageArgs {
  @Field(() => OutcomeFilterInput, { nullable: true })
  @IsOptional()
  @ValidateNested()
  @Type(() => OutcomeFilterInput)
  filter?: OutcomeFilterInput;
}

@ArgsType()
export class FeedbackArgs extends PageArgs {
  @Field(() => FeedbackFilterInput, { nullable: true })
  @IsOptional()
  @ValidateNested()
  @Type(() => FeedbackFilterInput)
  filter?: FeedbackFilterInput;
}

@ArgsType()
export class ModelFeedbackStatsArgs {
  @Field(() => String, {
    nullable: true,
    description: 'The model (id) whose scores were shown; all models when absent.',
  })
  @IsOptional()
  @IsString()
  @Length(1, 100)
  modelId?: string;

  @Field(() => Int, {
    nullable: true,
    description: "One version of it; all of the model's when absent.",
  })
  @IsOptional()
  @IsInt()
  @Min(1)
  version?: number;
}
