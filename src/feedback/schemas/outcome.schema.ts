import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';
import { HydratedDocument, Types } from 'mongoose';

import { addTenantKeyIndex } from '@/common/tenancy/tenant-repository';
import { LeadOutcomeValue } from '@/leads/schemas/lead.schema';
import { PriorityTier } from '@/scoring/scorer/priority-tier.util';

export enum OutcomeSource {
  API = 'API',
  IMPORT = 'IMPORT',
}

/** What the lead was shown as when the outcome was recorded: the label's context for reports. */
export interface ShownScore {
  score: number;
  tier: PriorityTier;
  modelId: string;
  modelVersion: number;
  configVersion: number;
  /** A shadow model's score of the same lead then (shadow mode), for `modelComparison`. */
  shadow?: { modelId: string; modelVersion: number; score: number; probability: number };
}

/**
 * One recorded outcome of a lead. Append-only but for its state: the lead's own pointer
 * (`Lead.outcome.id`) says which record is current, and `current` follows it (set after the lead
 * is written), so a second outcome replaces the first and a reopen clears it, the records of both
 * kept as the lead's outcome history.
 */
@Schema({ collection: 'outcomes', timestamps: false })
export class OutcomeRecord {
  _id!: Types.ObjectId;

  @Prop({ type: Types.ObjectId, required: true })
  tenantId!: Types.ObjectId;

  @Prop({ type: Types.ObjectId, required: true })
  leadRef!: Types.ObjectId;

  @Prop({ required: true })
  leadId!: string;

  /** The lead's owner when the outcome was recorded (what reps' reads filter on). */
  @Prop({ type: String, default: null })
  ownerId!: string | null;

  @Prop({ type: String, enum: LeadOutcomeValue, required: true })
  outcome!: LeadOutcomeValue;

  /** When the lead converted or was lost (the label's event time). */
  @Prop({ type: Date, required: true })
  at!: Date;

  @Prop({ type: String, default: null })
  reason!: string | null;

  @Prop({ type: String, enum: OutcomeSource, required: true })
  source!: OutcomeSource;

  /** The user who recorded it; for an import, the user who uploaded the file. */
  @Prop({ type: String, required: true })
  recordedBy!: string;

  @Prop({ type: Date, required: true })
  recordedAt!: Date;

  /** The import and row it came from, for IMPORT records. */
  @Prop({ type: Object, default: null })
  importRow!: { importId: string; row: number } | null;

  @Prop({ type: String, default: null })
  idempotencyKey!: string | null;

  /** Null when the lead had no score yet. */
  @Prop({ type: Object, default: null })
  shown!: ShownScore | null;

  @Prop({ required: true, default: false })
  current!: boolean;

  @Prop({ type: Date, default: null })
  replacedAt!: Date | null;

  @Prop({ type: Date, default: null })
  reopenedAt!: Date | null;

  @Prop({ type: String, default: null })
  reopenedBy!: string | null;
}

export type OutcomeRecordDocument = HydratedDocument<OutcomeRecord>;
export const OutcomeRecordSchema = SchemaFactory.createForClass(OutcomeRecord);
addTenantKeyIndex(OutcomeRecordSchema);
// Each filter below names exactly one index's fields (what mongo-java-server needs to use it).
OutcomeRecordSchema.index({ tenantId: 1, leadRef: 1 });
OutcomeRecordSchema.index({ tenantId: 1, current: 1 });
OutcomeRecordSchema.index({ tenantId: 1, recordedAt: -1 });
