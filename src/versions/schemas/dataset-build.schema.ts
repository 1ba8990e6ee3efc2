import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';
import { HydratedDocument, Schema as MongooseSchema, Types } from 'mongoose';

import { addTenantKeyIndex } from '@/common/tenancy/tenant-repository';
import type { TransformationConfig } from '@/ml/transform/transformation-config.util';

import type { DatasetFilter } from './dataset-version.schema';

export enum DatasetBuildStatus {
  QUEUED = 'QUEUED',
  RUNNING = 'RUNNING',
  COMPLETED = 'COMPLETED',
  FAILED = 'FAILED',
}

export enum DatasetBuildStage {
  READING = 'READING',
  DESCRIBING = 'DESCRIBING',
  WRITING = 'WRITING',
  DONE = 'DONE',
}

/** What createDatasetVersion was asked for. */
export interface DatasetBuildRequest {
  name: string;
  filter: DatasetFilter;
  transformation: TransformationConfig | null;
  /** Explicit parent; null: the tenant's latest version when the build finishes. */
  parentId: string | null;
}

/**
 * One createDatasetVersion call: built within the call for small tenants, by a `datasets` job
 * otherwise. Users follow it (status, stage, rows read) until it names its version.
 */
@Schema({ collection: 'datasetBuilds', timestamps: true, minimize: false })
export class DatasetBuild {
  _id!: Types.ObjectId;

  @Prop({ type: Types.ObjectId, required: true })
  tenantId!: Types.ObjectId;

  @Prop({ type: String, enum: DatasetBuildStatus, required: true })
  status!: DatasetBuildStatus;

  @Prop({ type: String, enum: DatasetBuildStage, required: true })
  stage!: DatasetBuildStage;

  @Prop({ type: MongooseSchema.Types.Mixed, required: true })
  request!: DatasetBuildRequest;

  @Prop({ required: true, default: 0 })
  rowsRead!: number;

  /** Closed leads counted when the build was asked for (the rows to read, about). */
  @Prop({ required: true, default: 0 })
  totalRows!: number;

  @Prop({ type: Types.ObjectId, default: null })
  versionId!: Types.ObjectId | null;

  /** True when the rows and transformation matched a version that existed: that one is returned. */
  @Prop({ required: true, default: false })
  reused!: boolean;

  @Prop({ type: MongooseSchema.Types.Mixed, default: null })
  error!: { code: string; message: string; fields?: { path: string; messages: string[] }[] } | null;

  @Prop({ required: true })
  requestedBy!: string;

  /**
   * Renewed while a process runs the build; a RUNNING build whose heartbeat is older than the
   * sweeper's lease, and that no live job holds, lost its process and is recorded FAILED.
   */
  @Prop({ type: Date, default: null })
  heartbeatAt!: Date | null;

  @Prop({ type: Date, default: null })
  finishedAt!: Date | null;

  createdAt!: Date;
  updatedAt!: Date;
}

export type DatasetBuildDocument = HydratedDocument<DatasetBuild>;
export const DatasetBuildSchema = SchemaFactory.createForClass(DatasetBuild);
addTenantKeyIndex(DatasetBuildSchema);
// The sweeper's query (unfinished builds of every tenant).
DatasetBuildSchema.index({ status: 1, updatedAt: 1 });
