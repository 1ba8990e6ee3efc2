import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';
import { HydratedDocument, Types } from 'mongoose';

@Schema({ collection: 'tenants', timestamps: true })
export class Tenant {
  _id!: Types.ObjectId;

  @Prop({ required: true, trim: true, maxlength: 120 })
  name!: string;

  /** Signs webhook deliveries (HMAC-SHA256); set by rotateWebhookSecret. Never returned but once. */
  @Prop({ type: String, default: null })
  webhookSecret!: string | null;

  createdAt!: Date;
  updatedAt!: Date;
}

export type TenantDocument = HydratedDocument<Tenant>;
export const TenantSchema = SchemaFactory.createForClass(Tenant);
