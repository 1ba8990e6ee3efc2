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
/**
 * The backfill's second pass, this long after the first: past a rolling upgrade, whose processes
 * of the version before may set timed overrides without entries until they are replaced.
 */
const BACKFILL_SECOND_PASS_MS = 60 * 60_000;

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
  /** Both backfill passes are done (the marker says so): no need to read it again. */
  private backfilled = false;

  constructor(
    @InjectModel(ScoreOverrideExpiry.name) private readonly model: Model<ScoreOverrideExpiry>,
    @InjectModel(LeadScore.name) private readonly scores: Model<LeadScore>,
  ) {}

  private get collection(): mongo.Collection {
    return this.model.collection;
  }

  /**
   * Records when a score's override is to lapse, before the override is written. Never later than
   * an entry already there (`$min`): should this set not land, or land before an earlier one, the
   * sweep meets the entry no later than the override the score holds, and moves it to that one.
   */
  async record(tenantId: string, scoreId: Types.ObjectId, expiresAt: Date): Promise<void> {
    await this.collection.updateOne(
      { _id: scoreId },
      { $set: { tenantId: new Types.ObjectId(tenantId) }, $min: { expiresAt } },
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
   * Removes the entries the sweep has settled and moves those whose score holds a later expiry,
   * each only if it still records the expiry the sweep read (one recorded meanwhile stays).
   */
  async settle(
    settled: readonly DueExpiry[],
    moved: readonly { entry: DueExpiry; expiresAt: Date }[] = [],
  ): Promise<void> {
    const writes: mongo.AnyBulkWriteOperation[] = [
      ...settled.map((entry) => ({
        deleteOne: { filter: { _id: entry._id, expiresAt: entry.expiresAt } },
      })),
      ...moved.map(({ entry, expiresAt }) => ({
        updateOne: {
          filter: { _id: entry._id, expiresAt: entry.expiresAt },
          update: { $set: { expiresAt } },
        },
      })),
    ];
    if (writes.length > 0) await this.collection.bulkWrite(writes, { ordered: false });
  }

  /**
   * Entries for timed overrides written without one: by a version before entries were kept, or
   * during a rolling upgrade by its processes still running (the first pass may come before
   * their last set). One scan of the scores at the first sweep of the deployment and one more
   * BACKFILL_SECOND_PASS_MS later, each recorded in the marker. Never overwrites an entry (one
   * recorded since is newer). Done once both passes are.
   */
  async backfillWhenDue(now = new Date()): Promise<void> {
    if (this.backfilled) return;
    const marker = (await this.collection.findOne({ _id: EXPIRY_BACKFILL_MARKER })) as {
      backfilledAt?: Date;
      passes?: number;
    } | null;
    const passes = marker?.passes ?? (marker ? 1 : 0);
    if (passes >= 2) {
      this.backfilled = true;
      return;
    }
    const last = marker?.backfilledAt?.getTime() ?? 0;
    if (passes === 1 && now.getTime() - last < BACKFILL_SECOND_PASS_MS) return;
    const copied = await this.copyFromScores();
    await this.collection.updateOne(
      { _id: EXPIRY_BACKFILL_MARKER },
      { $set: { backfilledAt: now, passes: passes + 1 } },
      { upsert: true },
    );
    this.logger.log({
      msg: 'score override expiries copied from the scores',
      pass: passes + 1,
      copied,
    });
  }

  private async copyFromScores(): Promise<number> {
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
    return copied;
  }
}
