import { Inject, Injectable } from '@nestjs/common';
import { getStorageToken, ThrottlerStorage } from '@nestjs/throttler';
import Redis from 'ioredis';

import { REDIS_CLIENT } from '@/common/redis/redis.constants';
import { APP_CONFIG } from '@/config/app-config';
import type { ConnectedAppConfig } from '@/config/app-config';

import { USER_THROTTLER, userBudgetTracker } from './throttlers';

const MINUTE_MS = 60_000;

export interface RateLimitHit {
  /** Hits in the current window, this one included. */
  readonly count: number;
  /** Milliseconds until the window ends. */
  readonly resetInMs: number;
}

// INCR and start the window on the first hit, atomically; answers the count and the window left.
const HIT_SCRIPT = `
local count = redis.call('INCR', KEYS[1])
if count == 1 then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end
local ttl = redis.call('PTTL', KEYS[1])
if ttl < 0 then redis.call('PEXPIRE', KEYS[1], ARGV[1]); ttl = tonumber(ARGV[1]) end
return {count, ttl}
`;

/**
 * Fixed-window counters in Redis, shared by every api process: the limits hold for the whole
 * deployment, not per process. The request budgets live in the throttler's storage
 * (`RequestBudgets`); these counters are for what is not a request budget: failed logins (reset
 * by a success) and registrations per address and per email.
 */
@Injectable()
export class RateLimiterService {
  private readonly prefix: string;
  private readonly userPerMinute: number;

  constructor(
    @Inject(REDIS_CLIENT) private readonly redis: Redis,
    @Inject(APP_CONFIG) config: ConnectedAppConfig,
    @Inject(getStorageToken()) private readonly throttlerStorage: ThrottlerStorage,
  ) {
    this.prefix = `${config.redis.prefix}:rl:`;
    this.userPerMinute = config.rateLimit.userPerMinute;
  }

  /**
   * Counts one operation against the user's per-minute budget, the same counter `RequestGate`
   * spends (for operations that arrive outside it, over WebSocket). Answers the seconds to wait
   * when the budget is spent, else undefined.
   */
  async hitUserBudget(userId: string): Promise<number | undefined> {
    const hit = await this.throttlerStorage.increment(
      userBudgetTracker(userId),
      MINUTE_MS,
      this.userPerMinute,
      MINUTE_MS,
      USER_THROTTLER,
    );
    return hit.isBlocked ? Math.max(1, hit.timeToBlockExpire) : undefined;
  }

  async hit(key: string, windowMs: number): Promise<RateLimitHit> {
    const [count, ttl] = (await this.redis.eval(
      HIT_SCRIPT,
      1,
      this.prefix + key,
      String(windowMs),
    )) as [number, number];
    return { count, resetInMs: ttl };
  }

  async peek(key: string): Promise<RateLimitHit> {
    const [count, ttl] = await Promise.all([
      this.redis.get(this.prefix + key),
      this.redis.pttl(this.prefix + key),
    ]);
    return { count: Number(count ?? 0), resetInMs: Math.max(ttl, 0) };
  }

  async reset(key: string): Promise<void> {
    await this.redis.del(this.prefix + key);
  }
}
