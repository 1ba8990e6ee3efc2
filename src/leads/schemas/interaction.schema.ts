import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';
import { addTenantKeyIndex } from '@/common/tenancy/tenant-repository';
import { HydratedDocument, Schema as MongooseSchema, Types } from 'mongoose';

export enum InteractionType {
  EMAIL_OPEN = 'EMAIL_OPEN',
  WEBSITE_VISIT = 'WEBSITE_VISIT',
  ACTIVITY = 'ACTIVITY',
}

/**
 * Append-only log of what leads did. The idempotency key is unique per tenant (and the `_id` is
 * derived from it), so a retried delivery is stored, and counted, once. The three numeric fields
 * are what the engagement aggregates sum; whoever claims an event (InteractionClaim) adds them.
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
InteractionSchema.index({ tenantId: 1, idempotencyKey: 1 }, { unique: true });
InteractionSchema.index({ tenantId: 1, leadRef: 1, occurredAt: -1 });
// For the sweeper of events whose writer died before adding them.
InteractionSchema.index({ receivedAt: 1 });

/**
 * Who added an interaction's delta to its lead. The `_id` is the interaction's: inserting it is
 * the claim, and the unique `_id` lets exactly one writer (the ingesting request, or the sweeper
 * when that request died) win it.
 */
@Schema({
  collection: 'interactionClaims',
  timestamps: { createdAt: 'claimedAt', updatedAt: false },
})
export class InteractionClaim {
  _id!: Types.ObjectId;

  @Prop({ type: Types.ObjectId, required: true })
  tenantId!: Types.ObjectId;

  @Prop({ required: true })
  claimedBy!: string;

  claimedAt!: Date;
}

export const InteractionClaimSchema = SchemaFactory.createForClass(InteractionClaim);
