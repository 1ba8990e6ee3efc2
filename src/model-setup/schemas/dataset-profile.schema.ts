import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';
import { Schema as MongooseSchema, Types } from 'mongoose';

import { derivedObjectId } from '@/common/ids/derived-object-id.util';
import { addTenantKeyIndex } from '@/common/tenancy/tenant-repository';
import type { NormalizedTransformation } from '@/ml/transform/transformation-config.util';
import type { DatasetProfile } from '@/ml/setup/profile-dataset.util';
import type { SetupRecommendation } from '@/ml/setup/recommend-setup.util';
import type { SetupFlag } from '@/ml/setup/screen-leakage.util';

export enum DatasetProfileStatus {
  PENDING = 'PENDING',
  RUNNING = 'RUNNING',
  READY = 'READY',
  FAILED = 'FAILED',
}

export enum SetupSource {
  DETERMINISTIC = 'DETERMINISTIC',
  AI = 'AI',
}

/** The model's second opinion, kept while the prompt that asked for it is the same. */
export interface StoredAdvice {
  /** Hash of the model and the messages sent. */
  stamp: string;
  model: string;
  recommendation: Omit<SetupRecommendation, 'source'> & { source: 'AI' };
  at: Date;
}

/** What an admin chose to train with (applySetup), the last one. */
export interface AppliedSetup {
  source: SetupSource;
  transformation: NormalizedTransformation;
  modelType: string;
  params: Record<string, unknown>;
  seed: number;
  keptFlagged: string[];
  appliedBy: string;
  appliedAt: Date;
}

/** One profile per dataset version: versions are immutable, so it is computed once. */
export function datasetProfileIdFor(tenantId: string, versionId: string): Types.ObjectId {
  return derivedObjectId('dataset-profile', tenantId, versionId);
}

/**
 * The profile of a dataset version and its leakage flags (`profileDataset`, `screenLeakage`),
 * stored once computed; with the AI's second opinion and the setup applied last. Read by `_id`
 * (`datasetProfileIdFor`).
 */
@Schema({ collection: 'datasetProfiles', timestamps: true, minimize: false })
export class DatasetProfileRecord {
  _id!: Types.ObjectId;

  @Prop({ type: Types.ObjectId, required: true })
  tenantId!: Types.ObjectId;

  @Prop({ type: Types.ObjectId, required: true })
  versionId!: Types.ObjectId;

  @Prop({ type: String, enum: DatasetProfileStatus, required: true })
  status!: DatasetProfileStatus;

  @Prop({ type: MongooseSchema.Types.Mixed, default: null })
  profile!: DatasetProfile | null;

  @Prop({ type: MongooseSchema.Types.Mixed, default: null })
  flags!: SetupFlag[] | null;

  @Prop({ type: String, default: null })
  error!: string | null;

  /** Whether it ran in a worker (the version was past the inline limit). */
  @Prop({ default: false })
  queued!: boolean;

  @Prop({ type: Date, default: null })
  startedAt!: Date | null;

  @Prop({ type: Date, default: null })
  finishedAt!: Date | null;

  @Prop({ type: Number, default: null })
  durationMs!: number | null;

  @Prop({ type: MongooseSchema.Types.Mixed, default: null })
  advice!: StoredAdvice | null;

  @Prop({ type: MongooseSchema.Types.Mixed, default: null })
  applied!: AppliedSetup | null;

  createdAt!: Date;
  updatedAt!: Date;
}

export const DatasetProfileRecordSchema = SchemaFactory.createForClass(DatasetProfileRecord);
addTenantKeyIndex(DatasetProfileRecordSchema);
