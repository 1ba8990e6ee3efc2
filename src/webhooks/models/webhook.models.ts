import { Field, Float, ID, Int, ObjectType, registerEnumType } from '@nestjs/graphql';

import { PriorityTier } from '@/scoring/scorer/priority-tier.util';

import { WebhookDeliveryStatus } from '../schemas/webhook-delivery.schema';
import { WebhookPauseReason, WebhookStatus } from '../schemas/webhook-subscription.schema';
import { WebhookEventType } from '../webhook-event-type';

registerEnumType(WebhookEventType, {
  name: 'WebhookEventType',
  description:
    "What a webhook listens to; each value's description starts with the payload's `type`.",
  valuesMap: {
    LEAD_SCORE_CHANGED: {
      description:
        '`lead.score_changed`: a score moved a point or more, changed tier, or was computed by a new model or config.',
    },
    LEAD_TIER_CHANGED: {
      description: "`lead.tier_changed`: a lead's tier changed (its first score included).",
    },
    MODEL_DEPLOYED: {
      description: '`model.deployed`: a model was deployed or rolled back to.',
    },
    MODEL_DRIFT_DETECTED: {
      description: '`model.drift_detected`: a drift check flagged the deployed model.',
    },
  },
});

@ObjectType('Webhook')
export class WebhookModel {
  @Field(() => ID) id!: string;
  @Field(() => String) url!: string;
  @Field(() => String, { nullable: true }) description!: string | null;
  @Field(() => [WebhookEventType]) events!: WebhookEventType[];

  @Field(() => Float, { nullable: true, description: 'Lead events below this score are not sent.' })
  minScore!: number | null;

  @Field(() => [PriorityTier], {
    nullable: true,
    description: 'Lead events are sent only for these (new) tiers; null: every tier.',
  })
  tiers!: PriorityTier[] | null;

  @Field(() => WebhookStatus) status!: WebhookStatus;
  @Field(() => WebhookPauseReason, { nullable: true }) pausedReason!: WebhookPauseReason | null;
  @Field(() => Date) secretRotatedAt!: Date;

  @Field(() => Date, {
    nullable: true,
    description: 'Until then deliveries are signed with the previous secret too.',
  })
  previousSecretExpiresAt!: Date | null;

  @Field(() => Int) delivered!: number;
  @Field(() => Int, { description: 'Attempts that failed, retries included.' })
  failedAttempts!: number;

  @Field(() => Int) deadLettered!: number;
  @Field(() => Int, { description: 'Dead-lettered deliveries since the last success.' })
  consecutiveDeadLetters!: number;

  @Field(() => Date, { nullable: true }) lastSuccessAt!: Date | null;
  @Field(() => Date, { nullable: true }) lastFailureAt!: Date | null;
  @Field(() => Int, { nullable: true }) lastStatusCode!: number | null;
  @Field(() => Date) createdAt!: Date;
  @Field(() => Date) updatedAt!: Date;
}

@ObjectType('WebhookWithSecret')
export class WebhookWithSecretModel {
  @Field(() => WebhookModel) webhook!: WebhookModel;

  @Field(() => String, {
    description:
      'The signing secret (`whsec_…`), shown only now: verify `x-webhook-signature` with it.',
  })
  secret!: string;
}

@ObjectType('WebhookDeliveryAttempt')
export class WebhookDeliveryAttemptModel {
  @Field(() => Date) at!: Date;
  @Field(() => Int, { nullable: true, description: 'Null: no answer.' })
  statusCode!: number | null;

  @Field(() => String, { nullable: true }) error!: string | null;
  @Field(() => Int) durationMs!: number;
}

@ObjectType('WebhookDelivery')
export class WebhookDeliveryModel {
  @Field(() => ID, { description: 'Sent as `x-webhook-delivery`.' }) id!: string;
  @Field(() => ID) webhookId!: string;
  @Field(() => String, { description: "The payload's `id` (`x-webhook-id`)." }) eventId!: string;
  @Field(() => WebhookEventType) eventType!: WebhookEventType;
  @Field(() => WebhookDeliveryStatus) status!: WebhookDeliveryStatus;
  @Field(() => Int, { description: 'Attempts since it was (re)queued.' }) attempts!: number;
  @Field(() => Int) redeliveries!: number;
  @Field(() => Int, { nullable: true }) lastStatusCode!: number | null;
  @Field(() => String, { nullable: true }) lastError!: string | null;
  @Field(() => Int, { nullable: true }) lastDurationMs!: number | null;

  @Field(() => String, {
    nullable: true,
    description: "The start of the receiver's last answer (256 characters).",
  })
  responseSnippet!: string | null;

  @Field(() => Date) createdAt!: Date;
  @Field(() => Date, { nullable: true }) lastAttemptAt!: Date | null;
  @Field(() => Date, { nullable: true }) nextAttemptAt!: Date | null;
  @Field(() => Date, { nullable: true }) deliveredAt!: Date | null;
  @Field(() => Date, { nullable: true }) deadAt!: Date | null;

  @Field(() => String, { description: 'The JSON body sent, byte for byte.' })
  payload!: string;

  @Field(() => [WebhookDeliveryAttemptModel], { description: 'The latest 20 attempts.' })
  history!: WebhookDeliveryAttemptModel[];
}
