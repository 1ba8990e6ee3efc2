import { InjectQueue } from '@nestjs/bull';
import { Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
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
import type { LeadSort } from '../lead-score.types';
import type { LeadScore } from '../schemas/lead-score.schema';
import { decodeScoreDoc, encodeScoreDoc } from './score-doc.codec';

/** What the index keeps of one lead's score: its rank keys and the stored score itself. */
export interface RankingEntry {
  readonly leadRef: string;
  readonly score: number;
  readonly lastActivityAt: Date | null;
  readonly ownerId: string | null;
  /**
   * "leadVersion:computedAtMs": entries are ordered by the lead version the score was computed
   * from, then by when; an older one never overwrites a newer one (the order of MongoDB's
   * conditional score writes, so the index agrees with the collection whatever order they land in).
   */
  readonly version: string;
  /** The stored score (score-doc.codec), served with the page. */
  readonly doc: string;
}

export interface RankingPageQuery {
  readonly sort: LeadSort;
  readonly ownerId?: string;
  readonly minScore?: number;
  readonly offset: number;
  readonly limit: number;
}

export interface RankingPage {
  /** The page's scores, in rank order. */
  readonly items: LeadScore[];
  readonly total: number;
  /** The index named a lead whose score it does not hold: it needs a rebuild. */
  readonly incomplete?: boolean;
}

/** The Lua scripts, as ioredis commands (EVALSHA, loading the script again after a restart). */
interface RankingScripts {
  rankingApply(...args: (string | number)[]): Promise<number>;
  rankingPage(...args: (string | number)[]): Promise<unknown>;
}

export function toRankingEntry(doc: LeadScore): RankingEntry {
  return {
    leadRef: doc._id.toHexString(),
    score: doc.score,
    lastActivityAt: doc.lastActivityAt,
    ownerId: doc.ownerId,
    version: `${doc.leadVersion ?? 0}:${doc.computedAt.getTime()}`,
    doc: encodeScoreDoc(doc),
  };
}

/**
 * Applies entries atomically. Per member the hash `meta` keeps "leadVersion:computedAt|owner" and
 * the hash `docs`
 * the stored score; an entry older than
 * the stored one is skipped (concurrent writers, or a rebuild racing live updates), and a change of
 * owner moves the member between the owners' sets. Scores are stored negated so that ZRANGE's
 * ascending order is "highest first, ties by lead ref ascending", as the Mongo sort
 * `{score: -1, leadRef: 1}` orders them; last activity likewise, with "never active" (+inf) last.
 */
const APPLY_SCRIPT = `
local base = ARGV[1]
local applied = 0
for i = 2, #ARGV, 6 do
  local member, score, activity, owner, version, doc = ARGV[i], ARGV[i + 1], ARGV[i + 2], ARGV[i + 3], ARGV[i + 4], ARGV[i + 5]
  local meta = redis.call('HGET', base .. ':meta', member)
  local oldOwner = ''
  local newer = true
  if meta then
    local sep = string.find(meta, '|', 1, true)
    oldOwner = string.sub(meta, sep + 1)
    local old = string.sub(meta, 1, sep - 1)
    local oldColon, colon = string.find(old, ':', 1, true), string.find(version, ':', 1, true)
    local oldLead, oldAt = 0, tonumber(old)
    if oldColon then oldLead, oldAt = tonumber(string.sub(old, 1, oldColon - 1)), tonumber(string.sub(old, oldColon + 1)) end
    local lead, at = tonumber(string.sub(version, 1, colon - 1)), tonumber(string.sub(version, colon + 1))
    newer = oldLead < lead or (oldLead == lead and oldAt <= at)
  end
  if newer then
    if oldOwner ~= '' and oldOwner ~= owner then
      redis.call('ZREM', base .. ':owner:' .. oldOwner .. ':score', member)
      redis.call('ZREM', base .. ':owner:' .. oldOwner .. ':activity', member)
    end
    redis.call('ZADD', base .. ':score', score, member)
    redis.call('ZADD', base .. ':activity', activity, member)
    if owner ~= '' then
      redis.call('SADD', base .. ':owners', owner)
      redis.call('ZADD', base .. ':owner:' .. owner .. ':score', score, member)
      redis.call('ZADD', base .. ':owner:' .. owner .. ':activity', activity, member)
    end
    redis.call('HSET', base .. ':meta', member, version .. '|' .. owner)
    redis.call('HSET', base .. ':docs', member, doc)
    applied = applied + 1
  end
end
return applied
`;

/** Marks the index complete only if nothing invalidated it since the rebuild began. */
const MARK_READY_SCRIPT = `
if (redis.call('GET', KEYS[1]) or '0') == ARGV[1] then
  redis.call('SET', KEYS[2], ARGV[1])
  return 1
end
return 0
`;

/** Drops every key of the tenant's index (before a rebuild). */
const CLEAR_SCRIPT = `
local base = ARGV[1]
for _, owner in ipairs(redis.call('SMEMBERS', base .. ':owners')) do
  redis.call('DEL', base .. ':owner:' .. owner .. ':score', base .. ':owner:' .. owner .. ':activity')
end
redis.call('DEL', base .. ':score', base .. ':activity', base .. ':meta', base .. ':docs', base .. ':owners', base .. ':ready')
return 1
`;

/**
 * One page in one round trip: nothing (nil) unless the index is complete, else the count and the
 * page's stored scores. KEYS: ready, the sorted set, docs. ARGV: 'rank' (by position) or 'score'
 * (up to a maximum negated score), offset, limit, maximum.
 */
const PAGE_SCRIPT = `
if not redis.call('GET', KEYS[1]) then return false end
local refs, total
if ARGV[1] == 'score' then
  refs = redis.call('ZRANGEBYSCORE', KEYS[2], '-inf', ARGV[4], 'LIMIT', ARGV[2], ARGV[3])
  total = redis.call('ZCOUNT', KEYS[2], '-inf', ARGV[4])
else
  refs = redis.call('ZRANGE', KEYS[2], ARGV[2], ARGV[2] + ARGV[3] - 1)
  total = redis.call('ZCARD', KEYS[2])
end
local docs = {}
if #refs > 0 then docs = redis.call('HMGET', KEYS[3], unpack(refs)) end
return {total, docs}
`;

const ENTRIES_PER_CALL = 1000;
/** A tenant's rebuild is asked of the queue at most this often by one process. */
const REBUILD_REQUEST_INTERVAL_MS = 1_000;

/**
 * The ranked list of each tenant in Redis sorted sets: one by score and one by last activity for the
 * tenant and for each owner, paged with ZRANGE in O(log n + page). MongoDB stays the truth; this is
 * a derived index that every score write updates after the Mongo write, and that can be rebuilt from
 * `leadScores` at any time. It answers only when complete (`ready`); a tenant whose index is missing
 * (new Redis, flushed, or an update that failed) is served from MongoDB until the rebuild job
 * finishes. Keys carry the tenant in a hash tag, so one tenant's keys share a cluster slot.
 */
@Injectable()
export class ScoreRankingIndex implements OnApplicationBootstrap {
  private readonly logger = new Logger(ScoreRankingIndex.name);
  private readonly prefix: string;
  /** Tenants whose index an update failed to reach: invalidated as soon as Redis answers again. */
  private readonly dirty = new Set<string>();
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
      redis.defineCommand('rankingApply', { numberOfKeys: 0, lua: APPLY_SCRIPT });
      redis.defineCommand('rankingPage', { numberOfKeys: 3, lua: PAGE_SCRIPT });
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
          `${this.prefix}{*}:ready`,
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

  base(tenantId: string): string {
    return `${this.prefix}{${tenantId}}`;
  }

  /**
   * Applies score changes. Never throws: a failure leaves the index marked for a rebuild (the Mongo
   * write it follows has already succeeded, and reads fall back to Mongo meanwhile).
   */
  async apply(tenantId: string, entries: readonly RankingEntry[]): Promise<void> {
    if (!this.enabled || entries.length === 0) return;
    try {
      if (this.dirty.has(tenantId)) await this.invalidate(tenantId);
      await this.write(tenantId, entries);
    } catch (error) {
      this.dirty.add(tenantId);
      this.logger.warn({
        msg: 'ranking index update failed; the tenant is served from MongoDB until it is rebuilt',
        tenantId,
        error: (error as Error).message,
      });
    }
  }

  /** Applies score changes; throws on failure (rebuilds, which are retried as a whole). */
  async write(tenantId: string, entries: readonly RankingEntry[]): Promise<void> {
    for (let i = 0; i < entries.length; i += ENTRIES_PER_CALL) {
      const args: (string | number)[] = [this.base(tenantId)];
      for (const entry of entries.slice(i, i + ENTRIES_PER_CALL)) {
        args.push(
          entry.leadRef,
          -entry.score,
          entry.lastActivityAt ? -entry.lastActivityAt.getTime() : '+inf',
          entry.ownerId ?? '',
          entry.version,
          entry.doc,
        );
      }
      await this.scripts.rankingApply(...args);
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
   * One page, or null when the index cannot answer (not built, marked dirty, or a filter it does
   * not keep: a minimum score with the last-activity order).
   */
  async page(tenantId: string, query: RankingPageQuery): Promise<RankingPage | null> {
    if (!this.enabled) return null;
    if (this.dirty.has(tenantId)) {
      await this.invalidate(tenantId).catch(() => undefined);
      return null;
    }
    if (query.minScore !== undefined && query.sort !== 'SCORE') return null;
    const base = this.base(tenantId);
    const set = `${query.ownerId ? `${base}:owner:${query.ownerId}` : base}:${
      query.sort === 'SCORE' ? 'score' : 'activity'
    }`;
    const reply = (await this.scripts.rankingPage(
      `${base}:ready`,
      set,
      `${base}:docs`,
      query.minScore !== undefined ? 'score' : 'rank',
      query.offset,
      query.limit,
      query.minScore !== undefined ? -query.minScore : 0,
    )) as [number, (string | null)[]] | null;
    if (!reply) return null;
    const [total, docs] = reply;
    // A member without its score: the index is out of step with itself; the caller rebuilds it.
    if (docs.some((doc) => doc === null)) return { items: [], total, incomplete: true };
    const tenant = new Types.ObjectId(tenantId);
    const items = docs.map((doc) => decodeScoreDoc(doc!, tenant));
    if (items.some((item) => item === null)) return { items: [], total, incomplete: true };
    return { items: items as LeadScore[], total };
  }

  async isReady(tenantId: string): Promise<boolean> {
    return (await this.redis.exists(`${this.base(tenantId)}:ready`)) === 1;
  }

  /** Forgets that the index is complete; the next read schedules a rebuild. */
  async invalidate(tenantId: string): Promise<void> {
    const base = this.base(tenantId);
    await this.redis.multi().incr(`${base}:generation`).del(`${base}:ready`).exec();
    this.dirty.delete(tenantId);
  }

  /** Start of a rebuild: empties the index and returns the generation to confirm at the end. */
  async beginRebuild(tenantId: string): Promise<string> {
    const base = this.base(tenantId);
    await this.redis.eval(CLEAR_SCRIPT, 0, base);
    return (await this.redis.get(`${base}:generation`)) ?? '0';
  }

  /** End of a rebuild: true if the index is now complete, false if it was invalidated meanwhile. */
  async finishRebuild(tenantId: string, generation: string): Promise<boolean> {
    const base = this.base(tenantId);
    const done = await this.redis.eval(
      MARK_READY_SCRIPT,
      2,
      `${base}:generation`,
      `${base}:ready`,
      generation,
    );
    return done === 1;
  }
}
