import Redis from 'ioredis';
import { Types } from 'mongoose';

import { seededRandom } from '@/ml/common/random.util';
import { applyKeys, clearKeys, rankingKeys } from '@/scoring/ranking/ranking-keys';
import {
  APPLY_SCRIPT,
  BUCKET_RECORDS,
  CLEAR_SCRIPT,
  PAGE_SCRIPT,
} from '@/scoring/ranking/ranking-scripts';
import type { Queue } from 'bull';

import type { ConnectedAppConfig } from '@/config/app-config';
import {
  RankingRebuild,
  RankingRebuilds,
  RankingRebuildSuperseded,
} from '@/scoring/ranking/ranking-rebuild';
import {
  encodeScoreDoc,
  readScoreDocOrdering,
  ScoreRowFields,
} from '@/scoring/ranking/score-doc.codec';
import { ScoreRankingIndex } from '@/scoring/ranking/score-ranking.index';
import { PriorityTier } from '@/scoring/scorer/priority-tier.util';
import { engineUrls } from '@test/utils/test-app';

/**
 * The ranking index's packed buckets (ranking-scripts.ts) on a real Redis, against a model kept
 * here: thousands of leads applied in random batches (new leads, score and activity changes, owner
 * changes, stale versions, a lead twice in one call), with buckets of 8 records so that they split
 * and merge all the time; after each batch every ordering of the tenant and of each owner must page
 * exactly as the model sorts it, both ways, by position and up to a score, with its totals.
 */

interface Lead {
  ref: string;
  score: number;
  /** Epoch ms; null: never active. */
  activity: number | null;
  owner: string | null;
  version: number;
  at: number;
}

interface Scripts {
  apply(...args: (string | number)[]): Promise<number[] | [-1, ...string[]]>;
  page(...args: (string | number)[]): Promise<[number, Buffer[], (Buffer | null)[]] | null>;
  clear(...args: (string | number)[]): Promise<number[] | [-1, ...string[]]>;
}

function rowOf(lead: Lead): ScoreRowFields {
  const ref = new Types.ObjectId(lead.ref);
  return {
    leadRef: ref,
    leadId: `L-${lead.ref.slice(-6)}`,
    name: null,
    email: null,
    ownerId: lead.owner,
    status: 'NEW',
    emailOpens: 0,
    websiteVisits: 0,
    timeSpentSeconds: 0,
    lastActivityAt: lead.activity === null ? null : new Date(lead.activity),
    score: lead.score,
    tier: PriorityTier.COLD,
    leadVersion: lead.version,
    computedAt: new Date(lead.at),
  };
}

function docOf(lead: Lead): string {
  return encodeScoreDoc(rowOf(lead));
}

/** The model's order: negated key ascending, ties by lead ref ascending (bytes, as hex). */
function sorted(leads: Lead[], kind: 's' | 'a'): Lead[] {
  const key = (lead: Lead) =>
    kind === 's' ? 0 - lead.score : lead.activity === null ? Infinity : 0 - lead.activity;
  return [...leads].sort((x, y) => key(x) - key(y) || (x.ref < y.ref ? -1 : x.ref > y.ref ? 1 : 0));
}

describe('ranking index buckets (Lua, real Redis)', () => {
  let redis: Redis;
  let scripts: Scripts;
  const base = `t_buckets_${process.pid}:ranking:{${new Types.ObjectId().toHexString()}}`;
  const keys = rankingKeys(base);

  beforeAll(async () => {
    redis = new Redis(engineUrls().redis);
    redis.defineCommand('bucketApply', { lua: APPLY_SCRIPT });
    redis.defineCommand('bucketPage', { numberOfKeys: 4, lua: PAGE_SCRIPT });
    redis.defineCommand('bucketClear', { lua: CLEAR_SCRIPT });
    const r = redis as unknown as {
      bucketApply: Scripts['apply'];
      bucketPageBuffer: Scripts['page'];
      bucketClear: Scripts['clear'];
    };
    scripts = {
      apply: r.bucketApply.bind(redis),
      page: r.bucketPageBuffer.bind(redis),
      clear: r.bucketClear.bind(redis),
    };
    await redis.set(keys.ready, '1');
  });

  afterAll(async () => {
    if (!redis) return;
    const owners = await redis.smembers(keys.owners);
    const list = clearKeys(base, owners);
    await scripts.clear(list.length, ...list, keys.layout);
    redis.disconnect();
  });

  async function apply(batch: Lead[], cap: number): Promise<number> {
    const owners = new Set<string>();
    for (const lead of batch) if (lead.owner) owners.add(lead.owner);
    for (;;) {
      const list = applyKeys(base, owners);
      const args: (string | number)[] = [keys.layout, cap];
      for (const lead of batch) args.push(lead.ref, docOf(lead));
      const [status, ...missing] = await scripts.apply(list.length, ...list, ...args);
      if (status !== -1) return status;
      for (const owner of missing) owners.add(String(owner));
    }
  }

  async function page(
    owner: string | null,
    kind: 's' | 'a',
    mode: 'rank' | 'score',
    offset: number,
    limit: number,
    max: number,
    order: 'fwd' | 'rev',
  ): Promise<{ total: number; refs: string[] }> {
    const reply = await scripts.page(
      keys.ready,
      owner ? keys.ownerDir(owner) : keys.dir,
      owner ? keys.ownerOrder(owner) : keys.order,
      keys.docs,
      kind,
      mode,
      offset,
      limit,
      max,
      order,
    );
    if (!reply) throw new Error('no page');
    const [total, refs, docs] = reply;
    expect(docs.every((doc) => doc !== null)).toBe(true);
    return { total, refs: refs.map((ref) => ref.toString('hex')) };
  }

  async function expectMatches(model: Map<string, Lead>, random: () => number): Promise<void> {
    const all = [...model.values()];
    const owners = [null, ...new Set(all.flatMap((lead) => (lead.owner ? [lead.owner] : [])))];
    for (const owner of owners) {
      const members = owner === null ? all : all.filter((lead) => lead.owner === owner);
      for (const kind of ['s', 'a'] as const) {
        const expected = sorted(members, kind).map((lead) => lead.ref);
        const whole = await page(owner, kind, 'rank', 0, 100_000, 0, 'fwd');
        expect(whole).toEqual({ total: expected.length, refs: expected });
        const reversed = await page(owner, kind, 'rank', 0, 100_000, 0, 'rev');
        expect(reversed.refs).toEqual([...expected].reverse());
        for (let n = 0; n < 3; n++) {
          const offset = Math.floor(random() * (expected.length + 3));
          const limit = 1 + Math.floor(random() * 25);
          const fwd = await page(owner, kind, 'rank', offset, limit, 0, 'fwd');
          expect(fwd.refs).toEqual(expected.slice(offset, offset + limit));
          const rev = await page(owner, kind, 'rank', offset, limit, 0, 'rev');
          expect(rev.refs).toEqual([...expected].reverse().slice(offset, offset + limit));
        }
        if (kind === 's') {
          for (let n = 0; n < 3; n++) {
            // Up to a score: a stored one (ties on it) or one between them.
            const pick = members[Math.floor(random() * members.length)];
            const minScore = n === 0 || !pick ? Math.round(random() * 100) / 2 : pick.score;
            const within = sorted(
              members.filter((lead) => lead.score >= minScore),
              's',
            ).map((lead) => lead.ref);
            const offset = Math.floor(random() * (within.length + 2));
            const limit = 1 + Math.floor(random() * 30);
            const fwd = await page(owner, 's', 'score', offset, limit, -minScore, 'fwd');
            expect(fwd).toEqual({
              total: within.length,
              refs: within.slice(offset, offset + limit),
            });
            const rev = await page(owner, 's', 'score', offset, limit, -minScore, 'rev');
            expect(rev).toEqual({
              total: within.length,
              refs: [...within].reverse().slice(offset, offset + limit),
            });
          }
        }
      }
    }
  }

  /**
   * Random batches: new leads, score and activity changes, owner changes, stale versions (an
   * older version than the model holds, never applied), a lead twice in one call; the model keeps
   * the newest of each lead. Answers the batch and how many of its entries are to be applied.
   */
  function randomBatches(random: () => number, model: Map<string, Lead>) {
    const owners = ['rep-a', 'rep-b', 'rep-c', 'rep|pipe'];
    let clock = Date.UTC(2026, 11, 1);
    // Few distinct scores and activities: long runs of ties, split across buckets.
    const score = () =>
      random() < 0.5 ? Math.floor(random() * 5) * 10 : Math.floor(random() * 10000) / 100;
    // Never active (last), or a day of November 2026, or now and then one before 1970.
    const activity = () =>
      random() < 0.25
        ? null
        : random() < 0.05
          ? -Math.floor(random() * 3) * 86_400_000 - 1
          : Date.UTC(2026, 10, 1 + Math.floor(random() * 20));
    return (
      size: number,
      knownShare: number,
      moveAll = false,
    ): { batch: Lead[]; fresh: number } => {
      const batch: Lead[] = [];
      let fresh = 0;
      for (let i = 0; i < size; i++) {
        const existing = [...model.values()];
        const known = existing.length > 0 && random() < knownShare;
        const previous = known ? existing[Math.floor(random() * existing.length)] : undefined;
        const stale = previous !== undefined && random() < 0.1;
        const lead: Lead = {
          ref: previous?.ref ?? new Types.ObjectId().toHexString(),
          score: random() < 0.3 && previous ? previous.score : score(),
          activity: random() < 0.4 && previous ? previous.activity : activity(),
          owner: random() < 0.3 ? null : owners[Math.floor(random() * owners.length)],
          version: stale ? previous.version - 1 : (previous?.version ?? 0) + 1,
          at: (clock += 1000),
        };
        batch.push(lead);
        if (!stale) {
          model.set(lead.ref, lead);
          fresh += 1;
        }
      }
      // Removals mostly: a round that moves many leads away from their buckets empties some.
      if (moveAll) {
        for (const lead of [...model.values()]) {
          const moved = { ...lead, score: 100, version: lead.version + 1, at: (clock += 1) };
          batch.push(moved);
          model.set(lead.ref, moved);
          fresh += 1;
        }
      }
      return { batch, fresh };
    };
  }

  it('pages every ordering as the model sorts it through splits, merges and moves', async () => {
    const random = seededRandom(5);
    const cap = 8;
    const model = new Map<string, Lead>();
    const next = randomBatches(random, model);
    for (let round = 0; round < 14; round++) {
      const { batch, fresh } =
        round < 3 ? next(120, 0.1) : next(40 + Math.floor(random() * 60), 0.8, round === 10);
      const applied = await apply(batch, cap);
      expect(applied).toBe(fresh);
      await expectMatches(model, random);
    }
    // The buckets stay small: none above the cap, and no more of them than the leads allow.
    // A directory member: kind (1 byte), bound (20 bytes), bucket id; the bucket's field: kind..id.
    const dir = await redis.zrangebylexBuffer(keys.dir, '-', '+');
    const fields = dir.map((member) =>
      Buffer.concat([member.subarray(0, 1), member.subarray(21)]).toString(),
    );
    const lengths = await Promise.all(fields.map((field) => redis.hstrlen(keys.order, field)));
    expect(Math.max(...lengths)).toBeLessThanOrEqual(cap * 20);
    // Every lead's two records, each in one bucket.
    expect(lengths.reduce((sum, length) => sum + length, 0)).toBe(2 * 20 * model.size);
    expect(dir.length).toBeLessThan((2 * model.size) / (cap / 4));
    expect(Number(await redis.hget(keys.order, '#n'))).toBe(model.size);
  });

  it('answers an empty group and an owner left with no lead', async () => {
    const lead: Lead = {
      ref: new Types.ObjectId().toHexString(),
      score: 10,
      activity: null,
      owner: 'rep-gone',
      version: 1,
      at: Date.now(),
    };
    await apply([lead], BUCKET_RECORDS);
    expect((await page('rep-gone', 's', 'rank', 0, 10, 0, 'fwd')).refs).toEqual([lead.ref]);
    await apply([{ ...lead, owner: null, version: 2 }], BUCKET_RECORDS);
    expect(await page('rep-gone', 's', 'rank', 0, 10, 0, 'fwd')).toEqual({ total: 0, refs: [] });
    expect(await redis.exists(keys.ownerDir('rep-gone'), keys.ownerOrder('rep-gone'))).toBe(0);
    expect(await page('rep-never', 'a', 'score', 0, 10, 0, 'rev')).toEqual({ total: 0, refs: [] });
  });

  it('refuses a doc of another format, and a lead its orderings do not hold', async () => {
    const ref = new Types.ObjectId().toHexString();
    const lead: Lead = { ref, score: 5, activity: null, owner: null, version: 1, at: Date.now() };
    await apply([lead], BUCKET_RECORDS);
    // The docs' fields are the lead refs' 12 bytes.
    const field = Buffer.from(ref, 'hex');
    const stored = (await redis.hget(keys.docs, field))!;
    await redis.hset(keys.docs, field, stored.replace(/^\[3,/, '[2,'));
    await expect(apply([{ ...lead, version: 2 }], BUCKET_RECORDS)).rejects.toThrow(
      'RANKING_FORMAT',
    );
    await redis.hset(keys.docs, field, stored);
    // An entry that does not read (its score is not a number) refuses the whole call before any
    // write: the good entry beside it is not applied either.
    const other: Lead = { ...lead, ref: new Types.ObjectId().toHexString() };
    const docs = await redis.hlen(keys.docs);
    const owners = applyKeys(base, []);
    // Nor does a score Lua would read but the app would not (not a finite number), or a last
    // activity that is a sign alone.
    const good = docOf({ ...lead, version: 4 });
    const bads = [
      ...['five', 'nan', 'inf', '-inf', 'NaN', 'Infinity', '-Infinity'].map((score) =>
        good.replace('|5|', `|${score}|`),
      ),
      good.replace(/\|5\|$/, '|5|-'),
    ];
    expect(good).toMatch(/\|5\|$/);
    for (const bad of bads) {
      await expect(
        scripts.apply(
          owners.length,
          ...owners,
          keys.layout,
          BUCKET_RECORDS,
          other.ref,
          docOf(other),
          ref,
          bad,
        ),
      ).rejects.toThrow('RANKING_FORMAT');
      expect(readScoreDocOrdering(bad)).toBeNull();
    }
    expect(await redis.hlen(keys.docs)).toBe(docs);
    // The doc says score 7: no record of it in the orderings. Found part-way through a call, which
    // has written what came before: the script takes the index out of service itself.
    await redis.hset(keys.docs, field, docOf({ ...lead, score: 7 }));
    const generation = Number((await redis.get(keys.generation)) ?? 0);
    expect(await redis.exists(keys.ready)).toBe(1);
    await expect(apply([other, { ...lead, version: 3 }], BUCKET_RECORDS)).rejects.toThrow(
      'RANKING_STATE',
    );
    expect(await redis.exists(keys.ready)).toBe(0);
    expect(Number(await redis.get(keys.generation))).toBe(generation + 1);
  });

  describe('a rebuild', () => {
    const tenantId = base.slice(base.indexOf('{') + 1, -1);
    let rebuilds: RankingRebuilds;

    beforeAll(() => {
      const config = {
        redis: { prefix: base.slice(0, base.indexOf(':ranking:')) },
        scoring: { rankingIndex: 'redis' },
      } as unknown as ConnectedAppConfig;
      const index = new ScoreRankingIndex(redis, {} as Queue, config);
      expect(index.base(tenantId)).toBe(base);
      rebuilds = new RankingRebuilds(redis, index);
    });

    it('lays out what it reads whole, applies what was held back meanwhile, and the scripts carry on from it', async () => {
      const random = seededRandom(11);
      const model = new Map<string, Lead>();
      const next = randomBatches(random, model);
      // What the database holds when the rebuild begins: version 1 of 700 leads.
      next(700, 0);
      const read = [...model.values()];
      const rebuild = await rebuilds.begin(tenantId, { bucketFill: 6 });
      expect(await redis.exists(keys.ready, keys.dir, keys.order, keys.docs)).toBe(0);
      await rebuild.add(read.slice(0, 350).map(rowOf));

      // Live updates meanwhile (new leads, changes, stale versions): held back, the orderings
      // untouched. The rebuild reads some of the changed leads later, newer still.
      const live = next(300, 0.6);
      await apply(live.batch, 8);
      expect(await redis.exists(keys.dir, keys.order)).toBe(0);
      expect(await redis.hlen(keys.pending)).toBeGreaterThan(0);
      const later = read.slice(350).map((lead) => {
        const now = model.get(lead.ref)!;
        if (now.version === 1 || random() < 0.5) return lead;
        const newer = { ...now, version: now.version + 1, score: 42, at: now.at + 1 };
        model.set(lead.ref, newer);
        return newer;
      });
      await rebuild.add(later.slice(0, 200).map(rowOf));
      await rebuild.add(later.slice(200).map(rowOf));
      expect(rebuild.count).toBe(700);

      const stages: string[] = [];
      const finished = rebuild.finish(async (stage) => {
        stages.push(stage);
        // Held back until the orderings are written; APPLY writes them again from the second.
        expect(await redis.exists(keys.building)).toBe(stage === 'laying out' ? 1 : 0);
      });
      await expect(finished).resolves.toBe('completed');
      expect(stages).toEqual(['laying out', 'applying held back']);
      expect(await redis.exists(keys.building, keys.pending, keys.draining, keys.rebuilder)).toBe(
        0,
      );
      await expectMatches(model, random);
      // Every lead's two records, each in one bucket, and its count.
      const dir = await redis.zrangebylexBuffer(keys.dir, '-', '+');
      const lengths = await Promise.all(
        dir.map((member) =>
          redis.hstrlen(
            keys.order,
            Buffer.concat([member.subarray(0, 1), member.subarray(21)]).toString(),
          ),
        ),
      );
      expect(lengths.reduce((sum, length) => sum + length, 0)).toBe(2 * 20 * model.size);
      expect(Number(await redis.hget(keys.order, '#n'))).toBe(model.size);

      // The scripts go on from the layout with buckets of 8: splits, merges, moves, stale entries.
      for (let round = 0; round < 8; round++) {
        const { batch, fresh } = next(40 + Math.floor(random() * 60), 0.8, round === 5);
        expect(await apply(batch, 8)).toBe(fresh);
        await expectMatches(model, random);
      }
    });

    it('stops once a later rebuild took the keys, before or after it released them (superseded)', async () => {
      const lead: Lead = {
        ref: new Types.ObjectId().toHexString(),
        score: 3,
        activity: null,
        owner: 'rep-x',
        version: 1,
        at: Date.now(),
      };
      const first = await rebuilds.begin(tenantId);
      const second = await rebuilds.begin(tenantId);
      await expect(first.add([rowOf({ ...lead, score: 99 })])).rejects.toThrow(
        RankingRebuildSuperseded,
      );
      await second.add([rowOf(lead)]);
      await expect(first.finish()).rejects.toThrow(RankingRebuildSuperseded);
      expect(await redis.exists(keys.ready)).toBe(0);
      await expect(second.finish()).resolves.toBe('completed');
      await expectMatches(new Map([[lead.ref, lead]]), seededRandom(2));

      // Taken over after it let APPLY write the orderings again, while it applies what was held
      // back: it neither drops the later one's `draining` nor marks the index ready.
      const third = await rebuilds.begin(tenantId);
      await third.add([rowOf({ ...lead, version: 2 })]);
      await apply([{ ...lead, version: 3, score: 7 }], 8); // held back for the third
      let fourth: RankingRebuild | undefined;
      const internals = third as unknown as { drain(): Promise<void> };
      const drain = internals.drain.bind(third);
      internals.drain = async () => {
        fourth = await rebuilds.begin(tenantId);
        await fourth.add([rowOf({ ...lead, version: 3, score: 7 })]);
        await apply([{ ...lead, version: 4, score: 8 }], 8); // held back for the fourth
        await drain();
      };
      await expect(third.finish()).rejects.toThrow(RankingRebuildSuperseded);
      expect(await redis.exists(keys.ready)).toBe(0);
      expect(await redis.hlen(keys.pending)).toBe(1);
      await expect(fourth!.finish()).resolves.toBe('completed');
      const newest = { ...lead, version: 4, score: 8 };
      await expectMatches(new Map([[lead.ref, newest]]), seededRandom(3));
    });

    it('keeps a lead the walk read twice once, as read last', async () => {
      const lead: Lead = {
        ref: new Types.ObjectId().toHexString(),
        score: 30,
        activity: Date.UTC(2026, 10, 2),
        owner: 'rep-a',
        version: 1,
        at: Date.now(),
      };
      const other = { ...lead, ref: new Types.ObjectId().toHexString(), score: 20 };
      const rebuild = await rebuilds.begin(tenantId);
      await rebuild.add([rowOf(lead), rowOf(other)]);
      const moved = { ...lead, version: 2, score: 10, owner: 'rep-b' };
      await rebuild.add([rowOf(moved)]);
      await expect(rebuild.finish()).resolves.toBe('completed');
      const model = new Map([
        [moved.ref, moved],
        [other.ref, other],
      ]);
      await expectMatches(model, seededRandom(4));
      // The scripts find each record where the docs say: a later update moves it.
      await apply([{ ...moved, version: 3, score: 90 }], 8);
      model.set(moved.ref, { ...moved, version: 3, score: 90 });
      await expectMatches(model, seededRandom(5));
    });

    it('clears an index of thousands of owners (the keys in slices)', async () => {
      const owners = Array.from({ length: 1_500 }, (_, i) => `rep-${i}`);
      await redis.sadd(keys.owners, ...owners);
      await redis.hset(keys.ownerOrder('rep-1499'), '#n', 1);
      const rebuild = await rebuilds.begin(tenantId);
      expect(await redis.exists(keys.owners, keys.ownerOrder('rep-1499'))).toBe(0);
      await expect(rebuild.finish()).resolves.toBe('completed');
    });

    it('of a tenant with no lead, is ready and empty', async () => {
      const rebuild = await rebuilds.begin(tenantId);
      await expect(rebuild.finish()).resolves.toBe('completed');
      expect(await page(null, 's', 'rank', 0, 10, 0, 'fwd')).toEqual({ total: 0, refs: [] });
      expect(await redis.exists(keys.ready)).toBe(1);
    });
  });
});
