import { Logger } from '@nestjs/common';
import type { Queue } from 'bull';
import type Redis from 'ioredis';
import { Types } from 'mongoose';

import type { ConnectedAppConfig } from '@/config/app-config';

import { ScoringJobName } from '../jobs/scoring-queue.constants';
import type { LeadScore } from '../schemas/lead-score.schema';
import { PriorityTier } from '../scorer/priority-tier.util';
import { rankingKeys } from './ranking-keys';
import { RankingEntry, ScoreRankingIndex, toRankingEntry } from './score-ranking.index';
import { encodeScoreDoc } from './score-doc.codec';

/**
 * What the index does when Redis fails it, on a Redis stand-in whose answers each test sets. The
 * index against a real Redis (its scripts, pages, rebuilds) is test/integration/ranking-index.
 */

type Reply = [Error | null, unknown][] | null;

/** The parts of ioredis the index uses; the scripts are what `defineCommand` registers. */
class FakeRedis {
  readonly defined: string[] = [];
  readonly calls: { command: string; args: unknown[] }[] = [];
  apply: (...args: (string | number)[]) => Promise<unknown> = () => Promise.resolve([1]);
  page: (...args: (string | number)[]) => Promise<unknown> = () => Promise.resolve(null);
  clear: (...args: (string | number)[]) => Promise<unknown> = () => Promise.resolve([0]);
  /** The answer of each MULTI … EXEC (the invalidation). */
  exec: () => Promise<Reply> = () =>
    Promise.resolve([
      [null, 1],
      [null, 1],
    ]);
  scanReplies: [string, string[]][] = [];
  markerExists = 0;

  defineCommand(name: string): void {
    this.defined.push(name);
    const handler =
      name === 'rankingApply' ? 'apply' : name === 'rankingPage' ? 'page' : ('clear' as const);
    const call = (...args: (string | number)[]) => {
      this.calls.push({ command: name, args });
      return this[handler](...args);
    };
    // ioredis defines each command twice: replies as strings, and as Buffers.
    Object.assign(this, { [name]: call, [`${name}Buffer`]: call });
  }

  multi() {
    const commands: unknown[][] = [];
    const chain = {
      incr: (key: string) => (commands.push(['incr', key]), chain),
      del: (key: string) => (commands.push(['del', key]), chain),
      exec: () => {
        this.calls.push({ command: 'multi', args: commands });
        return this.exec();
      },
    };
    return chain;
  }

  set(...args: unknown[]) {
    this.calls.push({ command: 'set', args });
    return Promise.resolve('OK');
  }

  exists(...args: unknown[]) {
    this.calls.push({ command: 'exists', args });
    return Promise.resolve(this.markerExists);
  }

  scan(...args: unknown[]) {
    this.calls.push({ command: 'scan', args });
    return Promise.resolve(this.scanReplies.shift() ?? ['0', []]);
  }

  del(...keys: string[]) {
    this.calls.push({ command: 'del', args: keys });
    return Promise.resolve(keys.length);
  }

  commands(name: string) {
    return this.calls.filter((call) => call.command === name);
  }
}

const PREFIX = 'ls:unit';
const tenantId = new Types.ObjectId().toHexString();
const base = `${PREFIX}:ranking:{${tenantId}}`;
const keys = rankingKeys(base);
const invalidation = [
  ['incr', keys.generation],
  ['del', keys.ready],
];

function makeIndex(redis: FakeRedis, rankingIndex: 'redis' | 'off' = 'redis') {
  const queue = { add: jest.fn().mockResolvedValue(undefined) };
  const config = { redis: { prefix: PREFIX }, scoring: { rankingIndex } };
  const index = new ScoreRankingIndex(
    redis as unknown as Redis,
    queue as unknown as Queue,
    config as unknown as ConnectedAppConfig,
  );
  return { index, queue };
}

function makeScore(overrides: Partial<LeadScore> = {}): LeadScore {
  const ref = new Types.ObjectId();
  return {
    _id: ref,
    tenantId: new Types.ObjectId(tenantId),
    leadRef: ref,
    leadId: 'L-1',
    name: 'Ada',
    email: null,
    ownerId: 'rep-1',
    status: 'NEW',
    searchText: 'l-1 ada',
    emailOpens: 3,
    websiteVisits: 2,
    timeSpentSeconds: 120,
    lastActivityAt: new Date('2026-11-20T10:00:00.000Z'),
    score: 42.17,
    tier: PriorityTier.WARM,
    breakdown: { rawScore: 0.45, decayFactor: 0.93, daysSinceLastActivity: 1, terms: [] },
    leadVersion: 3,
    configVersion: 2,
    modelId: 'weighted-sum',
    modelVersion: 1,
    computedAt: new Date('2026-11-22T06:00:00.000Z'),
    historyCount: 4,
    ...overrides,
  };
}

const entry: RankingEntry = toRankingEntry(makeScore());
/** The entry's lead ref as the page script answers it: 12 bytes. */
const ref = Buffer.from(entry.leadRef, 'hex');

let warn: jest.SpyInstance;

beforeEach(() => {
  warn = jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
});

afterEach(() => {
  jest.restoreAllMocks();
  jest.useRealTimers();
});

describe('toRankingEntry', () => {
  it('orders by lead version, then by when; a score from before versions counts as version 0', () => {
    const doc = makeScore();
    expect(toRankingEntry(doc)).toEqual({
      leadRef: doc._id.toHexString(),
      ownerId: 'rep-1',
      doc: encodeScoreDoc(doc),
    });
    const at = Date.parse('2026-11-22T06:00:00.000Z').toString(36);
    expect(toRankingEntry(doc).doc).toContain(`\n3:${at}|rep-1|42.17|`);
    const legacy = makeScore({ leadVersion: undefined as unknown as number });
    expect(toRankingEntry(legacy).doc).toContain(`\n0:${at}|`);
  });
});

describe('ScoreRankingIndex', () => {
  it('registers its scripts once per Redis client', () => {
    const redis = new FakeRedis();
    makeIndex(redis);
    makeIndex(redis);
    expect(redis.defined).toEqual(['rankingApply', 'rankingPage', 'rankingClear']);
  });

  it('with RANKING_INDEX=off, keeps nothing, asks for no rebuild and serves no page', async () => {
    const redis = new FakeRedis();
    const { index, queue } = makeIndex(redis, 'off');
    await index.apply(tenantId, [entry]);
    index.requestRebuild(tenantId);
    await expect(index.page(tenantId, { sort: 'SCORE', offset: 0, limit: 10 })).resolves.toEqual({
      served: false,
      reason: 'disabled',
    });
    expect(redis.calls).toEqual([]);
    expect(queue.add).not.toHaveBeenCalled();
  });

  it('asks for a tenant’s rebuild at most once a second', () => {
    const { index, queue } = makeIndex(new FakeRedis());
    index.requestRebuild(tenantId);
    index.requestRebuild(tenantId);
    expect(queue.add).toHaveBeenCalledTimes(1);
    expect(queue.add).toHaveBeenCalledWith(
      ScoringJobName.REBUILD_RANKING,
      { tenantId },
      expect.objectContaining({ jobId: `${ScoringJobName.REBUILD_RANKING}:${tenantId}` }),
    );
  });

  it('calls the script again with the owners it reported undeclared, up to five times', async () => {
    const redis = new FakeRedis();
    const { index } = makeIndex(redis);
    const answers = [[-1, 'rep-0'], [-1, 'rep-9'], [1]];
    redis.apply = () => Promise.resolve(answers.shift());
    await expect(index.write(tenantId, [entry])).resolves.toBe(1);
    const calls = redis.commands('rankingApply');
    expect(calls).toHaveLength(3);
    // numkeys, then the keys: the eight base keys and two keys per declared owner.
    expect(calls.map((call) => call.args[0])).toEqual([10, 12, 14]);
    expect(calls[2].args).toEqual(expect.arrayContaining([`${base}:v3:owner:rep-9:dir`]));

    redis.apply = () => Promise.resolve([-1, 'someone-new']);
    await expect(index.write(tenantId, [entry])).rejects.toThrow(
      'ranking index owners kept changing during the update',
    );
    expect(redis.commands('rankingApply')).toHaveLength(3 + 5);
  });

  it('invalidates the tenant when an update fails, so no process serves it until rebuilt', async () => {
    const redis = new FakeRedis();
    const { index } = makeIndex(redis);
    redis.apply = () => Promise.reject(new Error('OOM command not allowed'));
    await expect(index.apply(tenantId, [entry])).resolves.toBeUndefined();
    expect(redis.commands('multi').map((call) => call.args)).toEqual([invalidation]);
    expect(warn).toHaveBeenCalledWith(
      expect.objectContaining({ tenantId, error: 'OOM command not allowed' }),
    );
  });

  it('when the invalidation fails too, keeps the tenant off the index and retries it every second', async () => {
    jest.useFakeTimers();
    const redis = new FakeRedis();
    const { index } = makeIndex(redis);
    redis.apply = () => Promise.reject(new Error('connection lost'));
    // One command of the transaction refused, then the transaction aborted: both are failures.
    const failures: Reply[] = [
      [
        [null, 2],
        [new Error('READONLY'), null],
      ],
      null,
      null,
      null,
    ];
    redis.exec = () => Promise.resolve(failures.length > 0 ? failures.shift()! : [[null, 1]]);

    // The update fails, then its invalidation: the tenant is pending, retried in a second.
    await index.apply(tenantId, [entry]);
    expect(redis.commands('multi')).toHaveLength(1);
    expect(warn).toHaveBeenCalledWith(expect.objectContaining({ error: 'Error: READONLY' }));
    // The next update tries the invalidation first; it fails (aborted), and the update is not
    // written (tried again through invalidateOrRetry, which fails too: still one timer).
    await index.apply(tenantId, [entry]);
    expect(redis.commands('multi')).toHaveLength(3);
    expect(redis.commands('rankingApply')).toHaveLength(1);
    expect(warn).toHaveBeenCalledWith(
      expect.objectContaining({ error: 'ranking index invalidation aborted' }),
    );

    // Pages are not served from the index meanwhile (the invalidation is tried again, fails).
    const query = { sort: 'SCORE' as const, offset: 0, limit: 10 };
    await expect(index.page(tenantId, query)).resolves.toEqual({
      served: false,
      reason: 'missing',
    });
    expect(redis.commands('rankingPage')).toHaveLength(0);
    expect(redis.commands('multi')).toHaveLength(4);

    // The retry succeeds: the tenant is served again, and nothing is retried any more.
    await jest.advanceTimersByTimeAsync(1_000);
    expect(redis.commands('multi')).toHaveLength(5);
    redis.page = () => Promise.resolve([1, [ref], [Buffer.from(entry.doc)]]);
    await expect(index.page(tenantId, query)).resolves.toMatchObject({ served: true, total: 1 });
    await jest.advanceTimersByTimeAsync(5_000);
    expect(redis.commands('multi')).toHaveLength(5);
  });

  it('keeps retrying the invalidation while Redis refuses it', async () => {
    jest.useFakeTimers();
    const redis = new FakeRedis();
    const { index } = makeIndex(redis);
    redis.apply = () => Promise.reject(new Error('connection lost'));
    redis.exec = () => Promise.reject(new Error('connection lost'));
    await index.apply(tenantId, [entry]);
    await jest.advanceTimersByTimeAsync(1_000);
    await jest.advanceTimersByTimeAsync(1_000);
    expect(redis.commands('multi')).toHaveLength(3);

    // Once it answers, the next retry clears it, and an update goes through.
    redis.exec = () => Promise.resolve([[null, 1]]);
    await jest.advanceTimersByTimeAsync(1_000);
    redis.apply = () => Promise.resolve([1]);
    await index.apply(tenantId, [entry]);
    expect(redis.commands('multi')).toHaveLength(4);
    expect(redis.commands('rankingApply')).toHaveLength(2);
    index.onModuleDestroy();
  });

  it('invalidates the tenant when the index names a lead it holds no score of', async () => {
    const redis = new FakeRedis();
    const { index } = makeIndex(redis);
    redis.page = () => Promise.resolve([2, [ref, ref], [Buffer.from(entry.doc), null]]);
    await expect(index.page(tenantId, { sort: 'SCORE', offset: 0, limit: 10 })).resolves.toEqual({
      served: false,
      reason: 'incomplete',
    });
    expect(redis.commands('multi').map((call) => call.args)).toEqual([invalidation]);
  });

  describe('at start-up', () => {
    const marker = `${PREFIX}:ranking:written-while-off`;

    it('with the index off, marks that scores are written without it', async () => {
      const redis = new FakeRedis();
      await makeIndex(redis, 'off').index.onApplicationBootstrap();
      expect(redis.commands('set')).toEqual([
        { command: 'set', args: [marker, expect.any(String)] },
      ]);
    });

    it('with the index on again, forgets every tenant’s index, batch by batch', async () => {
      const redis = new FakeRedis();
      redis.markerExists = 1;
      const other = `${PREFIX}:ranking:{${new Types.ObjectId().toHexString()}}:ready`;
      // A SCAN batch may hold no match and still not be the last.
      redis.scanReplies = [
        ['17', []],
        ['0', [keys.ready, other]],
      ];
      await makeIndex(redis).index.onApplicationBootstrap();
      expect(redis.commands('scan').map((call) => call.args[0])).toEqual(['0', '17']);
      expect(redis.commands('del').map((call) => call.args)).toEqual([
        [keys.ready, other],
        [marker],
      ]);
      expect(warn).toHaveBeenCalledWith(expect.objectContaining({ forgotten: 2 }));
    });

    it('does nothing when the index was never off, and never fails the start', async () => {
      const redis = new FakeRedis();
      await makeIndex(redis).index.onApplicationBootstrap();
      expect(redis.commands('scan')).toEqual([]);

      redis.markerExists = 1;
      redis.scan = () => Promise.reject(new Error('NOPERM'));
      await expect(makeIndex(redis).index.onApplicationBootstrap()).resolves.toBeUndefined();
      expect(warn).toHaveBeenCalledWith(expect.objectContaining({ error: 'Error: NOPERM' }));
    });
  });
});
