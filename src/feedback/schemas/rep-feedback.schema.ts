import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';
import { HydratedDocument, Types } from 'mongoose';

import { addTenantKeyIndex } from '@/common/tenancy/tenant-repository';

import type { ShownScore } from './outcome.schema';

export enum FeedbackRating {
  TOO_HIGH = 'TOO_HIGH',
  TOO_LOW = 'TOO_LOW',
  ABOUT_RIGHT = 'ABOUT_RIGHT',
}

export const MAX_FEEDBACK_COMMENT = 2_000;
/** Earlier ratings kept on a user's feedback for a lead (the newest last). */
export const FEEDBACK_HISTORY_KEPT = 50;

export interface PastRating {
  rating: FeedbackRating;
  comment: string | null;
  shown: ShownScore | null;
  submittedAt: Date;
}

/**
 * A user's current rating of a lead's score, one per user and lead: its `_id` is derived from the
 * two (`feedbackIdFor`), so a new rating replaces the last in one write and pushes it to `history`.
 */
@Schema({ collection: 'feedback', timestamps: false })
export class RepFeedback {
  _id!: Types.ObjectId;

  @Prop({ type: Types.ObjectId, required: true })
  tenantId!: Types.ObjectId;

  @Prop({ type: Types.ObjectId, required: true })
  leadRef!: Types.ObjectId;

  @Prop({ required: true })
  leadId!: string;

  /** The lead's owner when rated (what reps' reads filter on). */
  @Prop({ type: String, default: null })
  ownerId!: string | null;

  @Prop({ required: true })
  userId!: string;

  @Prop({ type: String, enum: FeedbackRating, required: true })
  rating!: FeedbackRating;

  @Prop({ type: String, default: null })
  comment!: string | null;

  @Prop({ type: Object, default: null })
  shown!: ShownScore | null;

  @Prop({ type: Date, required: true })
  submittedAt!: Date;

  @Prop({ type: [Object], default: [] })
  history!: PastRating[];
}

export type RepFeedbackDocument = HydratedDocument<RepFeedback>;
export const RepFeedbackSchema = SchemaFactory.createForClass(RepFeedback);
addTenantKeyIndex(RepFeedbackSchema);
RepFeedbackSchema.index({ tenantId: 1, submittedAt: -1 });
