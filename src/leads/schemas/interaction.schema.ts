import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';
import { HydratedDocument, Schema as MongooseSchema, Types } from 'mongoose';

export enum InteractionType {
  EMAIL_OPEN = 'EMAIL_OPEN',
  WEBSITE_VISIT = 'WEBSITE_VISIT',
  ACTIVITY = 'ACTIVITY',
}

/**
 * Append-only log of what leads did. The idempotency key is unique per tenant, so a retried
 * delivery is stored (and counted) once. The three numeric fields are what the engagement
 * aggregates sum, so they can be recomputed from the log at any time.
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
InteractionSchema.index({ tenantId: 1, idempotencyKey: 1 }, { unique: true });
InteractionSchema.index({ tenantId: 1, leadRef: 1, occurredAt: -1 });
