import { InjectQueue } from '@nestjs/bull';
import {
  Inject,
  Injectable,
  Logger,
  OnApplicationBootstrap,
  OnModuleDestroy,
} from '@nestjs/common';
import type { Queue } from 'bull';
import Redis from 'ioredis';
import { Types } from 'mongoose';

import { REDIS_CLIENT } from '@/common/redis/redis.constants';
import { APP_CONFIG } from '@/config/app-config';
import type { ConnectedAppConfig } from '@/config/app-config';

import {
  RebuildRankingJobData,
  SCORING_QUEUE,
  ScoringJobName,
} from '../jobs/scoring-queue.constants';
import type { LeadSort, LeadSortOrder } from '../lead-score.types';
import { applyKeys, clearKeys, RANKING_LAYOUT, rankingKeys } from './ranking-keys';
import { APPLY_SCRIPT, BUCKET_RECORDS, CLEAR_SCRIPT, PAGE_SCRIPT } from './ranking-scripts';
import { decodeScoreDoc, encodeScoreDoc, ScoreRow, ScoreRowFields } from './score-doc.codec';

/** What the index keeps of one lead's score: its stored text (score-doc.codec) and whose it is. */
export interface RankingEntry {
  readonly leadRef: string;
  /** The owner whose orderings the lead joins (also in the text: the keys a call declares). */
  readonly ownerId: string | null;
  /**
   * The row and "leadVersion:computedAt|owner|score|activity": entries are ordered by the lead
   * version the score was computed from, then by when; an older one never overwrites a newer one
   * (the order of MongoDB's conditional score writes, so the index agrees with the collection
   * whatever order they land in).
   */
  readonly doc: string;
}

export interface RankingPageQuery {
  readonly sort: LeadSort;
  /** DESC (default): the index's own order; ASC: its exact reverse. */
  readonly order?: LeadSortOrder;
  readonly ownerId?: string;
  readonly minScore?: number;
  readonly offset: number;
  readonly limit: number;
}

export interface RankingPage {
  /** The page's rows, in rank order. */
  readonly items: ScoreRow[];
  readonly total: number;
}

/**
 * Why the index did not answer a page:
 * - `disabled`: RANKING_INDEX=off;
 * - `unservable`: a query the index does not keep (a minimum score with the last-activity order),
 *   answered by MongoDB by design: nothing is wrong with the index, it must not be rebuilt;
 * - `missing`: the index is not complete (never built, flushed, invalidated after a failed update):
 *   it needs a rebuild;
 * - `incomplete`: the index named a lead whose score it does not hold (out of step with itself):
 *   it has been invalidated here and needs a rebuild.
 */
export type RankingMiss = 'disabled' | 'unservable' | 'missing' | 'incomplete';

export type RankingPageResult =
  | ({ readonly served: true } & RankingPage)
  | { readonly served: false; readonly reason: RankingMiss };

export { applyKeys, clearKeys, rankingKeys } from './ranking-keys';

/** The misses a rebuild of the index cures. */
export function needsRebuild(reason: RankingMiss): boolean {
  return reason === 'missing' || reason === 'incomplete';
}

/** The Lua scripts, as ioredis commands (EVALSHA, loading the script again after a restart). */
interface RankingScripts {
  /** numkeys, KEYS..., ARGV... */
  rankingApply(...args: (string | number)[]): Promise<number[] | [-1, ...string[]]>;
  /** Bulk strings as Buffers (the lead refs are 12 bytes). */
  rankingPageBuffer(...args: (string | number)[]): Promise<unknown>;
  /** numkeys, KEYS..., ARGV... */
  rankingClear(...args: (string | number)[]): Promise<number[] | [-1, ...string[]]>;
}

/** A stored score's entry. The score's `_id` is its `leadRef`. */
export function toRankingEntry(doc: ScoreRowFields): RankingEntry {
  return {
    leadRef: doc.leadRef.toHexString(),
    ownerId: doc.ownerId,
    doc: encodeScoreDoc(doc),
  };
}

/**
 * Entries per APPLY call. A script holds Redis alone while it runs: 500 updates of the buckets take
 * ~15 ms of Redis CPU (~30 µs each, measured with the scripts alone at 50,000 leads), what 1,000
 * took with sorted sets, so a page read waiting behind a batch waits no longer than it did.
 */
const ENTRIES_PER_CALL = 500;
/** A tenant's rebuild is asked of the queue at most this often by one process. */
const REBUILD_REQUEST_INTERVAL_MS = 1_000;
/** How often an invalidation that could not reach Redis is tried again. */
const INVALIDATION_RETRY_MS = 1_000;
/** Calls of a script that found undeclared owners' sets (owners changing under it) before giving up. */
const MAX_KEY_ATTEMPTS = 5;

/**
 * The ranked list of each tenant in Redis: one ordering by score and one by last activity for the
 * tenant and for each owner, as small packed buckets (ranking-scripts.ts: ~20 bytes a lead an
 * ordering where a sorted set spends ~123), and each lead's row. MongoDB stays the truth; this is
 * a derived index that every score write updates after the Mongo write, and that can be rebuilt from
 * `leadScores` at any time. It answers only when complete (`ready`); a tenant whose index is missing
 * (new Redis, flushed, or an update that failed) is served from MongoDB until the rebuild job
 * finishes. Keys carry the tenant in a hash tag, so one tenant's keys share a cluster slot, and
 * every script declares the keys it touches (Redis Cluster routes and checks scripts by KEYS).
 */
@Injectable()
export class ScoreRankingIndex implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(ScoreRankingIndex.name);
  private readonly prefix: string;
  /**
   * Tenants whose index an update failed to reach and whose invalidation (in Redis, where every
   * process sees it) could not be written either: retried every second, and at this process's next
   * update or read of the tenant; meanwhile this process does not serve the tenant from the index.
   */
  private readonly pendingInvalidation = new Set<string>();
  private invalidationRetry: NodeJS.Timeout | undefined;
  private readonly rebuildRequestedAt = new Map<string, number>();
  private readonly scripts: RankingScripts;
  /** RANKING_INDEX=off: every page from MongoDB, nothing kept in Redis. */
  readonly enabled: boolean;

  constructor(
    @Inject(REDIS_CLIENT) private readonly redis: Redis,
    @InjectQueue(SCORING_QUEUE) private readonly queue: Queue,
    @Inject(APP_CONFIG) config: ConnectedAppConfig,
  ) {
    this.prefix = `${config.redis.prefix}:ranking:`;
    this.enabled = config.scoring.rankingIndex === 'redis';
    if (!('rankingApply' in redis)) {
      // No numberOfKeys: the key count is the first argument of each call (it varies with owners).
      redis.defineCommand('rankingApply', { lua: APPLY_SCRIPT });
      redis.defineCommand('rankingPage', { numberOfKeys: 4, lua: PAGE_SCRIPT });
      redis.defineCommand('rankingClear', { lua: CLEAR_SCRIPT });
    }
    this.scripts = redis as unknown as RankingScripts;
  }

  /**
   * A deployment that ran with RANKING_INDEX=off wrote scores the indexes never saw: the first
   * process started with it on again forgets every tenant's index (each is rebuilt on its next read).
   * All processes of a deployment are meant to share one setting.
   */
  async onApplicationBootstrap(): Promise<void> {
    const marker = `${this.prefix}written-while-off`;
    try {
      if (!this.enabled) {
        await this.redis.set(marker, new Date().toISOString());
        return;
      }
      if (!(await this.redis.exists(marker))) return;
      let cursor = '0';
      let forgotten = 0;
      do {
        const [next, keys] = await this.redis.scan(
          cursor,
          'MATCH',
          `${this.prefix}{*}:${RANKING_LAYOUT}:ready`,
          'COUNT',
          1000,
        );
        if (keys.length > 0) forgotten += await this.redis.del(...keys);
        cursor = next;
      } while (cursor !== '0');
      await this.redis.del(marker);
      this.logger.warn({
        msg: 'ranking indexes written while RANKING_INDEX was off are rebuilt',
        forgotten,
      });
    } catch (error) {
      this.logger.warn({ msg: 'could not check the ranking index mode', error: String(error) });
    }
  }

  onModuleDestroy(): void {
    clearTimeout(this.invalidationRetry);
    this.invalidationRetry = undefined;
  }

  base(tenantId: string): string {
    return `${this.prefix}{${tenantId}}`;
  }

  /**
   * Applies score changes. Never throws: a failure invalidates the tenant's index in Redis, so that
   * no process serves it until it is rebuilt (the Mongo write it follows has already succeeded, and
   * reads fall back to Mongo meanwhile).
   */
  async apply(tenantId: string, entries: readonly RankingEntry[]): Promise<void> {
    if (!this.enabled || entries.length === 0) return;
    try {
      if (this.pendingInvalidation.has(tenantId)) await this.invalidate(tenantId);
      await this.write(tenantId, entries);
    } catch (error) {
      this.logger.warn({
        msg: 'ranking index update failed; the tenant is served from MongoDB until it is rebuilt',
        tenantId,
        error: (error as Error).message,
      });
      await this.invalidateOrRetry(tenantId);
    }
  }

  /**
   * Applies score changes; throws on failure (rebuilds, which are retried as a whole). Answers how
   * many entries were applied (the others were older than what the index holds).
   */
  async write(tenantId: string, entries: readonly RankingEntry[]): Promise<number> {
    const base = this.base(tenantId);
    let applied = 0;
    for (let i = 0; i < entries.length; i += ENTRIES_PER_CALL) {
      const chunk = entries.slice(i, i + ENTRIES_PER_CALL);
      const args: (string | number)[] = [rankingKeys(base).layout, BUCKET_RECORDS];
      const owners = new Set<string>();
      for (const entry of chunk) {
        if (entry.ownerId) owners.add(entry.ownerId);
        args.push(entry.leadRef, entry.doc);
      }
      applied += await this.withDeclaredOwners(owners, async (declared) => {
        const keys = applyKeys(base, declared);
        return this.scripts.rankingApply(keys.length, ...keys, ...args);
      });
    }
    return applied;
  }

  /**
   * Calls a script declaring the owners' sets it may touch; when it answers {-1, owners...} (sets
   * it needs that were not declared: a lead's previous owner, an owner added meanwhile), calls it
   * again with those declared too. Answers the script's {n}.
   */
  private async withDeclaredOwners(
    owners: Set<string>,
    call: (owners: Set<string>) => Promise<number[] | [-1, ...string[]]>,
  ): Promise<number> {
    for (let attempt = 1; ; attempt++) {
      const [status, ...missing] = await call(owners);
      if (status !== -1) return status;
      if (attempt >= MAX_KEY_ATTEMPTS)
        throw new Error('ranking index owners kept changing during the update');
      for (const owner of missing) owners.add(String(owner));
    }
  }

  /**
   * Asks a worker to rebuild the tenant's index (one job per tenant at a time: the job id is the
   * tenant's). Never throws; called on reads that found the index missing.
   */
  requestRebuild(tenantId: string): void {
    if (!this.enabled) return;
    const now = Date.now();
    if (now - (this.rebuildRequestedAt.get(tenantId) ?? 0) < REBUILD_REQUEST_INTERVAL_MS) return;
    this.rebuildRequestedAt.set(tenantId, now);
    const data: RebuildRankingJobData = { tenantId };
    this.queue
      .add(ScoringJobName.REBUILD_RANKING, data, {
        jobId: `${ScoringJobName.REBUILD_RANKING}:${tenantId}`,
        attempts: 3,
        backoff: { type: 'exponential', delay: 1_000 },
        removeOnComplete: true,
        removeOnFail: true,
      })
      .catch((error: unknown) =>
        this.logger.warn({
          msg: 'could not ask for a ranking index rebuild',
          tenantId,
          error: String(error),
        }),
      );
  }

  /**
   * One page, or why the index did not answer it (see `RankingMiss`): only `missing` and
   * `incomplete` mean the index needs a rebuild. Throws when Redis does not answer.
   */
  async page(tenantId: string, query: RankingPageQuery): Promise<RankingPageResult> {
    if (!this.enabled) return { served: false, reason: 'disabled' };
    if (query.minScore !== undefined && query.sort !== 'SCORE')
      return { served: false, reason: 'unservable' };
    if (this.pendingInvalidation.has(tenantId)) {
      await this.invalidate(tenantId).catch(() => undefined);
      return { served: false, reason: 'missing' };
    }
    const keys = rankingKeys(this.base(tenantId));
    const reply = (await this.scripts.rankingPageBuffer(
      keys.ready,
      query.ownerId ? keys.ownerDir(query.ownerId) : keys.dir,
      query.ownerId ? keys.ownerOrder(query.ownerId) : keys.order,
      keys.docs,
      query.sort === 'SCORE' ? 's' : 'a',
      query.minScore !== undefined ? 'score' : 'rank',
      query.offset,
      query.limit,
      query.minScore !== undefined ? -query.minScore : 0,
      query.order === 'ASC' ? 'rev' : 'fwd',
    )) as [number, Buffer[], (Buffer | null)[]] | null;
    if (!reply) return { served: false, reason: 'missing' };
    const [total, refs, docs] = reply;
    const tenant = new Types.ObjectId(tenantId);
    const items: ScoreRow[] = [];
    for (let i = 0; i < docs.length; i++) {
      const doc = docs[i];
      // A member without its score (or of another format): the index is out of step with itself.
      const item = doc === null ? null : decodeScoreDoc(doc.toString(), tenant, refs[i]);
      if (item === null) {
        await this.invalidateOrRetry(tenantId);
        return { served: false, reason: 'incomplete' };
      }
      items.push(item);
    }
    return { served: true, items, total };
  }

  async isReady(tenantId: string): Promise<boolean> {
    return (await this.redis.exists(rankingKeys(this.base(tenantId)).ready)) === 1;
  }

  /**
   * Forgets, for every process, that the index is complete (and fails a rebuild under way, whose
   * generation no longer matches); the next read schedules a rebuild.
   */
  async invalidate(tenantId: string): Promise<void> {
    const keys = rankingKeys(this.base(tenantId));
    const replies = await this.redis.multi().incr(keys.generation).del(keys.ready).exec();
    const failed = replies?.find(([error]) => error);
    if (!replies || failed) throw failed?.[0] ?? new Error('ranking index invalidation aborted');
    this.pendingInvalidation.delete(tenantId);
  }

  /** Invalidates now; if Redis does not answer, keeps trying until it does. Never throws. */
  private async invalidateOrRetry(tenantId: string): Promise<void> {
    try {
      await this.invalidate(tenantId);
    } catch (error) {
      this.pendingInvalidation.add(tenantId);
      this.logger.warn({
        msg: 'could not invalidate the ranking index; retrying',
        tenantId,
        error: String(error),
      });
      this.scheduleInvalidationRetry();
    }
  }

  private scheduleInvalidationRetry(): void {
    if (this.invalidationRetry) return;
    this.invalidationRetry = setTimeout(() => {
      this.invalidationRetry = undefined;
      void Promise.all(
        [...this.pendingInvalidation].map((tenantId) =>
          this.invalidate(tenantId).catch(() => undefined),
        ),
      ).then(() => {
        if (this.pendingInvalidation.size > 0) this.scheduleInvalidationRetry();
      });
    }, INVALIDATION_RETRY_MS);
    this.invalidationRetry.unref();
  }

  /**
   * Start of a rebuild: empties the index, holds live updates back under the rebuild's token (see
   * RankingRebuild) and returns the generation to confirm at the end.
   */
  async beginRebuild(tenantId: string, token: string): Promise<string> {
    const base = this.base(tenantId);
    const keys = rankingKeys(base);
    // The earlier layouts' owners too: their keys go with them.
    const owners = await Promise.all(
      [keys.owners, ...keys.legacyOwners].map((set) => this.redis.smembers(set)),
    );
    await this.withDeclaredOwners(new Set(owners.flat()), async (declared) => {
      const list = clearKeys(base, declared);
      return this.scripts.rankingClear(list.length, ...list, keys.layout, token);
    });
    return (await this.redis.get(keys.generation)) ?? '0';
  }
}
