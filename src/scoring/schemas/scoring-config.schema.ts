import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';
import { HydratedDocument, Types } from 'mongoose';

/** One version of a tenant's scoring configuration. Never updated: a change is a new version. */
@Schema({ collection: 'scoringConfigs', timestamps: { createdAt: true, updatedAt: false } })
export class ScoringConfig {
  _id!: Types.ObjectId;

  @Prop({ type: Types.ObjectId, required: true })
  tenantId!: Types.ObjectId;

  @Prop({ required: true })
  version!: number;

  @Prop({ type: [Number], required: true })
  weights!: number[];

  @Prop({ type: [Number], required: true })
  caps!: number[];

  @Prop({ required: true })
  halfLifeDays!: number;

  @Prop({ required: true })
  hotThreshold!: number;

  @Prop({ required: true })
  warmThreshold!: number;

  @Prop({ type: Types.ObjectId, default: null })
  createdBy!: Types.ObjectId | null;

  createdAt!: Date;
}

export type ScoringConfigDocument = HydratedDocument<ScoringConfig>;
export const ScoringConfigSchema = SchemaFactory.createForClass(ScoringConfig);
ScoringConfigSchema.index({ tenantId: 1, version: -1 }, { unique: true });
