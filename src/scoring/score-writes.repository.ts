import { Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { Model, Types } from 'mongoose';

import { BulkOperation, StoredUpdate, TenantRepository } from '@/common/tenancy/tenant-repository';

import type { StoredScore } from './lead-scoring.service';
import { LeadScore, RETIRED_SCORE_INDEXES } from './schemas/lead-score.schema';
import { ScoreFieldsUpdate, ScoreWrite } from './score-write.util';

/**
 * In-place score updates per `update` command (writeConditionally). Each statement's size is
 * bounded: the filter and the score's fields, a weighted sum's breakdown (one term per engagement
 * feature), at most 366 trend points (SCORE_TREND_WINDOW_DAYS ≤ 365, ~36 bytes each) and an
 * override (a reason of at most 500 characters): under 17 KB, so 500 of them stay under half of the
 * 16 MB a command may be.
 */
const SCORE_UPDATES_PER_COMMAND = 500;

const DUPLICATE_KEY = 11000;
/** MongoDB's codes for a collection or an index that is not there. */
const NAMESPACE_NOT_FOUND = 26;
const INDEX_NOT_FOUND = 27;

/**
 * LeadScoringService's reads and writes of `leadScores`: its conditional score writes (updates in
 * place as `update` commands, replacements through bulkWrite) and its reads of stored scores by
 * lead.
 */
@Injectable()
export class ScoreWrites extends TenantRepository<LeadScore> implements OnApplicationBootstrap {
  private readonly logger = new Logger(ScoreWrites.name);

  constructor(@InjectModel(LeadScore.name) model: Model<LeadScore>) {
    super(model);
  }

  /**
   * Drops the indexes older versions built and nothing uses any more (RETIRED_SCORE_INDEXES) where
   * a database has them: every score write would still pay for keeping them. Several processes may
   * try at once; a drop that finds nothing is done. A failure is logged, not fatal: the index only
   * costs time.
   */
  async onApplicationBootstrap(): Promise<void> {
    for (const name of RETIRED_SCORE_INDEXES) {
      try {
        const indexes = await this.model.collection.indexes();
        if (!indexes.some((index) => index.name === name)) continue;
        await this.model.collection.dropIndex(name);
        this.logger.log({ msg: 'dropped a retired index', index: name });
      } catch (error) {
        const code = (error as { code?: number }).code;
        if (code === NAMESPACE_NOT_FOUND || code === INDEX_NOT_FOUND) continue;
        this.logger.warn({
          msg: 'could not drop a retired index',
          index: name,
          error: String(error),
        });
      }
    }
  }

  /**
   * Writes the scores, each conditional on the score read (its lead version and `writeId`:
   * buildScoreWrite); answers how many took. A write whose filter matches nothing inserts (upsert)
   * and collides on `_id` when a score is stored: that is a lost race too, not an error.
   */
  async writeConditionally(
    tenantId: string,
    writes: readonly ScoreWrite[],
    inPlace: ReadonlyMap<ScoreWrite, ScoreFieldsUpdate>,
  ): Promise<number> {
    // An update in place matches only the stored score it was computed from (it never upserts: a
    // half document) and otherwise counts as a lost race, retried from what is stored then. Those
    // of a bounded size (no trained model's explanation, whose factors the lead's attributes
    // decide) go as `update` commands: a batch rescoring's writes, at half the app's CPU.
    const updates: StoredUpdate[] = [];
    const operations: BulkOperation[] = [];
    for (const write of writes) {
      const update = inPlace.get(write);
      if (!update)
        operations.push({
          replaceOne: { filter: write.filter, replacement: write.doc, upsert: true },
        });
      else if (write.doc.breakdown.model === undefined)
        updates.push({ filter: write.filter, update });
      else operations.push({ updateOne: { filter: write.filter, update } });
    }
    const [updated, written] = await Promise.all([
      this.updateInPlace(tenantId, updates),
      this.bulkWriteConditionally(tenantId, operations),
    ]);
    return updated + written;
  }

  /** In-place updates of bounded size (see writeConditionally): how many matched. */
  private async updateInPlace(tenantId: string, updates: StoredUpdate[]): Promise<number> {
    const { matchedCount, writeErrors } = await this.updateStoredByCommands(
      tenantId,
      updates,
      SCORE_UPDATES_PER_COMMAND,
    );
    // Updates of score fields collide with no unique index: a refusal is unexpected, and the
    // score is retried (as a lost race) from what is stored then.
    if (writeErrors.length > 0)
      this.logger.warn({
        msg: 'score writes failed; retrying them',
        count: writeErrors.length,
        error: writeErrors[0].message,
      });
    return matchedCount;
  }

  /** Replacements (upserts) and unbounded updates, through the driver's bulkWrite. */
  private async bulkWriteConditionally(
    tenantId: string,
    operations: BulkOperation[],
  ): Promise<number> {
    if (operations.length === 0) return 0;
    try {
      const result = await this.bulkWriteStored(tenantId, operations);
      return result.matchedCount + result.upsertedCount;
    } catch (error) {
      const failure = error as {
        writeErrors?: { code?: number; err?: { code?: number } }[];
        result?: { matchedCount?: number; upsertedCount?: number };
      };
      const writeErrors = failure.writeErrors ?? [];
      if (writeErrors.length === 0 || typeof failure.result?.matchedCount !== 'number') throw error;
      const unexpected = writeErrors.filter((e) => (e.code ?? e.err?.code) !== DUPLICATE_KEY);
      if (unexpected.length > 0)
        this.logger.warn({
          msg: 'score writes failed; retrying them',
          count: unexpected.length,
          error: String(error),
        });
      return failure.result.matchedCount + (failure.result.upsertedCount ?? 0);
    }
  }

  readScores<P extends Record<string, 0 | 1>>(
    tenantId: string,
    leads: readonly { leadRef: Types.ObjectId }[],
    projection: P,
  ): Promise<StoredScore[]> {
    return this.findByIds(
      tenantId,
      leads.map((lead) => lead.leadRef),
      Object.keys(projection).length > 0 ? projection : { breakdown: 0, searchText: 0 },
    );
  }
}
