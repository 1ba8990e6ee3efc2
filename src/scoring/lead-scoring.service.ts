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
  LeadScoreChangedEvent,
  LeadSnapshot,
  RankedLeadQuery,
  WEIGHTED_SUM_MODEL,
} from './lead-score.types';
import { RankingEntry, ScoreRankingIndex, toRankingEntry } from './ranking/score-ranking.index';
import { LeadScore } from './schemas/lead-score.schema';
import { historyIdFor, ScoreChangeReason, ScoreHistoryEntry } from './schemas/score-history.schema';
import { tierFor } from './scorer/priority-tier.util';
import { scoreEngagement } from './scorer/score-engagement.util';
import { EffectiveScoringConfig, ScoringConfigService } from './scoring-config.service';

/** What a rescoring needs to know of a lead's current score. */
export type PreviousScore = Pick<
  LeadScore,
  '_id' | 'leadRef' | 'score' | 'tier' | 'configVersion' | 'modelVersion' | 'historyCount'
>;

const PREVIOUS_PROJECTION = {
  _id: 1,
  leadRef: 1,
  score: 1,
  tier: 1,
  configVersion: 1,
  modelVersion: 1,
  historyCount: 1,
} as const;

/** A stored score as rescoring reads it: everything but what it recomputes. */
export type StoredScore = Omit<LeadScore, 'breakdown' | 'searchText'>;

type ChunkFilter = Pick<RankedLeadQuery, 'minScore' | 'ownerId' | 'status'> & {
  staleBefore?: Date;
};

export interface ScoringOutcome {
  readonly scored: number;
  readonly changed: number;
}

const HISTORY_MIN_DELTA = 1;

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
    const previousDocs =
      options.previous ??
      (await this.findByIds(
        tenantId,
        snapshots.map((s) => s.leadRef),
        PREVIOUS_PROJECTION,
      ));
    const previous = new Map(previousDocs.map((doc) => [doc.leadRef.toHexString(), doc]));

    const writes: Record<string, Record<string, unknown>>[] = [];
    const rankingEntries: RankingEntry[] = [];
    const historyEntries: ScoreHistoryEntry[] = [];
    const events: LeadScoreChangedEvent[] = [];
    const tenant = new Types.ObjectId(tenantId);
    for (const snapshot of snapshots) {
      const result = scoreEngagement(snapshot, config.parameters, now);
      const tier = tierFor(result.score, config.thresholds);
      const before = previous.get(snapshot.leadRef.toHexString());
      const modelChanged =
        !before ||
        before.configVersion !== config.version ||
        before.modelVersion !== WEIGHTED_SUM_MODEL.version;
      const delta = before ? Math.abs(result.score - before.score) : Infinity;
      const recordHistory = modelChanged || delta >= HISTORY_MIN_DELTA;
      const historyCount = (before?.historyCount ?? 0) + (recordHistory ? 1 : 0);
      const doc: Omit<LeadScore, '_id' | 'tenantId'> = {
        leadRef: snapshot.leadRef,
        leadId: snapshot.leadId,
        name: snapshot.name,
        email: snapshot.email,
        ownerId: snapshot.ownerId,
        status: snapshot.status,
        searchText: [snapshot.leadId, snapshot.name, snapshot.email]
          .filter(Boolean)
          .join(' ')
          .toLowerCase(),
        emailOpens: snapshot.emailOpens,
        websiteVisits: snapshot.websiteVisits,
        timeSpentSeconds: snapshot.timeSpentSeconds,
        lastActivityAt: snapshot.lastActivityAt,
        score: result.score,
        tier,
        breakdown: {
          rawScore: result.rawScore,
          decayFactor: result.decayFactor,
          daysSinceLastActivity: result.daysSinceLastActivity,
          terms: result.terms.map((term) => ({ ...term })),
        },
        configVersion: config.version,
        modelId: WEIGHTED_SUM_MODEL.id,
        modelVersion: WEIGHTED_SUM_MODEL.version,
        computedAt: now,
        historyCount,
      };
      // The score's _id is the lead's: keyed reads and writes hit the _id index on every engine.
      writes.push({
        replaceOne: { filter: { _id: snapshot.leadRef }, replacement: doc, upsert: true },
      });
      rankingEntries.push(toRankingEntry({ ...doc, _id: snapshot.leadRef, tenantId: tenant }));

      if (recordHistory) {
        historyEntries.push({
          _id: historyIdFor(tenant, snapshot.leadRef, historyCount),
          seq: historyCount,
          tenantId: tenant,
          leadRef: snapshot.leadRef,
          score: result.score,
          previousScore: before?.score ?? null,
          reason,
          configVersion: config.version,
          modelVersion: WEIGHTED_SUM_MODEL.version,
          at: now,
        });
      }
      // Same rule as history: a point or more, a new tier or a new model. Decay moves every score a
      // little all the time; subscribers hear of the moves that matter, not of each hundredth.
      const tierChanged = !before || before.tier !== tier;
      if (modelChanged || tierChanged || delta >= HISTORY_MIN_DELTA) {
        events.push({
          tenantId,
          leadRef: snapshot.leadRef.toHexString(),
          leadId: snapshot.leadId,
          ownerId: snapshot.ownerId,
          score: result.score,
          previousScore: before?.score ?? null,
          tier,
          reason,
          configVersion: config.version,
          at: now.toISOString(),
        });
      }
    }

    // Scores first (idempotent replaces), then the ranking index, history and events: a crash in
    // between loses at most history entries of a write that a retry re-derives, never a score
    // (and the index heals: see ScoreRankingIndex).
    await this.bulkWriteStored(tenantId, writes);
    await Promise.all([
      this.ranking.apply(tenantId, rankingEntries),
      historyEntries.length > 0 ? this.insertHistory(historyEntries) : undefined,
    ]);
    // After the index: a subscriber that reloads its list on an event sees the new rank. One
    // message for the whole batch: a rescoring of 100,000 leads is 100 messages, not 100,000.
    if (events.length > 0)
      await this.events.publish<LeadScoreChangedBatch>(LEAD_SCORE_CHANGED_TOPIC, { events });
    return { scored: snapshots.length, changed: events.length };
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
  };
}
