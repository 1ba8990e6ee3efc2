import { Inject, Injectable } from '@nestjs/common';
import type { Redis } from 'ioredis';

import { REDIS_CLIENT } from '@/common/redis/redis.constants';
import { APP_CONFIG } from '@/config/app-config';
import type { ConnectedAppConfig } from '@/config/app-config';

import { breakerDecision, BreakerState, onFailure, onSuccess } from '../insight/circuit-breaker';

const CLOSED: BreakerState = { state: 'CLOSED', consecutiveFailures: 0, openedAt: null };

/**
 * The OpenAI circuit breaker, shared by every process through Redis: after AI_BREAKER_FAILURES
 * failed calls in a row it opens and every insight goes to the fallback; after
 * AI_BREAKER_COOLDOWN_MS one process (whoever takes the probe lease) tries a call: success closes
 * it, failure opens it again. The transitions are the pure `circuit-breaker` ones; Redis holds the
 * state (a hash) and the probe lease (SET NX PX), so two processes never probe at once.
 */
@Injectable()
export class CircuitBreakerStore {
  private readonly key: string;
  private readonly probeKey: string;
  private readonly failureThreshold: number;
  private readonly cooldownMs: number;

  constructor(
    @Inject(REDIS_CLIENT) private readonly redis: Redis,
    @Inject(APP_CONFIG) config: ConnectedAppConfig,
  ) {
    this.key = `${config.redis.prefix}:ai:breaker`;
    this.probeKey = `${config.redis.prefix}:ai:breaker:probe`;
    this.failureThreshold = config.openai.breakerFailures;
    this.cooldownMs = config.openai.breakerCooldownMs;
  }

  async read(): Promise<BreakerState> {
    const raw = await this.redis.hgetall(this.key);
    if (!raw.state) return CLOSED;
    return {
      state: raw.state as BreakerState['state'],
      consecutiveFailures: Number(raw.consecutiveFailures ?? 0),
      openedAt: raw.openedAt ? Number(raw.openedAt) : null,
    };
  }

  /** Whether a call may go out now: closed, or this process took the half-open probe. */
  async allow(now = Date.now()): Promise<boolean> {
    const state = await this.read();
    const decision = breakerDecision(state, now, { cooldownMs: this.cooldownMs });
    if (decision === 'ALLOW') return true;
    if (decision === 'REJECT') return false;
    const taken = await this.redis.set(this.probeKey, String(now), 'PX', this.cooldownMs, 'NX');
    if (taken !== 'OK') return false;
    await this.write({ ...state, state: 'HALF_OPEN' });
    return true;
  }

  async recordSuccess(): Promise<void> {
    const state = await this.read();
    if (state.state === 'CLOSED' && state.consecutiveFailures === 0) return;
    await this.write(onSuccess(state));
    await this.redis.del(this.probeKey);
  }

  /** Returns the state after the failure (OPEN when this failure opened it). */
  async recordFailure(now = Date.now()): Promise<BreakerState> {
    const next = onFailure(await this.read(), now, { failureThreshold: this.failureThreshold });
    await this.write(next);
    if (next.state === 'OPEN') await this.redis.del(this.probeKey);
    return next;
  }

  private async write(state: BreakerState): Promise<void> {
    await this.redis.hset(this.key, {
      state: state.state,
      consecutiveFailures: String(state.consecutiveFailures),
      openedAt: state.openedAt === null ? '' : String(state.openedAt),
    });
  }
}
