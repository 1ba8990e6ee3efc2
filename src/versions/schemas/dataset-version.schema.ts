import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';
import { HydratedDocument, Schema as MongooseSchema, Types } from 'mongoose';

import { addTenantKeyIndex } from '@/common/tenancy/tenant-repository';
import type { FeatureStats } from '@/ml/dataset/feature-stats.util';
import type { NormalizedTransformation } from '@/ml/transform/transformation-config.util';

/** Which closed leads a snapshot takes (all of them when empty). */
export interface DatasetFilter {
  /** Outcomes dated at or after this. */
  outcomeFrom?: Date;
  /** Outcomes dated before this. */
  outcomeTo?: Date;
  /** Leads of these owners only. */
  ownerIds?: string[];
}

/** Something that relies on a version and keeps it from being archived (a deployed model). */
export interface DatasetUse {
  kind: string;
  id: string;
  since: Date;
}

/**
 * An immutable snapshot of a tenant's closed leads as training rows. Its `_id` follows from the
 * tenant and its content hash (`datasetVersionIdFor`): the same rows and transformation meet the
 * same version instead of making a second. Rows live in `datasetChunks`, written before this
 * document, which is what makes a version exist.
 */
@Schema({ collection: 'datasetVersions', timestamps: false, minimize: false })
export class DatasetVersion {
  _id!: Types.ObjectId;

  @Prop({ type: Types.ObjectId, required: true })
  tenantId!: Types.ObjectId;

  @Prop({ required: true })
  name!: string;

  /** sha256 over the canonical rows and the transformation. */
  @Prop({ required: true })
  contentHash!: string;

  @Prop({ type: Types.ObjectId, default: null })
  parentId!: Types.ObjectId | null;

  @Prop({ type: MongooseSchema.Types.Mixed, required: true })
  filter!: DatasetFilter;

  @Prop({ type: MongooseSchema.Types.Mixed, required: true })
  transformation!: NormalizedTransformation;

  @Prop({ required: true })
  rowCount!: number;

  @Prop({ required: true })
  converted!: number;

  @Prop({ required: true })
  lost!: number;

  @Prop({ type: Date, default: null })
  firstEventAt!: Date | null;

  @Prop({ type: Date, default: null })
  lastEventAt!: Date | null;

  /** The raw features, in the order chunk columns are stored. */
  @Prop({ type: [String], required: true })
  featureNames!: string[];

  @Prop({ type: MongooseSchema.Types.Mixed, required: true })
  featureStats!: FeatureStats[];

  @Prop({ required: true })
  chunkCount!: number;

  @Prop({ required: true })
  createdBy!: string;

  @Prop({ type: Date, required: true })
  createdAt!: Date;

  @Prop({ type: Date, default: null })
  archivedAt!: Date | null;

  @Prop({ type: String, default: null })
  archivedBy!: string | null;

  @Prop({ type: [Object], default: [] })
  usedBy!: DatasetUse[];
}

export type DatasetVersionDocument = HydratedDocument<DatasetVersion>;
export const DatasetVersionSchema = SchemaFactory.createForClass(DatasetVersion);
addTenantKeyIndex(DatasetVersionSchema);
DatasetVersionSchema.index({ tenantId: 1, createdAt: -1 });

/**
 * Rows `[start, start + leadIds.length)` of a version, column by column (`columns[j]` holds the
 * values of `featureNames[j]`). Sized to stay far below MongoDB's 16 MB document limit.
 */
@Schema({ collection: 'datasetChunks', timestamps: false })
export class DatasetChunk {
  _id!: Types.ObjectId;

  @Prop({ type: Types.ObjectId, required: true })
  tenantId!: Types.ObjectId;

  @Prop({ type: Types.ObjectId, required: true })
  versionId!: Types.ObjectId;

  @Prop({ required: true })
  index!: number;

  @Prop({ required: true })
  start!: number;

  @Prop({ type: [String], required: true })
  leadIds!: string[];

  @Prop({ type: [Number], required: true })
  labels!: number[];

  @Prop({ type: [Number], required: true })
  eventTimes!: number[];

  @Prop({ type: MongooseSchema.Types.Mixed, required: true })
  columns!: unknown[][];
}

export const DatasetChunkSchema = SchemaFactory.createForClass(DatasetChunk);
addTenantKeyIndex(DatasetChunkSchema);
