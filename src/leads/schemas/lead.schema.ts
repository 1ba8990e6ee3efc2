import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';
import { addTenantKeyIndex, addTenantVersionIndex } from '@/common/tenancy/tenant-repository';
import { HydratedDocument, Schema as MongooseSchema, Types } from 'mongoose';

export enum LeadOutcomeValue {
  CONVERTED = 'CONVERTED',
  LOST = 'LOST',
}

/** The statuses an outcome closes a lead with. */
export const CLOSED_STATUSES: ReadonlySet<string> = new Set(Object.values(LeadOutcomeValue));

/**
 * The lead's current outcome, kept on the lead itself: the one place that says which outcome
 * record is current (records of the feedback module follow it), and what a dataset snapshot reads
 * its label and point-in-time engagement from. Engagement is copied as it was at the close, so
 * events that arrive after a lead closed never leak into its training row.
 */
export interface LeadOutcomeState {
  /** `_id` of the outcome record (collection `outcomes`). */
  id: Types.ObjectId;
  outcome: LeadOutcomeValue;
  at: Date;
  /** The status the lead had before it was closed, restored by a reopen. */
  statusBefore: string;
  emailOpens: number;
  websiteVisits: number;
  timeSpentSeconds: number;
  lastActivityAt: Date | null;
}

/** A lead of a tenant, with its engagement aggregates (derived from the interaction log). */
@Schema({ collection: 'leads', timestamps: true, minimize: false })
export class Lead {
  _id!: Types.ObjectId;

  @Prop({ type: Types.ObjectId, required: true })
  tenantId!: Types.ObjectId;

  /** The id the tenant's own systems use; unique per tenant. */
  @Prop({ required: true })
  leadId!: string;

  @Prop({ type: String, default: null })
  name!: string | null;

  @Prop({ type: String, default: null })
  email!: string | null;

  /** A user of the tenant (usually a REP). */
  @Prop({ type: String, default: null })
  ownerId!: string | null;

  @Prop({ required: true, default: 'NEW' })
  status!: string;

  @Prop({ type: MongooseSchema.Types.Mixed, default: {} })
  attributes!: Record<string, unknown>;

  /**
   * New on every write of `attributes`: engagement writes read the lead without its attributes,
   * and the score's copy of them stands in only when it carries this same stamp.
   */
  @Prop({ type: String })
  attributesStamp?: string;

  @Prop({ default: 0 })
  emailOpens!: number;

  @Prop({ default: 0 })
  websiteVisits!: number;

  @Prop({ default: 0 })
  timeSpentSeconds!: number;

  @Prop({ type: Date, default: null })
  lastActivityAt!: Date | null;

  /**
   * Incremented by every write of the lead (fields or engagement). Engagement writes are
   * conditional on it, and a score records the version it was computed from.
   */
  @Prop({ default: 0 })
  version!: number;

  /** Set by an outcome (recordOutcome, a CSV import's outcome column), cleared by a reopen. */
  @Prop({ type: MongooseSchema.Types.Mixed, default: null })
  outcome!: LeadOutcomeState | null;

  /** The latest applied interaction ids (APPLIED_EVENTS_KEPT): what makes applying idempotent. */
  @Prop({ type: [Types.ObjectId], default: [] })
  appliedEvents!: Types.ObjectId[];

  createdAt!: Date;
  updatedAt!: Date;
}

export type LeadDocument = HydratedDocument<Lead>;
export const LeadSchema = SchemaFactory.createForClass(Lead);
addTenantKeyIndex(LeadSchema);
addTenantVersionIndex(LeadSchema, 'version');
// Not unique: _id = leadRefFor(tenant, leadId) keeps one lead per leadId; a unique index not
// prefixed by the shard key would block sharding on { tenantId, _id }.
LeadSchema.index({ tenantId: 1, leadId: 1 });
LeadSchema.index({ tenantId: 1, ownerId: 1 });
LeadSchema.index({ tenantId: 1, lastActivityAt: -1 });
