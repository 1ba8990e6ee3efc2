import { registerEnumType } from '@nestjs/graphql';
import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';
import { Schema as MongooseSchema, Types } from 'mongoose';

import { addTenantKeyIndex } from '@/common/tenancy/tenant-repository';

import type { InsightContent } from '../insight/insight.types';

export enum InsightStatus {
  /** Waiting on the `ai` queue. */
  QUEUED = 'QUEUED',
  /** A worker is writing it. */
  RUNNING = 'RUNNING',
  /** Written (by OpenAI or by the fallback: see `source`). */
  READY = 'READY',
  /** The job could not run at all (the lead was deleted, say); `failure` says why. */
  FAILED = 'FAILED',
}
registerEnumType(InsightStatus, { name: 'InsightStatus' });

export enum InsightSource {
  OPENAI = 'OPENAI',
  /** Built from the score's breakdown, history and engagement without a model call. */
  FALLBACK = 'FALLBACK',
}
registerEnumType(InsightSource, { name: 'InsightSource' });

export interface StoredInsightUsage {
  promptTokens: number;
  completionTokens: number;
  totalTokens: number;
}

/**
 * The latest insight of one lead: `_id` is the lead's ref (derived from tenant and leadId), so a
 * lead has one document, read and written by `{tenantId, _id}`. `cacheKey` names the lead's state
 * it was written for (last activity, deployed model, config version, prompt, model): a request for
 * the same state is answered from here without a call.
 */
@Schema({ collection: 'leadInsights', timestamps: false, minimize: false })
export class LeadInsight {
  _id!: Types.ObjectId;

  @Prop({ type: Types.ObjectId, required: true })
  tenantId!: Types.ObjectId;

  @Prop({ required: true })
  leadId!: string;

  @Prop({ type: String, default: null })
  ownerId!: string | null;

  @Prop({ type: String, enum: InsightStatus, required: true })
  status!: InsightStatus;

  /** The state asked for (see above); the content below is for `contentCacheKey`. */
  @Prop({ required: true })
  cacheKey!: string;

  @Prop({ type: Date, required: true })
  requestedAt!: Date;

  @Prop({ type: String, default: null })
  requestedBy!: string | null;

  @Prop({ type: String, default: null })
  failure!: string | null;

  /** The last content written (kept while a newer one is queued). */
  @Prop({ type: MongooseSchema.Types.Mixed, default: null })
  content!: InsightContent | null;

  @Prop({ type: String, default: null })
  contentCacheKey!: string | null;

  @Prop({ type: String, enum: InsightSource, default: null })
  source!: InsightSource | null;

  /** Why the fallback wrote it (no key, breaker open, invalid answer, errors…). */
  @Prop({ type: String, default: null })
  fallbackReason!: string | null;

  /** The OpenAI model that wrote it (null for the fallback). */
  @Prop({ type: String, default: null })
  model!: string | null;

  @Prop({ type: MongooseSchema.Types.Mixed, default: null })
  usage!: StoredInsightUsage | null;

  /** Time spent writing it, calls and retries included. */
  @Prop({ type: Number, default: null })
  latencyMs!: number | null;

  /** Calls made for it (retries included). */
  @Prop({ type: Number, default: 0 })
  calls!: number;

  /** Score and tier it was written for. */
  @Prop({ type: Number, default: null })
  score!: number | null;

  @Prop({ type: Date, default: null })
  generatedAt!: Date | null;
}

export const LeadInsightSchema = SchemaFactory.createForClass(LeadInsight);
addTenantKeyIndex(LeadInsightSchema);
