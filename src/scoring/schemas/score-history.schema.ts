import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';
import { HydratedDocument, Types } from 'mongoose';

/** Why a score was recomputed. */
export enum ScoreChangeReason {
  INTERACTION = 'INTERACTION',
  LEAD_UPDATED = 'LEAD_UPDATED',
  CONFIG_CHANGED = 'CONFIG_CHANGED',
  BATCH_RESCORE = 'BATCH_RESCORE',
  FRESHNESS = 'FRESHNESS',
}

/** Append-only: one entry whenever a score moves by at least a point, or the model/config changes. */
@Schema({ collection: 'scoreHistory', timestamps: false })
export class ScoreHistoryEntry {
  _id!: Types.ObjectId;

  @Prop({ type: Types.ObjectId, required: true })
  tenantId!: Types.ObjectId;

  @Prop({ type: Types.ObjectId, required: true })
  leadRef!: Types.ObjectId;

  @Prop({ required: true })
  score!: number;

  @Prop({ type: Number, default: null })
  previousScore!: number | null;

  @Prop({ type: String, enum: ScoreChangeReason, required: true })
  reason!: ScoreChangeReason;

  @Prop({ required: true })
  configVersion!: number;

  @Prop({ required: true })
  modelVersion!: number;

  @Prop({ type: Date, required: true })
  at!: Date;
}

export type ScoreHistoryDocument = HydratedDocument<ScoreHistoryEntry>;
export const ScoreHistorySchema = SchemaFactory.createForClass(ScoreHistoryEntry);
ScoreHistorySchema.index({ tenantId: 1, leadRef: 1, at: -1 });
