import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';
import { HydratedDocument, Schema as MongooseSchema, Types } from 'mongoose';

import { addTenantKeyIndex } from '@/common/tenancy/tenant-repository';
import type { ClassificationMetrics } from '@/ml/eval/metrics.util';
import type { FeatureImportance } from '@/ml/train/train-pipeline.util';
import type { NormalizedTransformation } from '@/ml/transform/transformation.util';

export enum MlModelType {
  WEIGHTED_SUM = 'WEIGHTED_SUM',
  LOGISTIC_REGRESSION = 'LOGISTIC_REGRESSION',
  GRADIENT_BOOSTING = 'GRADIENT_BOOSTING',
  NAIVE_BAYES = 'NAIVE_BAYES',
}

export enum MlModelStatus {
  TRAINING = 'TRAINING',
  READY = 'READY',
  DEPLOYED = 'DEPLOYED',
  RETIRED = 'RETIRED',
  FAILED = 'FAILED',
}

/** The public id of every tenant's model version 1, the deterministic weighted sum. */
export const WEIGHTED_SUM_ID = 'weighted-sum';

export interface SplitSummary {
  method: 'TIME' | 'STRATIFIED';
  cutoff: number | null;
  reason: string;
  trainRows: number;
  testRows: number;
}

/**
 * One version of a tenant's scoring model. Version 1 is the weighted sum (created the first time
 * the tenant's registry is read); trained ones follow, 2, 3... Parameters (coefficients, trees)
 * and the fitted transformation live in `mlModelParams`, chunked: a boosted model can be megabytes.
 */
@Schema({ collection: 'mlModels', timestamps: false, minimize: false })
export class MlModel {
  _id!: Types.ObjectId;

  @Prop({ type: Types.ObjectId, required: true })
  tenantId!: Types.ObjectId;

  /** What scores and the API call it: `weighted-sum`, or the `_id` in hex. */
  @Prop({ required: true })
  modelId!: string;

  @Prop({ required: true })
  version!: number;

  @Prop({ type: String, enum: MlModelType, required: true })
  type!: MlModelType;

  @Prop({ type: String, enum: MlModelStatus, required: true })
  status!: MlModelStatus;

  @Prop({ type: MongooseSchema.Types.Mixed, default: {} })
  params!: Record<string, unknown>;

  @Prop({ type: MongooseSchema.Types.Mixed, default: null })
  transformation!: NormalizedTransformation | null;

  @Prop({ type: Types.ObjectId, default: null })
  datasetVersionId!: Types.ObjectId | null;

  @Prop({ type: Types.ObjectId, default: null })
  trainingJobId!: Types.ObjectId | null;

  @Prop({ type: Number, default: null })
  seed!: number | null;

  @Prop({ type: MongooseSchema.Types.Mixed, default: null })
  metrics!: ClassificationMetrics | null;

  @Prop({ type: MongooseSchema.Types.Mixed, default: null })
  split!: SplitSummary | null;

  @Prop({ type: [Object], default: [] })
  featureImportance!: FeatureImportance[];

  @Prop({ type: [String], default: [] })
  notes!: string[];

  @Prop({ type: String, default: null })
  failure!: string | null;

  /** Chunks of the serialized parameters in `mlModelParams` (0: none, the weighted sum). */
  @Prop({ default: 0 })
  paramChunks!: number;

  @Prop({ type: String, default: null })
  trainedBy!: string | null;

  @Prop({ type: Date, required: true })
  createdAt!: Date;

  @Prop({ type: Date, default: null })
  trainedAt!: Date | null;

  @Prop({ type: String, default: null })
  deployedBy!: string | null;

  @Prop({ type: Date, default: null })
  deployedAt!: Date | null;

  @Prop({ type: Date, default: null })
  retiredAt!: Date | null;
}

export type MlModelDocument = HydratedDocument<MlModel>;
export const MlModelSchema = SchemaFactory.createForClass(MlModel);
addTenantKeyIndex(MlModelSchema);
MlModelSchema.index({ tenantId: 1, version: 1 }, { unique: true });

/** A slice of a model's serialized parameters (JSON text), in order by `index`. */
@Schema({ collection: 'mlModelParams', timestamps: false })
export class MlModelParamChunk {
  _id!: Types.ObjectId;

  @Prop({ type: Types.ObjectId, required: true })
  tenantId!: Types.ObjectId;

  @Prop({ type: Types.ObjectId, required: true })
  modelRef!: Types.ObjectId;

  @Prop({ required: true })
  index!: number;

  @Prop({ required: true })
  text!: string;
}

export const MlModelParamChunkSchema = SchemaFactory.createForClass(MlModelParamChunk);
addTenantKeyIndex(MlModelParamChunkSchema);

/**
 * Which model scores a tenant's leads, and the deployments before it (what rollback returns to).
 * One per tenant, `_id` derived from the tenant.
 */
@Schema({ collection: 'modelDeployments', timestamps: false })
export class ModelDeployment {
  _id!: Types.ObjectId;

  @Prop({ type: Types.ObjectId, required: true })
  tenantId!: Types.ObjectId;

  /** Public model ids, the current one last. */
  @Prop({ type: [String], default: [] })
  stack!: string[];

  /** Incremented by every deploy and rollback: writes are conditional on it. */
  @Prop({ default: 0 })
  revision!: number;

  /** The last version number given to a trained model (the next is this + 1; 1 is the weighted sum). */
  @Prop({ default: 0 })
  lastTrainedVersion!: number;

  /** The running A/B test (at most one per tenant): while set, each lead is scored by its arm. */
  @Prop({ type: MongooseSchema.Types.Mixed, default: null })
  abTest!: RunningAbTest | null;

  /** A challenger scored alongside the deployed model on every write (stored, not shown). */
  @Prop({ type: MongooseSchema.Types.Mixed, default: null })
  shadow!: { modelId: string; since: Date } | null;
}

export interface RunningAbTest {
  id: string;
  modelA: string;
  modelB: string;
  shareA: number;
}

export const ModelDeploymentSchema = SchemaFactory.createForClass(ModelDeployment);
addTenantKeyIndex(ModelDeploymentSchema);
