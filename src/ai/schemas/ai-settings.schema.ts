import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';
import { Types } from 'mongoose';

/**
 * What a tenant lets the insights send to OpenAI, one document per tenant (`_id` is the tenant's
 * id). Absent: the lead's name and every attribute except contact details.
 */
@Schema({ collection: 'aiSettings', timestamps: false, minimize: false })
export class AiSettings {
  /** The tenant's id. */
  _id!: Types.ObjectId;

  @Prop({ required: true })
  sendName!: boolean;

  /** Attribute names that may be sent; null: all (contact details are never sent). */
  @Prop({ type: [String], default: null })
  attributes!: string[] | null;

  @Prop({ type: Date, required: true })
  updatedAt!: Date;

  @Prop({ type: String, required: true })
  updatedBy!: string;
}

export const AiSettingsSchema = SchemaFactory.createForClass(AiSettings);
