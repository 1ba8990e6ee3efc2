import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';
import { addTenantKeyIndex } from '@/common/tenancy/tenant-repository';
import { HydratedDocument, Schema as MongooseSchema, Types } from 'mongoose';

import type { ScoreOverride } from '../override/score-override.util';
import { PriorityTier } from '../scorer/priority-tier.util';
import type { TrendPoint } from '../trend/score-trend.util';

/** How a trained model reached a score: base + Σ factor contributions = logit. */
export interface TrainedScoreExplanation {
  type: string;
  base: number;
  logit: number;
  /** Gradient boosting: TREE_SHAP (small models) or SAABAS; absent for the other types. */
  method?: string;
  /** Every raw feature the model uses, largest contribution first. */
  factors: { feature: string; value: string | null; contribution: number }[];
}

/**
 * The cached score of one lead, with the lead fields the ranked list filters and sorts on and the
 * engagement it was computed from, so rescoring (on events, in batch, when stale) never needs the
 * leads collection. Written only by LeadScoringService.
 */
@Schema({ collection: 'leadScores', timestamps: false })
export class LeadScore {
  _id!: Types.ObjectId;

  @Prop({ type: Types.ObjectId, required: true })
  tenantId!: Types.ObjectId;

  /** `_id` of the lead. */
  @Prop({ type: Types.ObjectId, required: true })
  leadRef!: Types.ObjectId;

  /** The lead's external id. */
  @Prop({ required: true })
  leadId!: string;

  @Prop({ type: String, default: null })
  name!: string | null;

  @Prop({ type: String, default: null })
  email!: string | null;

  @Prop({ type: String, default: null })
  ownerId!: string | null;

  @Prop({ required: true })
  status!: string;

  /** Lower-cased leadId, name and email, for `search` (no $text: not every engine has it). */
  @Prop({ required: true })
  searchText!: string;

  @Prop({ required: true })
  emailOpens!: number;

  @Prop({ required: true })
  websiteVisits!: number;

  @Prop({ required: true })
  timeSpentSeconds!: number;

  @Prop({ type: Date, default: null })
  lastActivityAt!: Date | null;

  /**
   * The lead's attributes as last scored: batch and freshness rescoring read no leads. Absent on
   * scores written before trained models, and on copies served from the ranking index.
   */
  @Prop({ type: MongooseSchema.Types.Mixed })
  attributes?: Record<string, unknown>;

  /** A shadow model's score of the same write (stored, not shown): see `shadowModel`. */
  @Prop({ type: MongooseSchema.Types.Mixed })
  shadow?: ShadowScore;

  /** The lead's `attributesStamp` of that copy (see LeadSnapshot.attributesStamp). */
  @Prop({ type: String })
  attributesStamp?: string;

  /** The shown score: the override while one lasts, else the model's (what the list ranks by). */
  @Prop({ required: true })
  score!: number;

  /** The tier of the shown score. */
  @Prop({ type: String, enum: PriorityTier, required: true })
  tier!: PriorityTier;

  /** The model's score, computed beneath an override too (absent on older scores: `score`). */
  @Prop({ type: Number })
  modelScore?: number;

  @Prop({ type: String, enum: PriorityTier })
  modelTier?: PriorityTier;

  /** A manager's manual score (see override/score-override.util); absent when none. */
  @Prop({ type: MongooseSchema.Types.Mixed })
  override?: ScoreOverride;

  /** The model score series the trend is read from (trend/score-trend.util), a point a day. */
  @Prop({ type: MongooseSchema.Types.Mixed })
  trendPoints?: TrendPoint[];

  @Prop({ type: MongooseSchema.Types.Mixed, required: true })
  breakdown!: {
    rawScore: number;
    decayFactor: number;
    daysSinceLastActivity: number | null;
    terms: {
      feature: string;
      value: number;
      cap: number;
      normalized: number;
      weight: number;
      contribution: number;
    }[];
    /** Trained models: the additive explanation of the score (absent for the weighted sum). */
    model?: TrainedScoreExplanation;
  };

  @Prop({ required: true })
  configVersion!: number;

  @Prop({ required: true })
  modelId!: string;

  @Prop({ required: true })
  modelVersion!: number;

  @Prop({ type: Date, required: true })
  computedAt!: Date;

  /**
   * A new id at every score write: the write guard's compare-and-swap token (buildScoreWrite), and
   * how a writer tells its own writes apart after a lost race. Absent from scores written before
   * 2026-12-07.
   */
  @Prop({ type: Types.ObjectId })
  writeId?: Types.ObjectId;

  /**
   * The lead's version this score was computed from. Score writes are conditional on the version
   * read, so a rescoring from an older copy never overwrites a newer lead's score.
   */
  @Prop({ required: true, default: 0 })
  leadVersion!: number;

  /** `seq` of the lead's latest score history entry (0: none yet). */
  @Prop({ required: true, default: 0 })
  historyCount!: number;
}

export type LeadScoreDocument = HydratedDocument<LeadScore>;
export interface ShadowScore {
  modelId: string;
  modelVersion: number;
  score: number;
  probability: number;
}

export const LeadScoreSchema = SchemaFactory.createForClass(LeadScore);
addTenantKeyIndex(LeadScoreSchema);
/**
 * Indexes older versions built and no query uses any more, dropped at startup where a database
 * has them (ScoreWrites): every score write would still pay for keeping them. The write guard's
 * `{tenantId, _id, leadVersion, 'override.setAt'}` served mongo-java-server, which used an index
 * only for a filter naming exactly its fields; its launcher now finds a document by `_id` first,
 * as MongoDB does, and the guard compares `writeId` (buildScoreWrite).
 */
export const RETIRED_SCORE_INDEXES = ['tenantId_1__id_1_leadVersion_1_override.setAt_1'] as const;
// Not unique: a score's _id is its lead's (leadRef), so one score per lead; a unique index not
// prefixed by the shard key would block sharding on { tenantId, _id }.
LeadScoreSchema.index({ tenantId: 1, leadRef: 1 });
LeadScoreSchema.index({ tenantId: 1, score: -1, leadRef: 1 });
LeadScoreSchema.index({ tenantId: 1, lastActivityAt: -1, leadRef: 1 });
LeadScoreSchema.index({ tenantId: 1, ownerId: 1, score: -1 });
LeadScoreSchema.index({ computedAt: 1 });
LeadScoreSchema.index({ 'override.expiresAt': 1 }, { sparse: true });
