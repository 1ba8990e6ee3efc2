import { registerEnumType } from '@nestjs/graphql';
import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';
import { Types } from 'mongoose';

import { derivedObjectId } from '@/common/ids/derived-object-id.util';
import { addTenantKeyIndex } from '@/common/tenancy/tenant-repository';

export enum WebhookDeliveryStatus {
  /** Queued again by redeliverWebhookDelivery, not tried yet. */
  PENDING = 'PENDING',
  /** Failed; the next attempt is at `nextAttemptAt`. */
  RETRYING = 'RETRYING',
  SUCCEEDED = 'SUCCEEDED',
  /** Dead-lettered: failed until the retry window ended, or refused (SSRF rules). */
  DEAD = 'DEAD',
  /** Not sent: the webhook was paused when its turn came. */
  SKIPPED = 'SKIPPED',
}
registerEnumType(WebhookDeliveryStatus, { name: 'WebhookDeliveryStatus' });

/** Statuses after which a delivery is not tried again unless redelivered. */
export const FINAL_DELIVERY_STATUSES: ReadonlySet<WebhookDeliveryStatus> = new Set([
  WebhookDeliveryStatus.SUCCEEDED,
  WebhookDeliveryStatus.DEAD,
  WebhookDeliveryStatus.SKIPPED,
]);

export interface StoredDeliveryAttempt {
  at: Date;
  statusCode: number | null;
  error: string | null;
  durationMs: number;
}

/** Attempts kept per delivery (the latest). */
export const DELIVERY_HISTORY_LIMIT = 20;

/** One event's delivery to one webhook: one document, whatever the retries and redeliveries. */
@Schema({ collection: 'webhookDeliveries', timestamps: false, minimize: false })
export class WebhookDelivery {
  /** Derived from tenant, webhook and event (`deliveryIdFor`): the Bull job id too. */
  _id!: Types.ObjectId;

  @Prop({ type: Types.ObjectId, required: true })
  tenantId!: Types.ObjectId;

  @Prop({ type: Types.ObjectId, required: true })
  webhookId!: Types.ObjectId;

  @Prop({ required: true })
  eventId!: string;

  @Prop({ required: true })
  eventType!: string;

  /** The JSON sent, byte for byte (what the signatures cover). */
  @Prop({ required: true })
  body!: string;

  @Prop({ type: String, required: true })
  status!: WebhookDeliveryStatus;

  /** Attempts since the delivery was (re)queued. */
  @Prop({ type: Number, default: 0 })
  attempts!: number;

  @Prop({ type: Number, default: 0 })
  redeliveries!: number;

  /** The first attempt since the delivery was (re)queued: the retry window counts from it. */
  @Prop({ type: Date, default: null })
  windowStartedAt!: Date | null;

  @Prop({ type: Date, default: null })
  lastAttemptAt!: Date | null;

  @Prop({ type: Date, default: null })
  nextAttemptAt!: Date | null;

  @Prop({ type: Number, default: null })
  lastStatusCode!: number | null;

  @Prop({ type: String, default: null })
  lastError!: string | null;

  @Prop({ type: Number, default: null })
  lastDurationMs!: number | null;

  @Prop({ type: String, default: null })
  responseSnippet!: string | null;

  @Prop({ type: Date, default: null })
  deliveredAt!: Date | null;

  @Prop({ type: Date, default: null })
  deadAt!: Date | null;

  @Prop({ type: [Object], default: [] })
  history!: StoredDeliveryAttempt[];

  @Prop({ type: Date, required: true })
  createdAt!: Date;

  @Prop({ type: Date, required: true })
  updatedAt!: Date;
}

export const WebhookDeliverySchema = SchemaFactory.createForClass(WebhookDelivery);
addTenantKeyIndex(WebhookDeliverySchema);
WebhookDeliverySchema.index({ tenantId: 1, webhookId: 1, createdAt: -1 });
// The retention sweep.
WebhookDeliverySchema.index({ createdAt: 1 });

export function deliveryIdFor(
  tenantId: string,
  webhookId: string,
  eventId: string,
): Types.ObjectId {
  return derivedObjectId('webhook-delivery', tenantId, webhookId, eventId);
}
