import { Inject, Injectable, Logger } from '@nestjs/common';
import Redis from 'ioredis';
import { Types } from 'mongoose';

import { REDIS_CLIENT } from '@/common/redis/redis.constants';

import { rankingKeys } from './ranking-keys';
import { HELD_SCRIPT } from './ranking-scripts';
import { ScoreRankingIndex } from './score-ranking.index';

/** Refs a HELD call asks about (Lua's `unpack` of one call's arguments stays well in bounds). */
const REFS_PER_CALL = 1_000;

interface MembershipScripts {
  /** docs key, the refs' 12 bytes end to end: a '1' or '0' per ref. */
  rankingHeld(docs: string, refs: Buffer): Promise<string>;
}

/**
 * Which leads a tenant's ranking index holds: the cheap existence check of ingestion that answers
 * on acknowledgement (`acknowledge: LOGGED`), where reading a thousand leads from MongoDB would
 * cost five times the insert itself (40 against 8 ms on mongo-java-server).
 *
 * A held ref is proof: leads are never deleted, and a lead's score reaches the index only after
 * the lead and its score are stored, under the tenant's own keys. That holds whether the index is
 * `ready` or not (a rebuild under way, an invalidated index still hold only real leads). A ref not
 * held proves nothing (a lead created a moment ago, an index cleared or never built, RANKING_INDEX
 * off): the caller asks MongoDB about those.
 */
@Injectable()
export class RankingMembership {
  private readonly logger = new Logger(RankingMembership.name);
  private readonly scripts: MembershipScripts;

  constructor(
    @Inject(REDIS_CLIENT) redis: Redis,
    private readonly index: ScoreRankingIndex,
  ) {
    if (!('rankingHeld' in redis))
      redis.defineCommand('rankingHeld', { numberOfKeys: 1, lua: HELD_SCRIPT });
    this.scripts = redis as unknown as MembershipScripts;
  }

  /**
   * For each ref, in order, whether the tenant's index holds it. Never throws: with Redis away
   * every answer is false (the caller reads MongoDB, as with the index off).
   */
  async held(tenantId: string, refs: readonly Types.ObjectId[]): Promise<boolean[]> {
    if (!this.index.enabled || refs.length === 0) return refs.map(() => false);
    const docs = rankingKeys(this.index.base(tenantId)).docs;
    const held: boolean[] = [];
    try {
      for (let i = 0; i < refs.length; i += REFS_PER_CALL) {
        const chunk = refs.slice(i, i + REFS_PER_CALL);
        const flags = await this.scripts.rankingHeld(
          docs,
          Buffer.concat(chunk.map((ref) => ref.id)),
        );
        for (let j = 0; j < chunk.length; j++) held.push(flags.charCodeAt(j) === 49 /* '1' */);
      }
      return held;
    } catch (error) {
      this.logger.warn({
        msg: 'ranking index not asked which leads exist; reading them from MongoDB',
        tenantId,
        error: (error as Error).message,
      });
      return refs.map(() => false);
    }
  }
}
