import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';
import { HydratedDocument, Types } from 'mongoose';

/**
 * When a lead's timed override lapses, kept beside its score so that the expiry sweep reads these
 * few documents instead of every score of every tenant (a query on `override.expiresAt` of
 * `leadScores` is a scan of the whole collection on engines that use no index for it:
 * mongo-java-server took ~4.6 s a sweep at 1,000,000 scores, every 30 s, holding the collection).
 * `_id` is the score's (its lead's ref). Written before the override it stands for; removed by the
 * sweep once it reads the score without a lapsed override (expired, cleared, or set again without
 * an expiry), so an entry that no longer stands for anything is simply dropped; never later than
 * the override it stands for (see ScoreOverrideExpiries.record). The collection also holds one
 * marker without `expiresAt` (EXPIRY_BACKFILL_MARKER): overrides set before entries were kept have
 * been copied here.
 */
@Schema({ collection: 'scoreOverrideExpiries', versionKey: false })
export class ScoreOverrideExpiry {
  _id!: Types.ObjectId;

  @Prop({ type: Types.ObjectId })
  tenantId?: Types.ObjectId;

  @Prop({ type: Date })
  expiresAt?: Date;
}

export type ScoreOverrideExpiryDocument = HydratedDocument<ScoreOverrideExpiry>;
export const ScoreOverrideExpirySchema = SchemaFactory.createForClass(ScoreOverrideExpiry);
ScoreOverrideExpirySchema.index({ expiresAt: 1 });
/**
 * Unique as `_id` is: the sweep's removals and moves filter on `{_id, expiresAt}` (only if the entry
 * still records what it read), which mongo-java-server answers from this index instead of a scan.
 */
ScoreOverrideExpirySchema.index({ _id: 1, expiresAt: 1 }, { unique: true });
