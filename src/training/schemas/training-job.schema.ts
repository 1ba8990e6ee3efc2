import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';
import { HydratedDocument, Schema as MongooseSchema, Types } from 'mongoose';

import { addTenantKeyIndex } from '@/common/tenancy/tenant-repository';
import type { NormalizedTransformation } from '@/ml/transform/transformation.util';

export enum TrainingJobStatus {
  QUEUED = 'QUEUED',
  ACTIVE = 'ACTIVE',
  COMPLETED = 'COMPLETED',
  FAILED = 'FAILED',
  CANCELLED = 'CANCELLED',
}

export enum TrainingStage {
  QUEUED = 'QUEUED',
  BUILDING_FEATURES = 'BUILDING_FEATURES',
  FITTING = 'FITTING',
  EVALUATING = 'EVALUATING',
  REGISTERING = 'REGISTERING',
  DONE = 'DONE',
}

/** One trainModel call: its status and progress as users see them, and the model it made. */
@Schema({ collection: 'trainingJobs', timestamps: true, minimize: false })
export class TrainingJob {
  _id!: Types.ObjectId;

  @Prop({ type: Types.ObjectId, required: true })
  tenantId!: Types.ObjectId;

  @Prop({ type: String, enum: TrainingJobStatus, required: true })
  status!: TrainingJobStatus;

  @Prop({ type: String, enum: TrainingStage, required: true })
  stage!: TrainingStage;

  @Prop({ type: Types.ObjectId, required: true })
  datasetVersionId!: Types.ObjectId;

  @Prop({ required: true })
  modelType!: string;

  /** Checked, with defaults filled in. */
  @Prop({ type: MongooseSchema.Types.Mixed, required: true })
  params!: Record<string, unknown>;

  @Prop({ type: MongooseSchema.Types.Mixed, required: true })
  transformation!: NormalizedTransformation;

  @Prop({ required: true })
  seed!: number;

  /** 0 to 1 over the whole job. */
  @Prop({ default: 0 })
  progress!: number;

  @Prop({ default: 0 })
  iteration!: number;

  @Prop({ default: 0 })
  maxIterations!: number;

  /** The registry's model (public id) once the job started it. */
  @Prop({ type: String, default: null })
  modelId!: string | null;

  @Prop({ default: 0 })
  attempts!: number;

  @Prop({ default: false })
  cancelRequested!: boolean;

  @Prop({ type: String, default: null })
  failure!: string | null;

  /** Test AUC of the model made, for lists. */
  @Prop({ type: Number, default: null })
  auc!: number | null;

  @Prop({ required: true })
  requestedBy!: string;

  @Prop({ type: Date, default: null })
  startedAt!: Date | null;

  @Prop({ type: Date, default: null })
  finishedAt!: Date | null;

  createdAt!: Date;
  updatedAt!: Date;
}

export type TrainingJobDocument = HydratedDocument<TrainingJob>;
export const TrainingJobSchema = SchemaFactory.createForClass(TrainingJob);
addTenantKeyIndex(TrainingJobSchema);
TrainingJobSchema.index({ tenantId: 1, createdAt: -1 });

/** A tenant's own training rules (the minimum data); `_id` derived from the tenant. */
@Schema({ collection: 'trainingSettings', timestamps: true })
export class TrainingSettings {
  _id!: Types.ObjectId;

  @Prop({ type: Types.ObjectId, required: true })
  tenantId!: Types.ObjectId;

  @Prop({ required: true })
  minConverted!: number;

  @Prop({ required: true })
  minLost!: number;

  @Prop({ type: String, default: null })
  updatedBy!: string | null;
}

export const TrainingSettingsSchema = SchemaFactory.createForClass(TrainingSettings);
addTenantKeyIndex(TrainingSettingsSchema);
