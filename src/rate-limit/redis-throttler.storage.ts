import { ThrottlerStorageRedisService } from '@nest-lab/throttler-storage-redis';
import type { ThrottlerStorage } from '@nestjs/throttler';
import type Redis from 'ioredis';

/** What a storage answers for one hit: hits so far, seconds left, and whether it is blocked. */
export type ThrottlerHit = Awaited<ReturnType<ThrottlerStorage['increment']>>;

/**
 * The throttlers' counters: the maintained Redis storage for @nestjs/throttler
 * (@nest-lab/throttler-storage-redis: one atomic script per hit, keys hash-tagged per tracker so
 * they stay Redis Cluster-safe), under this deployment's key prefix (REDIS_PREFIX; each test file
 * has its own). Shared by every api process, so a budget holds for the whole deployment. Our
 * guards make the key the tracker alone (user or address), so GraphQL, REST and WebSocket
 * operations spend one budget.
 */
export function createThrottlerStorage(redis: Redis, prefix: string): ThrottlerStorage {
  const storage = new ThrottlerStorageRedisService(redis);
  return {
    increment: (key, ttl, limit, blockDuration, throttlerName) =>
      storage.increment(`${prefix}:rl:${key}`, ttl, limit, blockDuration, throttlerName),
  };
}
