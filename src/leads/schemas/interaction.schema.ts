import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';
import { addTenantKeyIndex } from '@/common/tenancy/tenant-repository';
import { HydratedDocument, Schema as MongooseSchema, Types } from 'mongoose';

export enum InteractionType {
  EMAIL_OPEN = 'EMAIL_OPEN',
  WEBSITE_VISIT = 'WEBSITE_VISIT',
  ACTIVITY = 'ACTIVITY',
}

/**
 * Append-only log of what leads did. The `_id` is derived from the tenant and the idempotency key,
 * so a retried delivery meets the same `_id` and is stored, and counted, once. The three numeric
 * fields are what the engagement aggregates sum (see InteractionReceipt).
 */
@Schema({ collection: 'interactions', timestamps: { createdAt: 'receivedAt', updatedAt: false } })
export class Interaction {
  _id!: Types.ObjectId;

  @Prop({ type: Types.ObjectId, required: true })
  tenantId!: Types.ObjectId;

  @Prop({ type: Types.ObjectId, required: true })
  leadRef!: Types.ObjectId;

  @Prop({ type: String, enum: InteractionType, required: true })
  type!: InteractionType;

  @Prop({ type: Date, required: true })
  occurredAt!: Date;

  @Prop({ required: true })
  idempotencyKey!: string;

  @Prop({ required: true })
  emailOpen!: number;

  @Prop({ required: true })
  visit!: number;

  @Prop({ required: true })
  secondsSpent!: number;

  @Prop({ type: MongooseSchema.Types.Mixed, default: {} })
  metadata!: Record<string, unknown>;

  receivedAt!: Date;
}

export type InteractionDocument = HydratedDocument<Interaction>;
export const InteractionSchema = SchemaFactory.createForClass(Interaction);
addTenantKeyIndex(InteractionSchema);
// Not unique: _id = interactionIdFor(tenant, key) keeps one event per key; a unique index not
// prefixed by the shard key would block sharding on { tenantId, _id }.
InteractionSchema.index({ tenantId: 1, idempotencyKey: 1 });
InteractionSchema.index({ tenantId: 1, leadRef: 1, occurredAt: -1 });
// For the sweeper of events whose writer died before adding them.
InteractionSchema.index({ receivedAt: 1 });

/**
 * The receipt of an interaction whose delta is in its lead (the `_id` is the interaction's). Written
 * after the lead's conditional update, so an event without a receipt may or may not be applied:
 * the sweeper and a client's retry apply it again, and the lead's list of applied events makes
 * that a no-op when it was (see `planEngagementUpdate`). Receipts only spare them that check.
 */
@Schema({
  collection: 'interactionReceipts',
  timestamps: { createdAt: 'appliedAt', updatedAt: false },
})
export class InteractionReceipt {
  _id!: Types.ObjectId;

  @Prop({ type: Types.ObjectId, required: true })
  tenantId!: Types.ObjectId;

  /** Which process applied it (support). */
  @Prop({ required: true })
  appliedBy!: string;

  appliedAt!: Date;
}

export const InteractionReceiptSchema = SchemaFactory.createForClass(InteractionReceipt);
