import { Inject, Injectable, Logger } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { Model, QueryFilter, Types } from 'mongoose';

import { TenantRepository } from '@/common/tenancy/tenant-repository';
import { APP_CONFIG } from '@/config/app-config';
import type { ConnectedAppConfig } from '@/config/app-config';
import { MetricsService } from '@/metrics/metrics.service';

import { RankedLeadQuery } from './lead-score.types';
import { rankedScoreFilter } from './ranked-score-filter.util';
import { LeadScoringService, StoredScore } from './lead-scoring.service';
import { ScoreOverrideService } from './override/score-override.service';
import { isOverrideActive } from './override/score-override.util';
import type { ScoreRow } from './ranking/score-doc.codec';
import { needsRebuild, RankingMiss, ScoreRankingIndex } from './ranking/score-ranking.index';
import { LeadScore } from './schemas/lead-score.schema';
import { historyIdFor, ScoreChangeReason, ScoreHistoryEntry } from './schemas/score-history.schema';
import { ScoringMetrics } from './scoring-metrics';
import { TrendSettings } from './trend/score-trend.util';

/** Why a page of the ranked list was read from MongoDB (the `reason` of `rankedPages`). */
type RankedPageFallback = RankingMiss | 'filtered' | 'error';

/** Why a read answered with cached scores rather than fresh ones. */
export type DegradedReason = 'REFRESH_TIMEOUT' | 'REFRESH_FAILED';

/** A page of the ranked list: rows or whole scores (see `findRanked`). */
export interface RankedPage<T extends ScoreRow> {
  readonly items: T[];
  readonly total: number;
  readonly degraded?: DegradedReason;
}

/** An override whose end has passed (its expiry not written yet): the page shows the model's score. */
function hasLapsedOverride(item: ScoreRow, now: Date): boolean {
  return !!item.override && !isOverrideActive(item.override, now);
}

/**
 * The read side of `leadScores`: the ranked list (from the Redis ranking index when it can answer),
 * one lead's score and history. Writes are LeadScoringService's; whole-tenant walks ScoreWalks'.
 */
@Injectable()
export class LeadScoreQueries extends TenantRepository<LeadScore> {
  private readonly logger = new Logger(LeadScoreQueries.name);
  private readonly freshnessMs: number;
  private readonly refreshBudgetMs: number;
  /** How the lead view reads a trend (toLeadModel's `trend`): the deployment's configuration. */
  readonly trendSettings: TrendSettings;

  constructor(
    @InjectModel(LeadScore.name) model: Model<LeadScore>,
    @InjectModel(ScoreHistoryEntry.name) private readonly history: Model<ScoreHistoryEntry>,
    private readonly scoring: LeadScoringService,
    private readonly ranking: ScoreRankingIndex,
    private readonly metrics: MetricsService,
    private readonly scoringMetrics: ScoringMetrics,
    private readonly overrides: ScoreOverrideService,
    @Inject(APP_CONFIG) config: ConnectedAppConfig,
  ) {
    super(model);
    this.freshnessMs = config.scoring.freshnessMinutes * 60_000;
    this.refreshBudgetMs = config.scoring.refreshBudgetMs;
    this.trendSettings = {
      windowDays: config.scoring.trendWindowDays,
      minChange: config.scoring.trendMinChange,
    };
  }

  rankedFilter(
    tenantId: string,
    query: Pick<RankedLeadQuery, 'minScore' | 'ownerId' | 'status' | 'search'>,
  ): QueryFilter<LeadScore> {
    return this.scope(tenantId, rankedScoreFilter(query));
  }

  /**
   * One page of the ranked list: rows (ScoreRow: what a row shows), or whole stored scores with
   * `detail` or `refresh`; with `refresh`, stale scores on the page are recomputed first.
   * Pages come from the Redis ranking index when it can answer, else from MongoDB (which also
   * schedules the index's rebuild when it is missing, not when the query is one it does not keep).
   */
  async findRanked(
    tenantId: string,
    query: RankedLeadQuery & { detail: true },
  ): Promise<RankedPage<LeadScore>>;
  async findRanked(tenantId: string, query: RankedLeadQuery): Promise<RankedPage<ScoreRow>>;
  async findRanked(tenantId: string, query: RankedLeadQuery): Promise<RankedPage<ScoreRow>> {
    const detail = query.detail === true || query.refresh;
    const first = await this.readCurrent(tenantId, query, detail);
    if (!query.refresh) return first;
    // With refresh the page holds whole scores (`detail`).
    const stale = (first.items as LeadScore[]).filter((item) => this.isStale(item));
    if (stale.length === 0) return first;
    const degraded = await this.refreshWithin(tenantId, stale);
    return degraded ? { ...first, degraded } : this.readRanked(tenantId, query, true);
  }

  /** A page, read again when it held overrides that had lapsed (their expiry written first). */
  private async readCurrent(
    tenantId: string,
    query: RankedLeadQuery,
    detail: boolean,
  ): Promise<RankedPage<ScoreRow>> {
    const page = await this.readRanked(tenantId, query, detail);
    const now = new Date();
    const lapsed = page.items.filter((item) => hasLapsedOverride(item, now));
    if (lapsed.length === 0) return page;
    const docs = detail
      ? (lapsed as LeadScore[])
      : await this.findByIds(
          tenantId,
          lapsed.map((item) => item._id),
        );
    const expired = await this.overrides.expireLapsed(tenantId, docs, now);
    return expired > 0 ? this.readRanked(tenantId, query, detail) : page;
  }

  /** Scores by lead, with lapsed overrides expired first (the view hides them anyway). */
  async findCurrentByIds(tenantId: string, refs: readonly Types.ObjectId[]): Promise<LeadScore[]> {
    const docs = await this.findByIds(tenantId, [...refs]);
    const expired = await this.overrides.expireLapsed(tenantId, docs);
    return expired > 0 ? this.findByIds(tenantId, [...refs]) : docs;
  }

  /**
   * Recomputes stale scores, waiting at most SCORING_REFRESH_BUDGET_MS: a slow engine or scorer
   * must not turn a read into a timeout. Past the budget (or on failure) the caller serves the
   * cached scores and says so; the recomputation carries on and lands when it can.
   */
  private async refreshWithin(
    tenantId: string,
    stale: readonly StoredScore[],
  ): Promise<DegradedReason | undefined> {
    const refreshing = this.scoring
      .rescoreStored(tenantId, stale, ScoreChangeReason.FRESHNESS)
      .then(() => undefined);
    let timer: NodeJS.Timeout | undefined;
    const budget = new Promise<DegradedReason>((resolve) => {
      timer = setTimeout(() => resolve('REFRESH_TIMEOUT'), this.refreshBudgetMs);
    });
    try {
      const degraded = await Promise.race([refreshing, budget]);
      this.scoringMetrics.staleReads.inc(
        { outcome: degraded ? 'served_stale' : 'recomputed' },
        stale.length,
      );
      return degraded;
    } catch (error) {
      this.logger.warn({
        msg: 'refresh failed; cached scores served',
        tenantId,
        error: String(error),
      });
      this.scoringMetrics.staleReads.inc({ outcome: 'served_stale' }, stale.length);
      return 'REFRESH_FAILED';
    } finally {
      clearTimeout(timer);
      refreshing.catch(() => undefined);
    }
  }

  /**
   * A page from the index when it can answer (rows; with `detail` the page's whole scores, read by
   * their ids), else from MongoDB (whole scores).
   */
  private async readRanked(
    tenantId: string,
    query: RankedLeadQuery,
    detail: boolean,
  ): Promise<RankedPage<ScoreRow>> {
    const offset = (query.page - 1) * query.limit;
    let reason: RankedPageFallback = 'filtered';
    if (query.status === undefined && !query.search) {
      try {
        const page = await this.ranking.page(tenantId, {
          sort: query.sort,
          order: query.order ?? 'DESC',
          ownerId: query.ownerId,
          minScore: query.minScore,
          offset,
          limit: query.limit,
        });
        let miss: RankingMiss;
        if (page.served) {
          const items = detail ? await this.wholeScores(tenantId, page.items) : page.items;
          if (items) {
            this.metrics.rankedPages.inc({ source: 'redis' });
            return { items, total: page.total };
          }
          // A lead of the index that MongoDB does not have: out of step.
          await this.ranking.invalidate(tenantId).catch(() => undefined);
          miss = 'incomplete';
        } else {
          miss = page.reason;
        }
        reason = miss;
        // Only an index that is not complete is rebuilt: a query it does not keep (`unservable`)
        // says nothing about its state.
        if (needsRebuild(miss)) {
          if (miss === 'incomplete')
            this.logger.warn({ msg: 'ranking index out of step', tenantId });
          this.ranking.requestRebuild(tenantId);
        }
      } catch (error) {
        // Redis did not answer: nothing says the index is wrong, and a rebuild could not be queued.
        // Counted (reason `error`), logged at debug level only: an outage would log every read.
        reason = 'error';
        this.logger.debug({ msg: 'ranking index unreachable', tenantId, error: String(error) });
      }
    }
    this.metrics.rankedPages.inc({ source: 'mongo', reason });
    const filter = this.rankedFilter(tenantId, query);
    const way = query.order === 'ASC' ? -1 : 1;
    const sort: Record<string, 1 | -1> =
      query.sort === 'LAST_ACTIVITY'
        ? { lastActivityAt: -way as 1 | -1, leadRef: way }
        : { score: -way as 1 | -1, leadRef: way };
    const [items, total] = await Promise.all([
      this.model.find(filter).sort(sort).skip(offset).limit(query.limit).lean<LeadScore[]>().exec(),
      this.model.countDocuments(filter).exec(),
    ]);
    return { items, total };
  }

  /**
   * The whole stored scores of a page's rows, in the page's order (one keyed read); null when
   * MongoDB lacks one of them.
   */
  private async wholeScores(
    tenantId: string,
    rows: readonly ScoreRow[],
  ): Promise<LeadScore[] | null> {
    if (rows.length === 0) return [];
    const docs = await this.findByIds(
      tenantId,
      rows.map((row) => row._id),
    );
    const byRef = new Map(docs.map((doc) => [doc._id.toHexString(), doc]));
    const items: LeadScore[] = [];
    for (const row of rows) {
      const doc = byRef.get(row._id.toHexString());
      if (!doc) return null;
      items.push(doc);
    }
    return items;
  }

  async findOneByLeadRef(tenantId: string, leadRef: string): Promise<LeadScore | null> {
    const doc = await this.findById(tenantId, leadRef);
    if (!doc || (await this.overrides.expireLapsed(tenantId, [doc])) === 0) return doc;
    return this.findById(tenantId, leadRef);
  }

  /** The score recomputed if it is stale, within the refresh budget (see `refreshWithin`). */
  async refreshed(
    tenantId: string,
    doc: LeadScore,
  ): Promise<{ doc: LeadScore; degraded?: DegradedReason }> {
    const [one] = await this.refreshedMany(tenantId, [doc]);
    return one;
  }

  /**
   * `refreshed` for many scores at once, in their order: the stale ones recomputed together (one
   * `refreshWithin`, one budget) and read again in one query. When the budget runs out or the
   * recomputation fails, every stale score is served as it was, flagged; fresh ones never are.
   */
  async refreshedMany(
    tenantId: string,
    docs: readonly LeadScore[],
  ): Promise<{ doc: LeadScore; degraded?: DegradedReason }[]> {
    const now = Date.now();
    const stale = docs.filter((doc) => this.isStale(doc, now));
    if (stale.length === 0) return docs.map((doc) => ({ doc }));
    const degraded = await this.refreshWithin(tenantId, stale);
    if (degraded) {
      const served = new Set(stale);
      return docs.map((doc) => (served.has(doc) ? { doc, degraded } : { doc }));
    }
    const reread = await this.findByIds(
      tenantId,
      stale.map((doc) => doc._id),
    );
    const byId = new Map(reread.map((doc) => [doc._id.toHexString(), doc]));
    return docs.map((doc) => ({ doc: byId.get(doc._id.toHexString()) ?? doc }));
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

  isStale(doc: Pick<LeadScore, 'computedAt'>, now = Date.now()): boolean {
    return now - doc.computedAt.getTime() > this.freshnessMs;
  }
}
