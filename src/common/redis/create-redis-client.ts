import { Logger } from '@nestjs/common';
import Redis, { RedisOptions } from 'ioredis';

const ERROR_LOG_INTERVAL_MS = 10_000;

/**
 * An ioredis client that never crashes the process: connection errors are logged (at most once per
 * interval, they repeat on every reconnect attempt) and reconnection goes on in the background.
 */
export function createRedisClient(url: string, name: string, options: RedisOptions = {}): Redis {
  const logger = new Logger(`Redis:${name}`);
  const client = new Redis(url, {
    connectionName: name,
    lazyConnect: false,
    retryStrategy: (attempt) => Math.min(attempt * 200, 2_000),
    // While Redis is away, commands fail within about a second instead of queueing for minutes.
    maxRetriesPerRequest: 1,
    commandTimeout: 2_000,
    ...options,
  });
  let lastLoggedAt = 0;
  client.on('error', (error: Error) => {
    const now = Date.now();
    if (now - lastLoggedAt < ERROR_LOG_INTERVAL_MS) return;
    lastLoggedAt = now;
    logger.warn({ msg: 'redis connection error', error: error.message });
  });
  return client;
}
