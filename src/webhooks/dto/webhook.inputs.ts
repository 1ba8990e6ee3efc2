import { ArgsType, Field, Float, ID, InputType, Int } from '@nestjs/graphql';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayNotEmpty,
  ArrayUnique,
  IsEnum,
  IsInt,
  IsMongoId,
  IsNumber,
  IsOptional,
  IsString,
  Length,
  Max,
  MaxLength,
  Min,
  ValidateNested,
} from 'class-validator';

import { PriorityTier } from '@/scoring/scorer/priority-tier.util';

import { WebhookDeliveryStatus } from '../schemas/webhook-delivery.schema';
import { WebhookEventType } from '../webhook-event-type';
import { MAX_URL_LENGTH } from '../webhook-url.util';

export const MAX_DESCRIPTION = 200;
export const MAX_DELIVERIES_PAGE = 200;
export const MAX_GRACE_HOURS = 168;

@InputType()
export class CreateWebhookInput {
  @Field(() => String, {
    description:
      'Where to POST: https (http only outside production, or with WEBHOOK_ALLOW_HTTP), no credentials, not a private address unless WEBHOOK_ALLOWED_PRIVATE_HOSTS allows it.',
  })
  @IsString()
  @Length(1, MAX_URL_LENGTH)
  url!: string;

  @Field(() => [WebhookEventType])
  @ArrayNotEmpty()
  @ArrayMaxSize(4)
  @ArrayUnique()
  @IsEnum(WebhookEventType, { each: true })
  events!: WebhookEventType[];

  @Field(() => Float, { nullable: true, description: 'Lead events below this score are not sent.' })
  @IsOptional()
  @IsNumber({ allowNaN: false, allowInfinity: false })
  @Min(0)
  @Max(100)
  minScore?: number | null;

  @Field(() => [PriorityTier], {
    nullable: true,
    description: 'Lead events are sent only for these (new) tiers.',
  })
  @IsOptional()
  @ArrayNotEmpty()
  @ArrayUnique()
  @IsEnum(PriorityTier, { each: true })
  tiers?: PriorityTier[] | null;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @IsString()
  @MaxLength(MAX_DESCRIPTION)
  description?: string | null;
}

/** Absent fields stay; `minScore`, `tiers` and `description` set to null are cleared. */
@InputType()
export class UpdateWebhookInput {
  @Field(() => String, { nullable: true })
  @IsOptional()
  @IsString()
  @Length(1, MAX_URL_LENGTH)
  url?: string;

  @Field(() => [WebhookEventType], { nullable: true })
  @IsOptional()
  @ArrayNotEmpty()
  @ArrayMaxSize(4)
  @ArrayUnique()
  @IsEnum(WebhookEventType, { each: true })
  events?: WebhookEventType[];

  @Field(() => Float, { nullable: true })
  @IsOptional()
  @IsNumber({ allowNaN: false, allowInfinity: false })
  @Min(0)
  @Max(100)
  minScore?: number | null;

  @Field(() => [PriorityTier], { nullable: true })
  @IsOptional()
  @ArrayNotEmpty()
  @ArrayUnique()
  @IsEnum(PriorityTier, { each: true })
  tiers?: PriorityTier[] | null;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @IsString()
  @MaxLength(MAX_DESCRIPTION)
  description?: string | null;
}

@ArgsType()
export class WebhookIdArgs {
  @Field(() => ID)
  @IsMongoId({ message: 'id must be a webhook id' })
  id!: string;
}

@ArgsType()
export class UpdateWebhookArgs extends WebhookIdArgs {
  @Field(() => UpdateWebhookInput)
  @ValidateNested()
  @Type(() => UpdateWebhookInput)
  input!: UpdateWebhookInput;
}

@ArgsType()
export class RotateWebhookSecretArgs extends WebhookIdArgs {
  @Field(() => Int, {
    defaultValue: 24,
    description: `Hours the old secret keeps signing beside the new one (0–${MAX_GRACE_HOURS}; 0: at once).`,
  })
  @IsInt()
  @Min(0)
  @Max(MAX_GRACE_HOURS)
  gracePeriodHours!: number;
}

@ArgsType()
export class WebhookDeliveriesArgs {
  @Field(() => ID)
  @IsMongoId({ message: 'webhookId must be a webhook id' })
  webhookId!: string;

  @Field(() => WebhookDeliveryStatus, { nullable: true })
  @IsOptional()
  @IsEnum(WebhookDeliveryStatus)
  status?: WebhookDeliveryStatus;

  @Field(() => Int, { defaultValue: 50, description: `Newest first; 1–${MAX_DELIVERIES_PAGE}.` })
  @IsInt()
  @Min(1)
  @Max(MAX_DELIVERIES_PAGE)
  limit!: number;
}

@ArgsType()
export class WebhookDeliveryIdArgs {
  @Field(() => ID)
  @IsMongoId({ message: 'id must be a webhook delivery id' })
  id!: string;
}
