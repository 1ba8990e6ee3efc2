import { randomUUID } from 'node:crypto';

import { Inject, Injectable } from '@nestjs/common';
import Redis from 'ioredis';

import { REDIS_CLIENT } from '@/common/redis/redis.constants';

import { RankingBulkBuild } from './ranking-bulk-build';
import { rankingKeys } from './ranking-keys';
import {
  BUCKET_RECORDS,
  REBUILD_COMPLETE_SCRIPT,
  REBUILD_DOCS_SCRIPT,
  REBUILD_GROUP_SCRIPT,
  REBUILD_RELEASE_SCRIPT,
} from './ranking-scripts';
import { encodeScoreDoc, readScoreDocOrdering, ScoreRowFields } from './score-doc.codec';
import { RankingEntry, ScoreRankingIndex } from './score-ranking.index';

/** Stored texts per REBUILD_DOCS call, buckets per REBUILD_GROUP call (Lua's unpack stays in bounds). */
const DOCS_PER_CALL = 1_000;
const BUCKETS_PER_CALL = 500;
/** REBUILD_GROUP calls in flight at once (one connection: a pipeline, not parallel work). */
const GROUP_CALLS_IN_FLIGHT = 8;
/** Entries held back during a rebuild applied per HSCAN page. */
const DRAIN_PAGE = 500;
/** Buckets are laid out three quarters full: room for inserts before the first split. */
const BUCKET_FILL = Math.floor((BUCKET_RECORDS * 3) / 4);

interface RebuildScripts {
  rankingRebuildDocs(
    building: string,
    docs: string,
    token: string,
    ...pairs: (string | Buffer)[]
  ): Promise<number>;
  rankingRebuildGroup(...args: (string | number | Buffer)[]): Promise<number>;
  rankingRebuildComplete(
    rebuilder: string,
    draining: string,
    generation: string,
    ready: string,
    token: string,
    since: string,
  ): Promise<number>;
  rankingRebuildRelease(
    building: string,
    pending: string,
    draining: string,
    token: string,
  ): Promise<number>;
}

/** A rebuild begun after this one owns the index's keys: this one stops (its job fails as lost). */
export class RankingRebuildSuperseded extends Error {
  constructor() {
    super('another rebuild of the ranking index began; this one stops');
    this.name = 'RankingRebuildSuperseded';
  }
}

/**
 * What a rebuild does once it has read every score (reported as the job's progress): sorting and
 * writing the orderings (~2 s at 1,000,000 leads), then applying the updates held back meanwhile.
 */
export type RankingRebuildStage = 'laying out' | 'applying held back';

/** How a rebuild ended: the index is ready, or was invalidated meanwhile (to be rebuilt again). */
export type RankingRebuildOutcome = 'completed' | 'invalidated';

/**
 * A ranking index rebuild of one tenant, from `leadScores` read in chunks:
 * 1. `begin` empties the index and sets `building` to this rebuild's token: from then on live
 *    updates are not applied to the orderings but held back in `pending` (APPLY_SCRIPT);
 * 2. `add` writes each chunk's stored texts and collects their sort keys (RankingBulkBuild);
 * 3. `finish` sorts, writes each group's orderings as whole buckets, releases `building` (live
 *    updates apply again) and applies what was held back, through APPLY like any update (an entry
 *    older than the one the rebuild read is skipped), then marks the index ready if nothing
 *    invalidated it since the start.
 *
 * Every write checks the token: a rebuild begun after this one (a stalled job's retry) owns the
 * keys, and this one then throws RankingRebuildSuperseded without writing more: neither its docs
 * nor its buckets, nor dropping `draining`, nor marking the index ready.
 *
 * Why not APPLY for the rebuild itself: inserting one record at a time costs Redis a binary search
 * and a copy of a bucket per lead and ordering (~34 µs a lead: 34 of the 61 s of a rebuild of
 * 1,000,000 leads, Redis its busiest process); sorting in the app and writing whole buckets costs
 * Redis only the writes.
 */
export class RankingRebuild {
  private readonly build = new RankingBulkBuild();

  constructor(
    private readonly redis: Redis,
    private readonly index: ScoreRankingIndex,
    private readonly tenantId: string,
    private readonly token: string,
    private readonly generation: string,
    private readonly fill: number,
  ) {}

  private get scripts(): RebuildScripts {
    return this.redis as unknown as RebuildScripts;
  }

  private get keys() {
    return rankingKeys(this.index.base(this.tenantId));
  }

  /** Leads read so far. */
  get count(): number {
    return this.build.count;
  }

  /**
   * A chunk of the tenant's scores. A lead read twice (a walk that is not a snapshot may meet a
   * document again after a write moved it) keeps the text written last, in the docs as in the
   * orderings.
   */
  async add(rows: readonly ScoreRowFields[]): Promise<void> {
    const { building, docs } = this.keys;
    for (let i = 0; i < rows.length; i += DOCS_PER_CALL) {
      const pairs: (string | Buffer)[] = [];
      for (const row of rows.slice(i, i + DOCS_PER_CALL)) {
        const ref = row.leadRef.id;
        const doc = encodeScoreDoc(row);
        this.build.add(ref, doc);
        pairs.push(Buffer.from(ref), doc);
      }
      const written = await this.scripts.rankingRebuildDocs(building, docs, this.token, ...pairs);
      if (written !== 1) throw new RankingRebuildSuperseded();
    }
  }

  /**
   * Writes the orderings, applies what was held back and marks the index ready, unless it was
   * invalidated meanwhile (the caller fails, for the job to be retried). Throws
   * RankingRebuildSuperseded when another rebuild took the keys over. `onStage` hears of each
   * stage as it begins.
   */
  async finish(
    onStage: (stage: RankingRebuildStage) => Promise<void> = () => Promise.resolve(),
  ): Promise<RankingRebuildOutcome> {
    await onStage('laying out');
    await this.writeGroups();
    const keys = this.keys;
    const released = await this.scripts.rankingRebuildRelease(
      keys.building,
      keys.pending,
      keys.draining,
      this.token,
    );
    if (released !== 1) throw new RankingRebuildSuperseded();
    await onStage('applying held back');
    await this.drain();
    const done = await this.scripts.rankingRebuildComplete(
      keys.rebuilder,
      keys.draining,
      keys.generation,
      keys.ready,
      this.token,
      this.generation,
    );
    if (done === -1) throw new RankingRebuildSuperseded();
    return done === 1 ? 'completed' : 'invalidated';
  }

  private async writeGroups(): Promise<void> {
    const keys = this.keys;
    const inFlight: Promise<number>[] = [];
    let ok = true;
    const settle = async (): Promise<void> => {
      for (const written of await Promise.all(inFlight.splice(0))) if (written !== 1) ok = false;
      if (!ok) throw new RankingRebuildSuperseded();
    };
    for (const group of this.build.groups(this.fill)) {
      const owner = group.ownerId;
      const dir = owner === null ? keys.dir : keys.ownerDir(owner);
      const order = owner === null ? keys.order : keys.ownerOrder(owner);
      // At least one call per group: it writes the count and the last id, and joins the owners.
      for (let i = 0; i === 0 || i < group.buckets.length; i += BUCKETS_PER_CALL) {
        const args: (string | number | Buffer)[] = [
          keys.building,
          keys.owners,
          dir,
          order,
          this.token,
          owner ?? '',
          group.count,
          group.seq,
        ];
        for (const bucket of group.buckets.slice(i, i + BUCKETS_PER_CALL))
          args.push(bucket.member, bucket.field, bucket.records);
        inFlight.push(this.scripts.rankingRebuildGroup(...args));
        if (inFlight.length >= GROUP_CALLS_IN_FLIGHT) await settle();
      }
    }
    await settle();
  }

  /**
   * Applies the entries held back during the rebuild, a page at a time (REBUILD_COMPLETE drops
   * them). Harmless should a later rebuild take the keys meanwhile: APPLY then holds them back for
   * that one, and skips what is older than what it holds.
   */
  private async drain(): Promise<void> {
    const { draining } = this.keys;
    let cursor = '0';
    do {
      const [next, flat] = await this.redis.hscanBuffer(draining, cursor, 'COUNT', DRAIN_PAGE);
      const entries: RankingEntry[] = [];
      for (let i = 0; i + 1 < flat.length; i += 2) {
        const doc = flat[i + 1].toString();
        entries.push({
          leadRef: flat[i].toString('hex'),
          ownerId: readScoreDocOrdering(doc)?.ownerId ?? null,
          doc,
        });
      }
      if (entries.length > 0) await this.index.write(this.tenantId, entries);
      cursor = next.toString();
    } while (cursor !== '0');
  }
}

/** Starts ranking index rebuilds (RankingRebuild). */
@Injectable()
export class RankingRebuilds {
  constructor(
    @Inject(REDIS_CLIENT) private readonly redis: Redis,
    private readonly index: ScoreRankingIndex,
  ) {
    if (!('rankingRebuildDocs' in redis)) {
      redis.defineCommand('rankingRebuildDocs', { numberOfKeys: 2, lua: REBUILD_DOCS_SCRIPT });
      redis.defineCommand('rankingRebuildGroup', { numberOfKeys: 4, lua: REBUILD_GROUP_SCRIPT });
      redis.defineCommand('rankingRebuildRelease', {
        numberOfKeys: 3,
        lua: REBUILD_RELEASE_SCRIPT,
      });
      redis.defineCommand('rankingRebuildComplete', {
        numberOfKeys: 4,
        lua: REBUILD_COMPLETE_SCRIPT,
      });
    }
  }

  /**
   * Empties the tenant's index and starts its rebuild. `bucketFill`: records per bucket laid out
   * (tests pass fewer, for the scripts' splits and merges to follow at once).
   */
  async begin(tenantId: string, { bucketFill = BUCKET_FILL } = {}): Promise<RankingRebuild> {
    const token = randomUUID();
    const generation = await this.index.beginRebuild(tenantId, token);
    return new RankingRebuild(this.redis, this.index, tenantId, token, generation, bucketFill);
  }
}
