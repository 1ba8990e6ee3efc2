import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';
import { registerEnumType } from '@nestjs/graphql';
import { Schema as MongooseSchema, Types } from 'mongoose';

import { addTenantKeyIndex } from '@/common/tenancy/tenant-repository';

export enum DriftCheckTrigger {
  /** The daily sweep on the workers. */
  SCHEDULE = 'SCHEDULE',
  /** `checkModelDrift`. */
  MANUAL = 'MANUAL',
}
registerEnumType(DriftCheckTrigger, { name: 'DriftCheckTrigger' });

export enum DriftFeatureKind {
  NUMERIC = 'NUMERIC',
  CATEGORICAL = 'CATEGORICAL',
}
registerEnumType(DriftFeatureKind, { name: 'DriftFeatureKind' });

export enum DriftRetrainingAction {
  /** A retraining (trigger DRIFT) was queued: `decisionId`. */
  STARTED = 'STARTED',
  /** One of the tenant's retrainings was running already (`decisionId` is that one). */
  SKIPPED = 'SKIPPED',
  /** It could not be started (the queue unavailable): `reason`. */
  FAILED = 'FAILED',
}
registerEnumType(DriftRetrainingAction, { name: 'DriftRetrainingAction' });

/** One bin of a PSI: the training rows' share (expected) against the open leads' (actual). */
export interface StoredDriftBin {
  label: string;
  lower: number | null;
  upper: number | null;
  expectedShare: number;
  actualShare: number;
}

export interface StoredFeatureDrift {
  name: string;
  kind: DriftFeatureKind;
  psi: number;
  flagged: boolean;
  bins: StoredDriftBin[];
}

export interface StoredScoreDrift {
  psi: number;
  flagged: boolean;
  bins: StoredDriftBin[];
}

export interface StoredDriftRetraining {
  action: DriftRetrainingAction;
  decisionId: string | null;
  reason: string | null;
}

/**
 * One drift check of a trained model: PSI per feature and of the score, its training dataset
 * version against the tenant's open leads at `computedAt`. Written once, never changed.
 */
@Schema({ collection: 'driftReports', timestamps: false, minimize: false })
export class DriftReport {
  _id!: Types.ObjectId;

  @Prop({ type: Types.ObjectId, required: true })
  tenantId!: Types.ObjectId;

  @Prop({ required: true })
  modelId!: string;

  @Prop({ required: true })
  modelVersion!: number;

  @Prop({ type: String, required: true })
  modelType!: string;

  /** Whether the model scored the tenant's leads when it was checked. */
  @Prop({ required: true })
  deployed!: boolean;

  @Prop({ type: Types.ObjectId, required: true })
  datasetVersionId!: Types.ObjectId;

  @Prop({ type: String, enum: DriftCheckTrigger, required: true })
  trigger!: DriftCheckTrigger;

  @Prop({ type: String, default: null })
  requestedBy!: string | null;

  /** The tenant's drift threshold then. */
  @Prop({ required: true })
  threshold!: number;

  @Prop({ required: true })
  flagged!: boolean;

  @Prop({ type: [String], default: [] })
  flaggedFeatures!: string[];

  @Prop({ required: true })
  maxFeaturePsi!: number;

  @Prop({ type: MongooseSchema.Types.Mixed, required: true })
  features!: StoredFeatureDrift[];

  @Prop({ type: MongooseSchema.Types.Mixed, required: true })
  score!: StoredScoreDrift;

  /** Training rows compared (a sample beyond DATASET_ANALYSIS_SAMPLE_ROWS)… */
  @Prop({ required: true })
  baselineRows!: number;

  /** …of the version's rows. */
  @Prop({ required: true })
  versionRows!: number;

  /** Open leads compared (a sample beyond DATASET_ANALYSIS_SAMPLE_ROWS)… */
  @Prop({ required: true })
  currentRows!: number;

  /** …of the tenant's open leads. */
  @Prop({ required: true })
  openLeads!: number;

  @Prop({ type: [String], default: [] })
  notes!: string[];

  /** What a flagged drift of the deployed model did about retraining (null: nothing asked). */
  @Prop({ type: MongooseSchema.Types.Mixed, default: null })
  retraining!: StoredDriftRetraining | null;

  @Prop({ type: Date, required: true })
  computedAt!: Date;
}

export const DriftReportSchema = SchemaFactory.createForClass(DriftReport);
addTenantKeyIndex(DriftReportSchema);

/**
 * The latest report of a tenant's model (`_id` derived from the tenant and the model): what
 * `modelDrift` reads, by `_id`, then the report by its own.
 */
@Schema({ collection: 'driftLatest', timestamps: false })
export class DriftLatest {
  _id!: Types.ObjectId;

  @Prop({ type: Types.ObjectId, required: true })
  tenantId!: Types.ObjectId;

  @Prop({ required: true })
  modelId!: string;

  @Prop({ type: Types.ObjectId, required: true })
  reportId!: Types.ObjectId;

  @Prop({ type: Date, required: true })
  computedAt!: Date;
}

export const DriftLatestSchema = SchemaFactory.createForClass(DriftLatest);
addTenantKeyIndex(DriftLatestSchema);
