import { Inject, Injectable } from '@nestjs/common';
import type { Redis } from 'ioredis';

import { REDIS_CLIENT } from '@/common/redis/redis.constants';
import { APP_CONFIG } from '@/config/app-config';
import type { ConnectedAppConfig } from '@/config/app-config';

const WINDOW_MS = 60_000;

/**
 * The deployment's tokens-per-minute budget (AI_TOKENS_PER_MINUTE), counted in Redis per minute
 * window across every worker. A call reserves its estimate first; past the budget it waits for the
 * next window. The real usage replaces the estimate once the answer is in.
 */
@Injectable()
export class TokenBudget {
  private readonly prefix: string;
  private readonly perMinute: number;

  constructor(
    @Inject(REDIS_CLIENT) private readonly redis: Redis,
    @Inject(APP_CONFIG) config: ConnectedAppConfig,
  ) {
    this.prefix = `${config.redis.prefix}:ai:tokens:`;
    this.perMinute = config.openai.tokensPerMinute;
  }

  /** Waits until `estimate` tokens fit in a window; returns that window (for `settle`). */
  async reserve(
    estimate: number,
    sleep: (ms: number) => Promise<void> = (ms) => new Promise((r) => setTimeout(r, ms)),
  ): Promise<number> {
    const amount = Math.min(estimate, this.perMinute);
    for (;;) {
      const now = Date.now();
      const window = Math.floor(now / WINDOW_MS);
      const key = this.prefix + window;
      const used = await this.redis.incrby(key, amount);
      if (used === amount) await this.redis.pexpire(key, 2 * WINDOW_MS);
      if (used <= this.perMinute) return window;
      await this.redis.decrby(key, amount);
      await sleep((window + 1) * WINDOW_MS - now + 5);
    }
  }

  /** Replaces the estimate by what the call used. */
  async settle(window: number, estimate: number, used: number): Promise<void> {
    const delta = used - Math.min(estimate, this.perMinute);
    if (delta !== 0) await this.redis.incrby(this.prefix + window, delta);
  }
}
