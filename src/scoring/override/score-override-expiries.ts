import { Injectable, Logger } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { Model, mongo, Types } from 'mongoose';

import { derivedObjectId } from '@/common/ids/derived-object-id.util';

import { LeadScore } from '../schemas/lead-score.schema';
import { ScoreOverrideExpiry } from '../schemas/score-override-expiry.schema';

/** The marker saying overrides set before entries were kept have been copied (see the schema). */
export const EXPIRY_BACKFILL_MARKER = derivedObjectId('maintenance', 'score-override-expiries');

/** Upserts per write of the backfill. */
const BACKFILL_CHUNK = 500;

/** A timed override the sweep is to look at: its score's id, tenant and expiry as recorded. */
export interface DueExpiry {
  readonly _id: Types.ObjectId;
  readonly tenantId: Types.ObjectId;
  readonly expiresAt: Date;
}

/**
 * The `scoreOverrideExpiries` bookkeeping (see ScoreOverrideExpiry): an entry per timed override,
 * recorded before the override is written, read by the sweep when due, removed once settled.
 * Across tenants by design, like the sweep it serves; every entry names its tenant.
 */
@Injectable()
export class ScoreOverrideExpiries {
  private readonly logger = new Logger(ScoreOverrideExpiries.name);
  private backfilled?: Promise<void>;

  constructor(
    @InjectModel(ScoreOverrideExpiry.name) private readonly model: Model<ScoreOverrideExpiry>,
    @InjectModel(LeadScore.name) private readonly scores: Model<LeadScore>,
  ) {}

  private get collection(): mongo.Collection {
    return this.model.collection;
  }

  /** Records when a score's override is to lapse (before the override itself is written). */
  async record(tenantId: string, scoreId: Types.ObjectId, expiresAt: Date): Promise<void> {
    await this.collection.updateOne(
      { _id: scoreId },
      { $set: { tenantId: new Types.ObjectId(tenantId), expiresAt } },
      { upsert: true },
    );
  }

  /** Entries due by `now`, at most `limit` (the oldest first is not promised: the next sweep takes the rest). */
  async due(now: Date, limit: number): Promise<DueExpiry[]> {
    return (await this.collection
      .find({ expiresAt: { $lte: now } })
      .limit(limit)
      .toArray()) as unknown as DueExpiry[];
  }

  /**
   * Removes entries the sweep has settled, each only if it still records the expiry the sweep read
   * (an override set again meanwhile recorded a new one, which stays).
   */
  async settle(entries: readonly DueExpiry[]): Promise<void> {
    if (entries.length === 0) return;
    await this.collection.bulkWrite(
      entries.map((entry) => ({
        deleteOne: { filter: { _id: entry._id, expiresAt: entry.expiresAt } },
      })),
      { ordered: false },
    );
  }

  /**
   * Once per deployment: entries for the timed overrides set before entries were kept (one scan of
   * the scores, then a marker). Never overwrites an entry (one recorded since is newer). Awaited by
   * every sweep of this process until it has succeeded once.
   */
  backfillOnce(): Promise<void> {
    this.backfilled ??= this.backfill().catch((error: unknown) => {
      this.backfilled = undefined;
      throw error;
    });
    return this.backfilled;
  }

  private async backfill(): Promise<void> {
    if (await this.collection.findOne({ _id: EXPIRY_BACKFILL_MARKER })) return;
    const cursor = this.scores.collection.find(
      { 'override.expiresAt': { $ne: null } },
      { projection: { tenantId: 1, 'override.expiresAt': 1 }, batchSize: BACKFILL_CHUNK },
    );
    let copied = 0;
    let chunk: mongo.AnyBulkWriteOperation[] = [];
    const flush = async () => {
      if (chunk.length > 0) await this.collection.bulkWrite(chunk, { ordered: false });
      copied += chunk.length;
      chunk = [];
    };
    for await (const doc of cursor) {
      const expiresAt = (doc.override as { expiresAt?: unknown } | undefined)?.expiresAt;
      if (!(expiresAt instanceof Date)) continue;
      chunk.push({
        updateOne: {
          filter: { _id: doc._id },
          update: { $setOnInsert: { tenantId: doc.tenantId, expiresAt } },
          upsert: true,
        },
      });
      if (chunk.length === BACKFILL_CHUNK) await flush();
    }
    await flush();
    await this.collection.updateOne(
      { _id: EXPIRY_BACKFILL_MARKER },
      { $set: { backfilledAt: new Date() } },
      { upsert: true },
    );
    this.logger.log({ msg: 'score override expiries copied from the scores', copied });
  }
}
