import { Field, Float, ID, InputType, registerEnumType } from '@nestjs/graphql';
import { ApiProperty, ApiPropertyOptional, ApiSchema } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsDate,
  IsEmail,
  IsEnum,
  IsIn,
  IsMongoId,
  IsNumber,
  IsOptional,
  IsString,
  Length,
  Matches,
  Max,
  MaxLength,
  Min,
  ValidateIf,
  ValidateNested,
} from 'class-validator';

import { GraphQLJSONObject } from '@/common/graphql/json-object.scalar';
import { IsBoundedJsonObject } from '@/common/validation/is-bounded-json.decorator';
import { LEAD_STATUSES } from '@/scoring/dto/rescore-leads.input';

import { InteractionType } from '../schemas/interaction.schema';

registerEnumType(InteractionType, { name: 'InteractionType' });

/** When `recordInteractions` answers: once the events are applied, or once they are logged. */
export enum InteractionAcknowledgement {
  APPLIED = 'APPLIED',
  LOGGED = 'LOGGED',
}

registerEnumType(InteractionAcknowledgement, {
  name: 'InteractionAcknowledgement',
  description: 'When recordInteractions answers.',
  valuesMap: {
    APPLIED: {
      description:
        'Once every event is in its lead and the leads are rescored (leadsRescored counts them).',
    },
    LOGGED: {
      description:
        'Once the events are stored in the interaction log, each key exactly once; their leads are rescored moments later (leadScoreChanged tells each change) and queued counts the events still to apply. For volume: a process holds at most INTERACTIONS_BACKLOG_MAX events to apply, and a call past it waits for room.',
    },
  },
});

export const MAX_BATCH = 1000;
const EXTERNAL_ID = /^[A-Za-z0-9._:@\-/]+$/;
const trim = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value);

@InputType()
export class LeadInput {
  @Field(() => String, { description: 'Your id for the lead; unique in your tenant.' })
  @Transform(trim)
  @IsString()
  @Length(1, 128)
  @Matches(EXTERNAL_ID, { message: 'leadId may hold letters, digits and . _ : @ - / only' })
  leadId!: string;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @Transform(trim)
  @IsString()
  @MaxLength(200)
  name?: string;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @Transform(({ value }: { value: unknown }) =>
    typeof value === 'string' ? value.trim().toLowerCase() : value,
  )
  @IsEmail()
  @MaxLength(254)
  email?: string;

  @Field(() => ID, { nullable: true, description: 'A user of your tenant.' })
  @IsOptional()
  @IsMongoId()
  ownerId?: string;

  @Field(() => String, {
    nullable: true,
    description: `${LEAD_STATUSES.join(', ')}; NEW for a new lead.`,
  })
  // Absent keeps the stored status; null is not a status (IsOptional would let it through).
  @ValidateIf((_, value) => value !== undefined)
  @IsIn(LEAD_STATUSES)
  status?: string;

  @Field(() => GraphQLJSONObject, {
    nullable: true,
    description: 'Free-form; replaces the stored attributes.',
  })
  @IsOptional()
  @IsBoundedJsonObject()
  attributes?: Record<string, unknown>;
}

@InputType()
export class UpsertLeadsInput {
  @Field(() => [LeadInput], { description: `1 to ${MAX_BATCH} leads.` })
  @ArrayMinSize(1)
  @ArrayMaxSize(MAX_BATCH)
  @ValidateNested({ each: true })
  @Type(() => LeadInput)
  leads!: LeadInput[];
}

@InputType()
@ApiSchema({ name: 'Interaction' })
export class InteractionInput {
  @Field(() => String)
  @Transform(trim)
  @IsString()
  @Length(1, 128)
  @ApiProperty({
    description: 'Your id for the lead.',
    minLength: 1,
    maxLength: 128,
    example: 'CRM-1042',
  })
  leadId!: string;

  @Field(() => InteractionType)
  @IsEnum(InteractionType)
  @ApiProperty({ enum: InteractionType, enumName: 'InteractionType' })
  type!: InteractionType;

  @Field(() => Date, { description: 'When it happened; any order is fine.' })
  @Type(() => Date)
  @IsDate()
  @ApiProperty({
    type: String,
    format: 'date-time',
    description: 'When it happened; any order is fine.',
  })
  occurredAt!: Date;

  @Field(() => Float, {
    nullable: true,
    description: 'Seconds spent (website visits, activities).',
  })
  @IsOptional()
  @IsNumber({ allowNaN: false, allowInfinity: false })
  @Min(0)
  @Max(86_400)
  @ApiPropertyOptional({
    type: Number,
    minimum: 0,
    maximum: 86_400,
    description: 'Seconds spent (website visits, activities).',
  })
  secondsSpent?: number;

  @Field(() => String, {
    description: 'Unique per event: a retry with the same key is counted once.',
  })
  @IsString()
  @Length(1, 200)
  @ApiProperty({
    minLength: 1,
    maxLength: 200,
    description: 'Unique per event: a retry with the same key is counted once.',
  })
  idempotencyKey!: string;

  @Field(() => GraphQLJSONObject, { nullable: true })
  @IsOptional()
  @IsBoundedJsonObject()
  @ApiPropertyOptional({ type: 'object', additionalProperties: true })
  metadata?: Record<string, unknown>;
}

@InputType()
@ApiSchema({ name: 'RecordInteractionsRequest' })
export class RecordInteractionsInput {
  @Field(() => [InteractionInput], { description: `1 to ${MAX_BATCH} events.` })
  @ArrayMinSize(1)
  @ArrayMaxSize(MAX_BATCH)
  @ValidateNested({ each: true })
  @Type(() => InteractionInput)
  @ApiProperty({
    type: () => [InteractionInput],
    minItems: 1,
    maxItems: MAX_BATCH,
    description: `1 to ${MAX_BATCH} events.`,
  })
  interactions!: InteractionInput[];

  @Field(() => InteractionAcknowledgement, {
    defaultValue: InteractionAcknowledgement.APPLIED,
    description: 'When to answer: once the events are applied (default) or once they are logged.',
  })
  @IsOptional()
  @IsEnum(InteractionAcknowledgement)
  @ApiPropertyOptional({
    enum: InteractionAcknowledgement,
    enumName: 'InteractionAcknowledgement',
    default: InteractionAcknowledgement.APPLIED,
    description:
      'When to answer: `APPLIED` (default) once every event is in its lead and the leads are rescored; `LOGGED` once the events are stored, their leads rescored moments later (`queued` counts them).',
  })
  acknowledge?: InteractionAcknowledgement;
}
