import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';
import { HydratedDocument, Schema as MongooseSchema, Types } from 'mongoose';

export enum ScoringJobStatus {
  QUEUED = 'QUEUED',
  RUNNING = 'RUNNING',
  COMPLETED = 'COMPLETED',
  FAILED = 'FAILED',
}

/** A batch rescoring job as users see it; kept after the job ends so its id answers status queries. */
@Schema({ collection: 'scoringJobs', timestamps: true })
export class ScoringJob {
  _id!: Types.ObjectId;

  @Prop({ type: Types.ObjectId, required: true })
  tenantId!: Types.ObjectId;

  @Prop({ type: String, enum: ScoringJobStatus, required: true })
  status!: ScoringJobStatus;

  @Prop({ required: true })
  reason!: string;

  @Prop({ type: MongooseSchema.Types.Mixed, default: {} })
  filter!: Record<string, unknown>;

  @Prop({ default: 0 })
  total!: number;

  @Prop({ default: 0 })
  processed!: number;

  @Prop({ default: 0 })
  changed!: number;

  /** How many times a worker started it (more than 1: it resumed after a worker died). */
  @Prop({ default: 0 })
  attempts!: number;

  @Prop({ type: Types.ObjectId, default: null })
  requestedBy!: Types.ObjectId | null;

  @Prop({ type: Date, default: null })
  startedAt!: Date | null;

  @Prop({ type: Date, default: null })
  finishedAt!: Date | null;

  @Prop({ type: String, default: null })
  error!: string | null;

  createdAt!: Date;
  updatedAt!: Date;
}

export type ScoringJobDocument = HydratedDocument<ScoringJob>;
export const ScoringJobSchema = SchemaFactory.createForClass(ScoringJob);
ScoringJobSchema.index({ tenantId: 1, createdAt: -1 });
