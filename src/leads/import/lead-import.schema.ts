import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';
import { HydratedDocument, Schema as MongooseSchema, Types } from 'mongoose';

export enum LeadImportStatus {
  QUEUED = 'QUEUED',
  RUNNING = 'RUNNING',
  COMPLETED = 'COMPLETED',
  FAILED = 'FAILED',
}

export const MAX_REPORTED_ERRORS = 1000;

/** One CSV import: its mapping, progress and per-row error report. */
@Schema({ collection: 'leadImports', timestamps: true })
export class LeadImport {
  _id!: Types.ObjectId;

  @Prop({ type: Types.ObjectId, required: true })
  tenantId!: Types.ObjectId;

  @Prop({ type: String, enum: LeadImportStatus, required: true })
  status!: LeadImportStatus;

  @Prop({ type: MongooseSchema.Types.Mixed, required: true })
  mapping!: Record<string, unknown>;

  @Prop({ type: [String], required: true })
  header!: string[];

  @Prop({ default: 0 })
  totalRows!: number;

  @Prop({ default: 0 })
  processedRows!: number;

  @Prop({ default: 0 })
  importedRows!: number;

  @Prop({ default: 0 })
  failedRows!: number;

  /**
   * The last staged row whose outcome is counted above, moved by the same update as the counts:
   * an attempt that dies between writing a chunk and counting it is followed by one that counts
   * it, and one that dies after counting it by one that starts after it (never counted twice).
   * Absent on imports staged before it existed (their progress is then the Bull job's).
   */
  @Prop({ type: Number })
  lastRow?: number;

  /** The first MAX_REPORTED_ERRORS bad rows: row number (1 = first data row) and what is wrong. */
  @Prop({ type: [{ row: Number, messages: [String], _id: false }], default: [] })
  rowErrors!: { row: number; messages: string[] }[];

  @Prop({ type: Types.ObjectId, default: null })
  requestedBy!: Types.ObjectId | null;

  @Prop({ type: Date, default: null })
  finishedAt!: Date | null;

  @Prop({ type: String, default: null })
  failure!: string | null;

  createdAt!: Date;
  updatedAt!: Date;
}

export const LeadImportSchema = SchemaFactory.createForClass(LeadImport);
LeadImportSchema.index({ tenantId: 1, createdAt: -1 });

/** Raw rows staged by the upload for the worker, deleted when the import ends. */
@Schema({ collection: 'leadImportRows', timestamps: false })
export class LeadImportRow {
  _id!: Types.ObjectId;

  @Prop({ type: Types.ObjectId, required: true })
  tenantId!: Types.ObjectId;

  @Prop({ type: Types.ObjectId, required: true })
  importId!: Types.ObjectId;

  @Prop({ required: true })
  row!: number;

  @Prop({ type: [String], required: true })
  values!: string[];
}

export type LeadImportRowDocument = HydratedDocument<LeadImportRow>;
export const LeadImportRowSchema = SchemaFactory.createForClass(LeadImportRow);
LeadImportRowSchema.index({ importId: 1, row: 1 }, { unique: true });
