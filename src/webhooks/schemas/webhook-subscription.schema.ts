import { registerEnumType } from '@nestjs/graphql';
import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';
import { Types } from 'mongoose';

import { addTenantKeyIndex } from '@/common/tenancy/tenant-repository';
import type { PriorityTier } from '@/scoring/scorer/priority-tier.util';

import type { WebhookEventType } from '../webhook-event-type';

export enum WebhookStatus {
  ACTIVE = 'ACTIVE',
  /** Nothing is sent; events meanwhile are not queued, queued deliveries are SKIPPED. */
  PAUSED = 'PAUSED',
}
registerEnumType(WebhookStatus, { name: 'WebhookStatus' });

export enum WebhookPauseReason {
  /** pauseWebhook. */
  MANUAL = 'MANUAL',
  /** WEBHOOK_AUTO_PAUSE_AFTER_DEAD dead-lettered deliveries in a row. */
  FAILING = 'FAILING',
}
registerEnumType(WebhookPauseReason, { name: 'WebhookPauseReason' });

/**
 * An outbound webhook of a tenant: where to POST which events, signed with its own secret
 * (sealed at rest like the inbound one), and how its deliveries have gone.
 */
@Schema({ collection: 'webhookSubscriptions', timestamps: true, minimize: false })
export class WebhookSubscription {
  _id!: Types.ObjectId;

  @Prop({ type: Types.ObjectId, required: true })
  tenantId!: Types.ObjectId;

  @Prop({ required: true })
  url!: string;

  @Prop({ type: String, default: null })
  description!: string | null;

  @Prop({ type: [String], required: true })
  events!: WebhookEventType[];

  /** Lead events below this score are not sent (null: all). */
  @Prop({ type: Number, default: null })
  minScore!: number | null;

  /** Lead events whose (new) tier is not listed are not sent (null: all). */
  @Prop({ type: [String], default: null })
  tiers!: PriorityTier[] | null;

  @Prop({ type: String, required: true })
  status!: WebhookStatus;

  @Prop({ type: String, default: null })
  pausedReason!: WebhookPauseReason | null;

  /** Sealed (AES-256-GCM under SECRETS_ENCRYPTION_KEYS). */
  @Prop({ type: String, required: true })
  secret!: string;

  /** The secret before the last rotation, still signing beside the new one until it expires. */
  @Prop({ type: String, default: null })
  previousSecret!: string | null;

  @Prop({ type: Date, default: null })
  previousSecretExpiresAt!: Date | null;

  @Prop({ type: Date, required: true })
  secretRotatedAt!: Date;

  @Prop({ type: Types.ObjectId, default: null })
  createdBy!: Types.ObjectId | null;

  @Prop({ type: Number, default: 0 })
  delivered!: number;

  /** Attempts that failed (each retry counts). */
  @Prop({ type: Number, default: 0 })
  failedAttempts!: number;

  @Prop({ type: Number, default: 0 })
  deadLettered!: number;

  /** Dead-lettered deliveries since the last success (or resume). */
  @Prop({ type: Number, default: 0 })
  consecutiveDeadLetters!: number;

  @Prop({ type: Date, default: null })
  lastSuccessAt!: Date | null;

  @Prop({ type: Date, default: null })
  lastFailureAt!: Date | null;

  @Prop({ type: Number, default: null })
  lastStatusCode!: number | null;

  createdAt!: Date;
  updatedAt!: Date;
}

export const WebhookSubscriptionSchema = SchemaFactory.createForClass(WebhookSubscription);
addTenantKeyIndex(WebhookSubscriptionSchema);
// The per-process cache's reads: all active subscriptions, or one tenant's.
WebhookSubscriptionSchema.index({ status: 1, tenantId: 1 });
