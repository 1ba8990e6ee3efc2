import { Inject, Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { Model, QueryFilter, Types } from 'mongoose';

import { EventBus } from '@/common/redis/event-bus.service';
import { TenantRepository } from '@/common/tenancy/tenant-repository';
import { APP_CONFIG } from '@/config/app-config';
import type { ConnectedAppConfig } from '@/config/app-config';

import {
  LEAD_SCORE_CHANGED_TOPIC,
  LeadScoreChangedEvent,
  LeadSnapshot,
  RankedLeadQuery,
  WEIGHTED_SUM_MODEL,
} from './lead-score.types';
import { LeadScore } from './schemas/lead-score.schema';
import { ScoreChangeReason, ScoreHistoryEntry } from './schemas/score-history.schema';
import { tierFor } from './scorer/priority-tier.util';
import { scoreEngagement } from './scorer/score-engagement.util';
import { EffectiveScoringConfig, ScoringConfigService } from './scoring-config.service';

/** What a rescoring needs to know of a lead's current score. */
export type PreviousScore = Pick<
  LeadScore,
  '_id' | 'leadRef' | 'score' | 'tier' | 'configVersion' | 'modelVersion'
>;

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
  private readonly freshnessMs: number;

  constructor(
    @InjectModel(LeadScore.name) model: Model<LeadScore>,
    @InjectModel(ScoreHistoryEntry.name) private readonly history: Model<ScoreHistoryEntry>,
    private readonly configs: ScoringConfigService,
    private readonly events: EventBus,
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
      (await this.find(
        tenantId,
        { leadRef: { $in: snapshots.map((s) => s.leadRef) } },
        {
          projection: { _id: 1, leadRef: 1, score: 1, tier: 1, configVersion: 1, modelVersion: 1 },
        },
      ));
    const previous = new Map(previousDocs.map((doc) => [doc.leadRef.toHexString(), doc]));

    const writes: Record<string, Record<string, unknown>>[] = [];
    const historyEntries: Omit<ScoreHistoryEntry, '_id'>[] = [];
    const events: LeadScoreChangedEvent[] = [];
    for (const snapshot of snapshots) {
      const result = scoreEngagement(snapshot, config.parameters, now);
      const tier = tierFor(result.score, config.thresholds);
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
      };
      writes.push({
        replaceOne: { filter: { leadRef: snapshot.leadRef }, replacement: doc, upsert: true },
      });

      const before = previous.get(snapshot.leadRef.toHexString());
      const modelChanged =
        !before ||
        before.configVersion !== config.version ||
        before.modelVersion !== WEIGHTED_SUM_MODEL.version;
      const delta = before ? Math.abs(result.score - before.score) : Infinity;
      if (modelChanged || delta >= HISTORY_MIN_DELTA) {
        historyEntries.push({
          tenantId: new Types.ObjectId(tenantId),
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

    // Scores first (idempotent replaces), then history and events: a crash in between loses at
    // most history entries of a write that a retry re-derives, never a score.
    await this.bulkWrite(tenantId, writes);
    if (historyEntries.length > 0)
      await this.history.insertMany(historyEntries, { ordered: false });
    await Promise.all(events.map((event) => this.events.publish(LEAD_SCORE_CHANGED_TOPIC, event)));
    return { scored: snapshots.length, changed: events.length };
  }

  /** Recomputes stored scores from the engagement they keep (config changes, decay). */
  async rescoreStored(
    tenantId: string,
    docs: readonly LeadScore[],
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

  /** One page of the ranked list; with `refresh`, stale scores on the page are recomputed first. */
  async findRanked(
    tenantId: string,
    query: RankedLeadQuery,
  ): Promise<{ items: LeadScore[]; total: number }> {
    const filter = this.rankedFilter(tenantId, query);
    const sort: Record<string, 1 | -1> =
      query.sort === 'LAST_ACTIVITY'
        ? { lastActivityAt: -1, leadRef: 1 }
        : { score: -1, leadRef: 1 };
    const read = () =>
      this.model
        .find(filter)
        .sort(sort)
        .skip((query.page - 1) * query.limit)
        .limit(query.limit)
        .lean<LeadScore[]>()
        .exec();
    const [items, total] = await Promise.all([read(), this.model.countDocuments(filter).exec()]);
    if (!query.refresh) return { items, total };

    const stale = items.filter((item) => this.isStale(item));
    if (stale.length === 0) return { items, total };
    await this.rescoreStored(tenantId, stale, ScoreChangeReason.FRESHNESS);
    return { items: await read(), total };
  }

  async findOneByLeadRef(
    tenantId: string,
    leadRef: string,
    refresh = false,
  ): Promise<LeadScore | null> {
    if (!Types.ObjectId.isValid(leadRef)) return null;
    const doc = await this.findOne(tenantId, { leadRef: new Types.ObjectId(leadRef) });
    if (!doc || !refresh || !this.isStale(doc)) return doc;
    await this.rescoreStored(tenantId, [doc], ScoreChangeReason.FRESHNESS);
    return this.findOne(tenantId, { leadRef: new Types.ObjectId(leadRef) });
  }

  async historyOf(
    tenantId: string,
    leadRef: Types.ObjectId,
    limit: number,
  ): Promise<ScoreHistoryEntry[]> {
    return this.history
      .find({ tenantId: new Types.ObjectId(tenantId), leadRef })
      .sort({ at: -1, _id: -1 })
      .limit(limit)
      .lean<ScoreHistoryEntry[]>()
      .exec();
  }

  isStale(doc: Pick<LeadScore, 'computedAt'>, now = Date.now()): boolean {
    return now - doc.computedAt.getTime() > this.freshnessMs;
  }

  /** Next chunk of a batch, in leadRef order, after `afterRef`. */
  nextChunk(
    tenantId: string,
    filter: Pick<RankedLeadQuery, 'minScore' | 'ownerId' | 'status'> & { staleBefore?: Date },
    afterRef: Types.ObjectId | null,
    size: number,
  ): Promise<LeadScore[]> {
    const base = this.rankedFilter(tenantId, filter) as Record<string, unknown>;
    if (afterRef) base.leadRef = { $gt: afterRef };
    if (filter.staleBefore) base.computedAt = { $lt: filter.staleBefore };
    return this.model.find(base).sort({ leadRef: 1 }).limit(size).lean<LeadScore[]>().exec();
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

export function toSnapshot(doc: LeadScore): LeadSnapshot {
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
