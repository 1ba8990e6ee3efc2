import { Inject, Injectable, Logger } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { Model, QueryFilter, Types } from 'mongoose';

import { EventBus } from '@/common/redis/event-bus.service';
import { TenantRepository } from '@/common/tenancy/tenant-repository';
import { APP_CONFIG } from '@/config/app-config';
import type { ConnectedAppConfig } from '@/config/app-config';

import {
  LEAD_SCORE_CHANGED_TOPIC,
  LeadScoreChangedBatch,
  LeadSnapshot,
  RankedLeadQuery,
} from './lead-score.types';
import { ScoreRankingIndex, toRankingEntry } from './ranking/score-ranking.index';
import { LeadScore } from './schemas/lead-score.schema';
import { historyIdFor, ScoreChangeReason, ScoreHistoryEntry } from './schemas/score-history.schema';
import {
  buildScoreWrite,
  PREVIOUS_PROJECTION,
  PreviousScore,
  ScoreWrite,
} from './score-write.util';
import { EffectiveScoringConfig, ScoringConfigService } from './scoring-config.service';

/** A stored score as rescoring reads it: everything but what it recomputes. */
export type StoredScore = Omit<LeadScore, 'breakdown' | 'searchText'>;

type ChunkFilter = Pick<RankedLeadQuery, 'minScore' | 'ownerId' | 'status'> & {
  staleBefore?: Date;
};

export interface ScoringOutcome {
  readonly scored: number;
  readonly changed: number;
}

/** Rounds of conditional writes and re-reads before lost races are given up (and logged). */
const MAX_WRITE_ATTEMPTS = 5;
const DUPLICATE_KEY = 11000;

function escapeRegex(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * Scores leads and keeps `leadScores` (the ranked read model), `scoreHistory` and the
 * `leadScoreChanged` events in step. Every write path (interactions, lead updates, config changes,
 * batch jobs, freshness) goes through `scoreSnapshots`.
 */
@Injectable()
export class LeadScoringService extends TenantRepository<LeadScore> {
  private readonly logger = new Logger(LeadScoringService.name);
  private readonly freshnessMs: number;

  constructor(
    @InjectModel(LeadScore.name) model: Model<LeadScore>,
    @InjectModel(ScoreHistoryEntry.name) private readonly history: Model<ScoreHistoryEntry>,
    private readonly configs: ScoringConfigService,
    private readonly events: EventBus,
    private readonly ranking: ScoreRankingIndex,
    @Inject(APP_CONFIG) config: ConnectedAppConfig,
  ) {
    super(model);
    this.freshnessMs = config.scoring.freshnessMinutes * 60_000;
  }

  async scoreSnapshots(
    tenantId: string,
    snapshots: readonly LeadSnapshot[],
    reason: ScoreChangeReason,
    options: {
      config?: EffectiveScoringConfig;
      now?: Date;
      previous?: readonly PreviousScore[];
    } = {},
  ): Promise<ScoringOutcome> {
    if (snapshots.length === 0) return { scored: 0, changed: 0 };
    const config = options.config ?? (await this.configs.current(tenantId));
    const now = options.now ?? new Date();
    const tenant = new Types.ObjectId(tenantId);
    let pending = snapshots;
    let previousDocs =
      options.previous ?? (await this.readScores(tenantId, pending, PREVIOUS_PROJECTION));
    const won: ScoreWrite[] = [];
    for (let attempt = 1; pending.length > 0; attempt++) {
      const previous = new Map(previousDocs.map((doc) => [doc.leadRef.toHexString(), doc]));
      const writes: ScoreWrite[] = [];
      for (const snapshot of pending) {
        const before = previous.get(snapshot.leadRef.toHexString());
        // A score from a newer version of the lead is stored already: this snapshot is stale.
        if (before && before.leadVersion > snapshot.version) continue;
        writes.push(buildScoreWrite({ tenantId: tenant, snapshot, before, config, reason, now }));
      }
      if (writes.length === 0) break;
      const written = await this.writeConditionally(tenantId, writes);
      if (written === writes.length) {
        won.push(...writes);
        break;
      }
      // Lost races (a write of the same lead in between): see what is stored now. Ours are the
      // scores computed at `now` from our version; the others are scored again from what won.
      const current = await this.readScores(
        tenantId,
        writes.map((write) => write.doc),
        {},
      );
      const stored = new Map(current.map((doc) => [doc.leadRef.toHexString(), doc]));
      const retry: LeadSnapshot[] = [];
      for (const write of writes) {
        const doc = stored.get(write.doc.leadRef.toHexString());
        if (
          doc &&
          doc.computedAt.getTime() === now.getTime() &&
          doc.leadVersion === write.doc.leadVersion
        ) {
          won.push(write);
        } else if (doc && doc.leadVersion > write.doc.leadVersion) {
          // Newer engagement won: score it again only if it was scored with another config.
          if (doc.configVersion !== config.version) retry.push(toSnapshot(doc));
        } else {
          retry.push(pendingSnapshot(pending, write));
        }
      }
      if (attempt === MAX_WRITE_ATTEMPTS && retry.length > 0) {
        this.logger.warn({
          msg: 'score writes kept losing races; left to the next pass',
          tenantId,
          count: retry.length,
        });
        break;
      }
      pending = retry;
      previousDocs = current;
    }
    return this.afterScoresWritten(tenantId, won);
  }

  /** The ranking index, history and events of the score writes that won. */
  private async afterScoresWritten(
    tenantId: string,
    won: readonly ScoreWrite[],
  ): Promise<ScoringOutcome> {
    const tenant = new Types.ObjectId(tenantId);
    const historyEntries = won.flatMap((write) => (write.history ? [write.history] : []));
    const events = won.flatMap((write) => (write.event ? [write.event] : []));
    await Promise.all([
      this.ranking.apply(
        tenantId,
        won.map((write) =>
          toRankingEntry({ ...write.doc, _id: write.doc.leadRef, tenantId: tenant }),
        ),
      ),
      historyEntries.length > 0 ? this.insertHistory(historyEntries) : undefined,
    ]);
    // After the index: a subscriber that reloads its list on an event sees the new rank. One
    // message for the whole batch: a rescoring of 100,000 leads is 100 messages, not 100,000.
    if (events.length > 0)
      await this.events.publish<LeadScoreChangedBatch>(LEAD_SCORE_CHANGED_TOPIC, { events });
    return { scored: won.length, changed: events.length };
  }

  /**
   * Writes the scores, each conditional on the lead version read; answers how many took. A write
   * whose filter matches nothing inserts (upsert) and collides on `_id` when another version is
   * stored: that is a lost race too, not an error.
   */
  private async writeConditionally(
    tenantId: string,
    writes: readonly ScoreWrite[],
  ): Promise<number> {
    const operations = writes.map((write) => ({
      replaceOne: { filter: write.filter, replacement: write.doc, upsert: true },
    }));
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

  private readScores<P extends Record<string, 0 | 1>>(
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

  /** Recomputes stored scores from the engagement they keep (config changes, decay). */
  async rescoreStored(
    tenantId: string,
    docs: readonly StoredScore[],
    reason: ScoreChangeReason,
    options: { config?: EffectiveScoringConfig; now?: Date } = {},
  ): Promise<ScoringOutcome> {
    return this.scoreSnapshots(tenantId, docs.map(toSnapshot), reason, {
      ...options,
      previous: docs,
    });
  }

  rankedFilter(
    tenantId: string,
    query: Pick<RankedLeadQuery, 'minScore' | 'ownerId' | 'status' | 'search'>,
  ): QueryFilter<LeadScore> {
    const filter: Record<string, unknown> = {};
    if (query.minScore !== undefined) filter.score = { $gte: query.minScore };
    if (query.ownerId !== undefined) filter.ownerId = query.ownerId;
    if (query.status !== undefined) filter.status = query.status;
    if (query.search) filter.searchText = { $regex: escapeRegex(query.search.toLowerCase()) };
    return this.scope(tenantId, filter);
  }

  /**
   * One page of the ranked list; with `refresh`, stale scores on the page are recomputed first.
   * Pages come from the Redis ranking index when it can answer, else from MongoDB (which also
   * schedules the index's rebuild when it is missing).
   */
  async findRanked(
    tenantId: string,
    query: RankedLeadQuery,
  ): Promise<{ items: LeadScore[]; total: number }> {
    const first = await this.readRanked(tenantId, query);
    if (!query.refresh) return first;
    const stale = first.items.filter((item) => this.isStale(item));
    if (stale.length === 0) return first;
    await this.rescoreStored(tenantId, stale, ScoreChangeReason.FRESHNESS);
    return this.readRanked(tenantId, query);
  }

  private async readRanked(
    tenantId: string,
    query: RankedLeadQuery,
  ): Promise<{ items: LeadScore[]; total: number }> {
    const offset = (query.page - 1) * query.limit;
    if (query.status === undefined && !query.search) {
      const page = await this.ranking
        .page(tenantId, {
          sort: query.sort,
          ownerId: query.ownerId,
          minScore: query.minScore,
          offset,
          limit: query.limit,
        })
        .catch(() => null);
      if (page && !page.incomplete) return page;
      if (page?.incomplete) {
        // The index names scores it does not hold: rebuild it, answer from MongoDB.
        this.logger.warn({ msg: 'ranking index out of step', tenantId });
        await this.ranking.invalidate(tenantId).catch(() => undefined);
      }
      this.ranking.requestRebuild(tenantId);
    }
    const filter = this.rankedFilter(tenantId, query);
    const sort: Record<string, 1 | -1> =
      query.sort === 'LAST_ACTIVITY'
        ? { lastActivityAt: -1, leadRef: 1 }
        : { score: -1, leadRef: 1 };
    const [items, total] = await Promise.all([
      this.model.find(filter).sort(sort).skip(offset).limit(query.limit).lean<LeadScore[]>().exec(),
      this.model.countDocuments(filter).exec(),
    ]);
    return { items, total };
  }

  async findOneByLeadRef(
    tenantId: string,
    leadRef: string,
    refresh = false,
  ): Promise<LeadScore | null> {
    const doc = await this.findById(tenantId, leadRef);
    if (!doc || !refresh || !this.isStale(doc)) return doc;
    await this.rescoreStored(tenantId, [doc], ScoreChangeReason.FRESHNESS);
    return this.findById(tenantId, leadRef);
  }

  /** The latest entries of a lead's history, newest first, by their derived ids. */
  async historyOf(
    tenantId: string,
    score: Pick<LeadScore, 'leadRef' | 'historyCount'>,
    limit: number,
  ): Promise<ScoreHistoryEntry[]> {
    const count = score.historyCount ?? 0;
    const ids: Types.ObjectId[] = [];
    for (let seq = count; seq >= 1 && ids.length < limit; seq--) {
      ids.push(historyIdFor(tenantId, score.leadRef, seq));
    }
    if (ids.length === 0) return [];
    const docs = await this.history
      .find({ _id: { $in: ids } })
      .lean<ScoreHistoryEntry[]>()
      .exec();
    const bySeq = new Map(
      docs.filter((doc) => doc.tenantId.toHexString() === tenantId).map((doc) => [doc.seq, doc]),
    );
    return ids.flatMap((_, i) => bySeq.get(count - i) ?? []);
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

  isStale(doc: Pick<LeadScore, 'computedAt'>, now = Date.now()): boolean {
    return now - doc.computedAt.getTime() > this.freshnessMs;
  }

  /**
   * The tenant's scores matching a filter, in lead order, after `afterRef`, in chunks. One query
   * and a driver cursor for the whole walk: a query per chunk would sort the collection once per
   * chunk on an engine that does not use the index. `withBreakdown: false` leaves out what a
   * rescoring recomputes anyway (the breakdown, the search text): half the bytes to read.
   */
  chunks(
    tenantId: string,
    filter: ChunkFilter,
    afterRef: Types.ObjectId | null,
    size: number,
    options: { withBreakdown: false },
  ): AsyncGenerator<StoredScore[]>;
  chunks(
    tenantId: string,
    filter: ChunkFilter,
    afterRef: Types.ObjectId | null,
    size: number,
    options?: { withBreakdown: true },
  ): AsyncGenerator<LeadScore[]>;
  async *chunks(
    tenantId: string,
    filter: ChunkFilter,
    afterRef: Types.ObjectId | null,
    size: number,
    { withBreakdown = true }: { withBreakdown?: boolean } = {},
  ): AsyncGenerator<StoredScore[]> {
    const base = this.rankedFilter(tenantId, filter) as Record<string, unknown>;
    if (afterRef) base._id = { $gt: afterRef };
    if (filter.staleBefore) base.computedAt = { $lt: filter.staleBefore };
    const cursor = this.model.collection.find<StoredScore>(base, {
      sort: { _id: 1 },
      batchSize: size,
      ...(withBreakdown ? {} : { projection: { breakdown: 0, searchText: 0 } }),
    });
    try {
      let chunk: StoredScore[] = [];
      for await (const doc of cursor) {
        chunk.push(doc);
        if (chunk.length === size) {
          yield chunk;
          chunk = [];
        }
      }
      if (chunk.length > 0) yield chunk;
    } finally {
      await cursor.close();
    }
  }

  countMatching(
    tenantId: string,
    filter: Pick<RankedLeadQuery, 'minScore' | 'ownerId' | 'status'>,
  ): Promise<number> {
    return this.model.countDocuments(this.rankedFilter(tenantId, filter)).exec();
  }

  /** Tenants that have scores older than `before` (for the freshness job). */
  async tenantsWithStaleScores(before: Date): Promise<string[]> {
    const ids = await this.model.distinct('tenantId', { computedAt: { $lt: before } }).exec();
    return ids.map((id) => id.toHexString());
  }
}

/** The snapshot a write was built from (the write keeps its values, not the snapshot itself). */
function pendingSnapshot(pending: readonly LeadSnapshot[], write: ScoreWrite): LeadSnapshot {
  return pending.find((snapshot) => snapshot.leadRef.equals(write.doc.leadRef))!;
}

export function toSnapshot(doc: StoredScore): LeadSnapshot {
  return {
    leadRef: doc.leadRef,
    leadId: doc.leadId,
    name: doc.name,
    email: doc.email,
    ownerId: doc.ownerId,
    status: doc.status,
    emailOpens: doc.emailOpens,
    websiteVisits: doc.websiteVisits,
    timeSpentSeconds: doc.timeSpentSeconds,
    lastActivityAt: doc.lastActivityAt,
    version: doc.leadVersion,
  };
}
