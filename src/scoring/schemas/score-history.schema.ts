import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';
import { HydratedDocument, Types } from 'mongoose';

import { derivedObjectId } from '@/common/ids/derived-object-id.util';

/** Why a score was recomputed. */
export enum ScoreChangeReason {
  INTERACTION = 'INTERACTION',
  LEAD_UPDATED = 'LEAD_UPDATED',
  CONFIG_CHANGED = 'CONFIG_CHANGED',
  BATCH_RESCORE = 'BATCH_RESCORE',
  FRESHNESS = 'FRESHNESS',
  OUTCOME_RECORDED = 'OUTCOME_RECORDED',
  LEAD_REOPENED = 'LEAD_REOPENED',
  MODEL_DEPLOYED = 'MODEL_DEPLOYED',
  MODEL_ROLLED_BACK = 'MODEL_ROLLED_BACK',
  AB_TEST_STARTED = 'AB_TEST_STARTED',
  AB_TEST_STOPPED = 'AB_TEST_STOPPED',
  /** A manager set an override: the entry's score is the shown one, `modelScore` the model's. */
  OVERRIDE_SET = 'OVERRIDE_SET',
  OVERRIDE_CLEARED = 'OVERRIDE_CLEARED',
  OVERRIDE_EXPIRED = 'OVERRIDE_EXPIRED',
}

/**
 * Append-only: one entry whenever a score moves by at least a point, or the model/config changes.
 * Entries of a lead are numbered 1, 2, 3… (`seq`; the lead's score keeps the last number in
 * `historyCount`) and their `_id` is derived from tenant, lead and number, so the latest n entries
 * are read by `_id` (historyIdFor), the one lookup every engine serves from an index.
 */
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

  /** The model's score when an override was shown instead (absent: `score` is the model's). */
  @Prop({ type: Number })
  modelScore?: number;

  @Prop({ type: String, enum: ScoreChangeReason, required: true })
  reason!: ScoreChangeReason;

  @Prop({ required: true })
  configVersion!: number;

  @Prop({ required: true })
  modelVersion!: number;

  @Prop({ type: Date, required: true })
  at!: Date;

  /** 1 for a lead's first entry, then 2, 3… */
  @Prop({ required: true })
  seq!: number;
}

export function historyIdFor(
  tenantId: string | Types.ObjectId,
  leadRef: Types.ObjectId,
  seq: number,
): Types.ObjectId {
  return derivedObjectId('score-history', String(tenantId), leadRef.toHexString(), String(seq));
}

export type ScoreHistoryDocument = HydratedDocument<ScoreHistoryEntry>;
export const ScoreHistorySchema = SchemaFactory.createForClass(ScoreHistoryEntry);
ScoreHistorySchema.index({ tenantId: 1, leadRef: 1, at: -1 });
