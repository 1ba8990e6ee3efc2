import { Injectable, Logger } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { Model, Types } from 'mongoose';

import { BulkOperation, StoredUpdate, TenantRepository } from '@/common/tenancy/tenant-repository';

import type { StoredScore } from './lead-scoring.service';
import { LeadScore } from './schemas/lead-score.schema';
import { ScoreWrite, scoreFieldsUpdate } from './score-write.util';

/**
 * In-place score updates per `update` command (writeConditionally). Each statement's size is
 * bounded: the filter and the score's fields, a weighted sum's breakdown (one term per engagement
 * feature), at most 366 trend points (SCORE_TREND_WINDOW_DAYS ≤ 365, ~36 bytes each) and an
 * override (a reason of at most 500 characters): under 17 KB, so 500 of them stay under half of the
 * 16 MB a command may be.
 */
const SCORE_UPDATES_PER_COMMAND = 500;

const DUPLICATE_KEY = 11000;

/**
 * LeadScoringService's reads and writes of `leadScores`: its conditional score writes (updates in
 * place as `update` commands, replacements through bulkWrite) and its reads of stored scores by
 * lead.
 */
@Injectable()
export class ScoreWrites extends TenantRepository<LeadScore> {
  private readonly logger = new Logger(ScoreWrites.name);

  constructor(@InjectModel(LeadScore.name) model: Model<LeadScore>) {
    super(model);
  }

  /**
   * Writes the scores, each conditional on the lead version read; answers how many took. A write
   * whose filter matches nothing inserts (upsert) and collides on `_id` when another version is
   * stored: that is a lost race too, not an error.
   */
  async writeConditionally(
    tenantId: string,
    writes: readonly ScoreWrite[],
    inPlace: ReadonlySet<ScoreWrite>,
  ): Promise<number> {
    // An update in place matches only the stored score it was computed from (it never upserts: a
    // half document) and otherwise counts as a lost race, retried from what is stored then. Those
    // of a bounded size (no trained model's explanation, whose factors the lead's attributes
    // decide) go as `update` commands: a batch rescoring's writes, at half the app's CPU.
    const updates: StoredUpdate[] = [];
    const operations: BulkOperation[] = [];
    for (const write of writes) {
      if (!inPlace.has(write))
        operations.push({
          replaceOne: { filter: write.filter, replacement: write.doc, upsert: true },
        });
      else if (write.doc.breakdown.model === undefined)
        updates.push({ filter: write.filter, update: scoreFieldsUpdate(write.doc) });
      else
        operations.push({
          updateOne: { filter: write.filter, update: scoreFieldsUpdate(write.doc) },
        });
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
