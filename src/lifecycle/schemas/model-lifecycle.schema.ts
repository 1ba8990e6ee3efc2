import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';
import { registerEnumType } from '@nestjs/graphql';
import { Schema as MongooseSchema, Types } from 'mongoose';

import { addTenantKeyIndex } from '@/common/tenancy/tenant-repository';

/** A tenant's model lifecycle settings (one document, `_id` derived from the tenant). */
@Schema({ collection: 'modelLifecycle', timestamps: { createdAt: false, updatedAt: true } })
export class ModelLifecycleSettings {
  _id!: Types.ObjectId;

  @Prop({ type: Types.ObjectId, required: true })
  tenantId!: Types.ObjectId;

  @Prop({ required: true })
  retrainingEnabled!: boolean;

  @Prop({ required: true })
  cadenceDays!: number;

  @Prop({ type: String, required: true })
  modelType!: string;

  /** Checked and filled by `modelParams` when saved. */
  @Prop({ type: MongooseSchema.Types.Mixed, default: {} })
  params!: Record<string, unknown>;

  /** Null: each new version's default transformation. */
  @Prop({ type: MongooseSchema.Types.Mixed, default: null })
  transformation!: Record<string, unknown> | null;

  @Prop({ required: true })
  maxAucDrop!: number;

  @Prop({ required: true })
  maxBrierIncrease!: number;

  @Prop({ required: true })
  maxChampionAgeDays!: number;

  @Prop({ required: true })
  driftThreshold!: number;

  @Prop({ required: true })
  retrainOnDrift!: boolean;

  /** Moves with every update: the schedule is re-registered from the newest revision only. */
  @Prop({ required: true, default: 0 })
  revision!: number;

  @Prop({ type: String, default: null })
  updatedBy!: string | null;

  updatedAt!: Date;
}

export const ModelLifecycleSettingsSchema = SchemaFactory.createForClass(ModelLifecycleSettings);
addTenantKeyIndex(ModelLifecycleSettingsSchema);

export enum RetrainingTrigger {
  SCHEDULE = 'SCHEDULE',
  MANUAL = 'MANUAL',
  DRIFT = 'DRIFT',
}
registerEnumType(RetrainingTrigger, { name: 'RetrainingTrigger' });

export enum ModelDecisionStatus {
  RUNNING = 'RUNNING',
  DONE = 'DONE',
  FAILED = 'FAILED',
}
registerEnumType(ModelDecisionStatus, { name: 'ModelDecisionStatus' });

export enum ModelDecisionOutcome {
  /** The challenger won and was deployed. */
  PROMOTED = 'PROMOTED',
  /** The champion stays. */
  KEPT = 'KEPT',
  /** Too few converted or lost leads: nothing trained. */
  BELOW_MINIMUM = 'BELOW_MINIMUM',
  /** The closed leads are the champion's own training data: nothing to learn. */
  NO_NEW_DATA = 'NO_NEW_DATA',
}
registerEnumType(ModelDecisionOutcome, { name: 'ModelDecisionOutcome' });

export enum RetrainingStage {
  QUEUED = 'QUEUED',
  BUILDING_VERSION = 'BUILDING_VERSION',
  TRAINING = 'TRAINING',
  EVALUATING = 'EVALUATING',
  DEPLOYING = 'DEPLOYING',
  DONE = 'DONE',
}
registerEnumType(RetrainingStage, { name: 'RetrainingStage' });

/** Figures of one model on the decision's test rows. */
export interface DecisionFigures {
  auc: number | null;
  prAuc: number | null;
  logLoss: number | null;
  brier: number | null;
}

/** One retraining run and what it decided, with both models' figures. */
@Schema({ collection: 'modelDecisions', timestamps: { createdAt: true, updatedAt: true } })
export class ModelDecision {
  _id!: Types.ObjectId;

  @Prop({ type: Types.ObjectId, required: true })
  tenantId!: Types.ObjectId;

  @Prop({ type: String, enum: RetrainingTrigger, required: true })
  trigger!: RetrainingTrigger;

  @Prop({ type: String, enum: ModelDecisionStatus, required: true })
  status!: ModelDecisionStatus;

  @Prop({ type: String, enum: RetrainingStage, required: true })
  stage!: RetrainingStage;

  @Prop({ type: String, enum: ModelDecisionOutcome, default: null })
  outcome!: ModelDecisionOutcome | null;

  @Prop({ type: String, default: null })
  requestedBy!: string | null;

  @Prop({ type: Types.ObjectId, default: null })
  datasetVersionId!: Types.ObjectId | null;

  @Prop({ type: Types.ObjectId, default: null })
  trainingJobId!: Types.ObjectId | null;

  @Prop({ type: String, default: null })
  championId!: string | null;

  @Prop({ type: String, default: null })
  challengerId!: string | null;

  @Prop({ type: MongooseSchema.Types.Mixed, default: null })
  champion!: DecisionFigures | null;

  @Prop({ type: MongooseSchema.Types.Mixed, default: null })
  challenger!: DecisionFigures | null;

  @Prop({ type: Number, default: null })
  testRows!: number | null;

  @Prop({ type: Number, default: null })
  converted!: number | null;

  @Prop({ type: Number, default: null })
  lost!: number | null;

  @Prop({ type: Number, default: null })
  minConverted!: number | null;

  @Prop({ type: Number, default: null })
  minLost!: number | null;

  /** The rule the decision applied, as it was then. */
  @Prop({ type: MongooseSchema.Types.Mixed, default: null })
  rule!: Record<string, number> | null;

  @Prop({ type: [String], default: [] })
  reasons!: string[];

  @Prop({ type: String, default: null })
  rescoreJobId!: string | null;

  @Prop({ type: String, default: null })
  failure!: string | null;

  @Prop({ type: Date, default: null })
  decidedAt!: Date | null;

  createdAt!: Date;
  updatedAt!: Date;
}

export const ModelDecisionSchema = SchemaFactory.createForClass(ModelDecision);
addTenantKeyIndex(ModelDecisionSchema);
ModelDecisionSchema.index({ tenantId: 1, createdAt: -1 });
