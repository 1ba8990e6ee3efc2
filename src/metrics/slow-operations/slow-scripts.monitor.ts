import { Inject, Injectable, Logger, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import type Redis from 'ioredis';

import { RedisScriptCall, watchRedisScripts } from '@/common/redis/create-redis-client';
import { REDIS_CLIENT } from '@/common/redis/redis.constants';
import { APP_CONFIG } from '@/config/app-config';
import type { AppConfig } from '@/config/app-config';

import { redisKeyPattern } from './redis-key-pattern.util';
import { SlowOperationMetrics } from './slow-operation.metrics';

/**
 * Times the Lua scripts (EVAL / EVALSHA: rate limits, the ranking index, socket leases) of the
 * app's Redis client: one that took at least SLOW_OPERATION_MS is logged (`SlowOperation`, warn)
 * with its number of keys and the pattern of its first key (ids and addresses as `<id>`), and
 * counted. Bull's own clients are not watched.
 */
@Injectable()
export class SlowScriptsMonitor implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger('SlowOperation');
  private readonly thresholdMs: number;
  private readonly keyPrefix: string;
  private stop: (() => void) | undefined;

  constructor(
    @Inject(REDIS_CLIENT) private readonly redis: Redis,
    @Inject(APP_CONFIG) config: AppConfig,
    private readonly metrics: SlowOperationMetrics,
  ) {
    this.thresholdMs = config.slowOperationMs;
    this.keyPrefix = config.redis.prefix;
  }

  onModuleInit(): void {
    this.stop = watchRedisScripts(this.redis, (call) => this.onScript(call));
  }

  onModuleDestroy(): void {
    this.stop?.();
  }

  private onScript(call: RedisScriptCall): void {
    if (call.durationMs < this.thresholdMs) return;
    this.metrics.countSlow('redis', 'eval');
    this.logger.warn({
      msg: 'slow Redis script',
      keys: call.keyCount,
      firstKeyPattern: redisKeyPattern(call.firstKey, { keep: [this.keyPrefix] }),
      durationMs: Math.round(call.durationMs * 10) / 10,
      ...(call.failed ? { failed: true } : {}),
    });
  }
}
