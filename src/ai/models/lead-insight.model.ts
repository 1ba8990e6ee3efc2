import { ArgsType, Field, Float, InputType, Int, ObjectType } from '@nestjs/graphql';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsBoolean,
  IsOptional,
  IsString,
  Length,
} from 'class-validator';

import { InsightSource, InsightStatus } from '../schemas/lead-insight.schema';

@ObjectType()
export class InsightUsage {
  @Field(() => Int)
  promptTokens!: number;

  @Field(() => Int)
  completionTokens!: number;

  @Field(() => Int)
  totalTokens!: number;
}

@ObjectType({ description: 'A short read of a lead for its rep, by OpenAI or the fallback.' })
export class InsightContentModel {
  @Field()
  summary!: string;

  @Field()
  nextBestAction!: string;

  @Field(() => [String])
  talkingPoints!: string[];

  @Field(() => [String])
  risks!: string[];

  @Field(() => Int, {
    description:
      "0–100: the writer's own estimate of fit, shown beside the model's score, never instead of it.",
  })
  fitEstimate!: number;
}

@ObjectType('LeadInsight')
export class LeadInsightModel {
  @Field(() => String, { description: 'Your id for the lead.' })
  leadId!: string;

  @Field(() => InsightStatus, {
    description: 'QUEUED or RUNNING while a newer insight is written; READY; FAILED.',
  })
  status!: InsightStatus;

  @Field(() => Boolean, {
    description: "True when `insight` was written for the lead's current state (a cache hit).",
  })
  current!: boolean;

  @Field(() => InsightContentModel, {
    nullable: true,
    description: 'The latest insight written (kept while a newer one is queued).',
  })
  insight!: InsightContentModel | null;

  @Field(() => InsightSource, { nullable: true })
  source!: InsightSource | null;

  @Field(() => String, {
    nullable: true,
    description: 'Why the fallback wrote it: no API key, breaker open, invalid answer, errors.',
  })
  fallbackReason!: string | null;

  @Field(() => String, { nullable: true, description: 'The OpenAI model (null for the fallback).' })
  model!: string | null;

  @Field(() => InsightUsage, { nullable: true })
  usage!: InsightUsage | null;

  @Field(() => Float, { nullable: true, description: 'Time spent writing it, retries included.' })
  latencyMs!: number | null;

  @Field(() => Float, { nullable: true, description: 'The model score it was written beside.' })
  score!: number | null;

  @Field(() => Date, { nullable: true })
  generatedAt!: Date | null;

  @Field(() => Date)
  requestedAt!: Date;

  @Field(() => String, { nullable: true })
  failure!: string | null;
}

@ArgsType()
export class LeadInsightArgs {
  @Field(() => String, { description: 'Your id for the lead.' })
  @IsString()
  @Length(1, 200)
  leadId!: string;
}

@InputType()
export class RequestInsightsInput {
  @Field(() => [String], { description: '1 to 100 lead ids (yours), e.g. a rep’s top leads.' })
  @ArrayMinSize(1)
  @ArrayMaxSize(100)
  @IsString({ each: true })
  @Length(1, 200, { each: true })
  leadIds!: string[];
}

@ArgsType()
export class InsightReadyArgs {
  @Field(() => String, { nullable: true, description: 'Only this lead (your id).' })
  @IsOptional()
  @IsString()
  @Length(1, 200)
  leadId?: string;
}

@ObjectType('AiSettings', { description: 'What insights may send to OpenAI for this tenant.' })
export class AiSettingsModel {
  @Field(() => Boolean, { description: "The lead's name (default true)." })
  sendName!: boolean;

  @Field(() => [String], {
    nullable: true,
    description:
      'Attribute names that may be sent; null: all of them. Contact details (email, phone, address…) are never sent, nor the lead’s email.',
  })
  attributes!: string[] | null;

  @Field(() => Date, { nullable: true })
  updatedAt!: Date | null;

  @Field(() => String, { nullable: true })
  updatedBy!: string | null;
}

@InputType()
export class UpdateAiSettingsInput {
  @Field(() => Boolean, { nullable: true })
  @IsOptional()
  @IsBoolean()
  sendName?: boolean;

  @Field(() => [String], {
    nullable: true,
    description:
      'The attribute names that may be sent ([] for none); leave out to keep; null: all.',
  })
  @IsOptional()
  @ArrayMaxSize(200)
  @IsString({ each: true })
  @Length(1, 100, { each: true })
  attributes?: string[] | null;
}
