import { Injectable, Logger } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { Model, Types } from 'mongoose';

import { EventBus } from '@/common/redis/event-bus.service';

import {
  LEAD_SCORE_CHANGED_TOPIC,
  LeadScoreChangedBatch,
  LeadScoreChangedEvent,
} from './lead-score.types';
import type { ScoringOutcome, StoredScore } from './lead-scoring.service';
import { ScoreRankingIndex, toRankingEntry } from './ranking/score-ranking.index';
import { historyIdFor, ScoreChangeReason, ScoreHistoryEntry } from './schemas/score-history.schema';
import type { ScoreWrite } from './score-write.util';
import { ScoringMetrics } from './scoring-metrics';

/**
 * What follows the score writes that won (LeadScoringService): the ranking index, the history
 * entries and one `leadScoreChanged` message per batch; and, for a batch job resumed after its
 * worker died, the part of that a dead writer may have left undone.
 */
@Injectable()
export class ScoreWriteEffects {
  private readonly logger = new Logger(ScoreWriteEffects.name);

  constructor(
    @InjectModel(ScoreHistoryEntry.name) private readonly history: Model<ScoreHistoryEntry>,
    private readonly events: EventBus,
    private readonly ranking: ScoreRankingIndex,
    private readonly metrics: ScoringMetrics,
  ) {}

  /** The ranking index, history and events of the score writes that won. */
  async afterWritten(tenantId: string, won: readonly ScoreWrite[]): Promise<ScoringOutcome> {
    const historyEntries = won.flatMap((write) => (write.history ? [write.history] : []));
    const events = won.flatMap((write) => (write.event ? [write.event] : []));
    await Promise.all([
      this.metrics.timed('ranking_index', () =>
        this.ranking.apply(
          tenantId,
          won.map((write) => toRankingEntry(write.doc)),
        ),
      ),
      historyEntries.length > 0
        ? this.metrics.timed('history', () => this.insertHistory(historyEntries))
        : undefined,
    ]);
    // After the index: a subscriber that reloads its list on an event sees the new rank. One
    // message for the whole batch: a rescoring of 100,000 leads is 100 messages, not 100,000.
    if (events.length > 0)
      await this.metrics.timed('events', () =>
        this.events.publish<LeadScoreChangedBatch>(LEAD_SCORE_CHANGED_TOPIC, { events }),
      );
    return { scored: won.length, changed: events.length };
  }

  /**
   * What a dead writer may have left undone after its score writes: the history entry each score
   * counts (`historyCount`), the ranking index and the events. Answers how many were this job's.
   */
  async finishWritten(
    tenantId: string,
    docs: readonly StoredScore[],
    reason: ScoreChangeReason,
    since: Date,
  ): Promise<number> {
    const tenant = new Types.ObjectId(tenantId);
    const counted = docs.filter((doc) => doc.historyCount > 0);
    const ids = counted.map((doc) => historyIdFor(tenant, doc.leadRef, doc.historyCount));
    const entries = await this.history
      .find({ _id: { $in: ids } })
      .lean<ScoreHistoryEntry[]>()
      .exec();
    const bySeqOf = new Map(entries.map((entry) => [entry._id.toHexString(), entry]));
    const missing: ScoreHistoryEntry[] = [];
    const events: LeadScoreChangedEvent[] = [];
    counted.forEach((doc, i) => {
      let entry = bySeqOf.get(ids[i].toHexString());
      if (!entry) {
        // The score counts an entry the crash took: restore it (the previous score is unknown).
        entry = {
          _id: ids[i],
          seq: doc.historyCount,
          tenantId: tenant,
          leadRef: doc.leadRef,
          score: doc.score,
          previousScore: null,
          reason,
          configVersion: doc.configVersion,
          modelVersion: doc.modelVersion,
          at: doc.computedAt,
        };
        missing.push(entry);
      }
      if (entry.reason !== reason || entry.at < since) return;
      events.push({
        tenantId,
        leadRef: doc.leadRef.toHexString(),
        leadId: doc.leadId,
        ownerId: doc.ownerId,
        score: doc.score,
        previousScore: entry.previousScore,
        tier: doc.tier,
        reason,
        configVersion: doc.configVersion,
        at: doc.computedAt.toISOString(),
      });
    });
    // The index keeps rows, which a rescoring's read (RESCORING_READ) holds whole.
    await Promise.all([
      this.ranking.apply(
        tenantId,
        docs.map((doc) => toRankingEntry(doc)),
      ),
      missing.length > 0 ? this.insertHistory(missing) : undefined,
    ]);
    if (events.length > 0)
      await this.events.publish<LeadScoreChangedBatch>(LEAD_SCORE_CHANGED_TOPIC, { events });
    return events.length;
  }

  /**
   * Two writers scoring the same lead at the same moment number their entries alike: the second
   * one's entry is refused by the unique `_id` and dropped (its score write stands).
   */
  private async insertHistory(entries: ScoreHistoryEntry[]): Promise<void> {
    try {
      await this.history.collection.insertMany(entries, { ordered: false });
    } catch (error) {
      const writeErrors = (error as { writeErrors?: { code?: number }[] }).writeErrors;
      if (!writeErrors || writeErrors.some((e) => e.code !== 11000)) throw error;
      this.logger.warn({
        msg: 'score history entries lost to concurrent writers',
        count: writeErrors.length,
      });
    }
  }
}
