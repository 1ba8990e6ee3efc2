import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';
import { HydratedDocument, Schema as MongooseSchema, Types } from 'mongoose';

import { AuditAction } from '../audit-action.enum';

/** Append-only. `tenantId` is null only for events that name no known tenant (login with an unknown email). */
@Schema({ collection: 'auditLog', timestamps: { createdAt: true, updatedAt: false } })
export class AuditEvent {
  _id!: Types.ObjectId;

  @Prop({ type: Types.ObjectId, default: null })
  tenantId!: Types.ObjectId | null;

  @Prop({ type: String, enum: AuditAction, required: true })
  action!: AuditAction;

  @Prop({ type: Types.ObjectId, default: null })
  actorId!: Types.ObjectId | null;

  @Prop({ type: Types.ObjectId, default: null })
  targetId!: Types.ObjectId | null;

  @Prop({ type: String, default: null })
  ip!: string | null;

  @Prop({ type: MongooseSchema.Types.Mixed, default: {} })
  details!: Record<string, unknown>;

  createdAt!: Date;
}

export type AuditEventDocument = HydratedDocument<AuditEvent>;
export const AuditEventSchema = SchemaFactory.createForClass(AuditEvent);
AuditEventSchema.index({ tenantId: 1, createdAt: -1 });
