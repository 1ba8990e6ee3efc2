import { join, resolve } from 'node:path';

import type { AppConfig } from '@/config/app-config';

import { LocalEngine } from './local-engine';
import { startMongoEngine } from './mongo-engine';
import { startRedisEngine } from './redis-engine';

export interface StartedEngines {
  readonly mongoUri: string;
  readonly redisUrl: string;
  /** One line per engine: what runs and whether the project started it. */
  readonly descriptions: readonly string[];
  stop(): Promise<void>;
}

/**
 * Starts whichever of MongoDB and Redis the configuration does not point at. `persistent` keeps
 * their data under DATA_DIR (local runs); otherwise they are throw-away (tests).
 */
export async function startLocalEngines({
  config,
  persistent,
  env,
}: {
  config: AppConfig;
  persistent: boolean;
  env: Readonly<Record<string, string | undefined>>;
}): Promise<StartedEngines> {
  const dataDir = resolve(config.dataDir);
  const started: LocalEngine[] = [];
  const stop = async () => {
    await Promise.allSettled(started.reverse().map((engine) => engine.stop()));
  };

  try {
    const [mongo, redis] = await Promise.all([
      config.mongo.uri === undefined
        ? startMongoEngine({
            engine: config.mongo.localEngine,
            persistentDir: persistent ? join(dataDir, 'mongo') : undefined,
            env,
          }).then(track)
        : undefined,
      config.redis.url === undefined
        ? startRedisEngine({ persistentDir: persistent ? join(dataDir, 'redis') : undefined }).then(
            track,
          )
        : undefined,
    ]);
    return {
      mongoUri: mongo?.uri ?? (config.mongo.uri as string),
      redisUrl: redis?.uri ?? (config.redis.url as string),
      descriptions: [
        mongo
          ? `MongoDB: ${mongo.name}, started locally (pid ${mongo.pid}) at ${mongo.uri}`
          : 'MongoDB: MONGODB_URI',
        redis
          ? `Redis: ${redis.name}, started locally (pid ${redis.pid}) at ${redis.uri}`
          : 'Redis: REDIS_URL',
      ],
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }

  function track(engine: LocalEngine): LocalEngine {
    started.push(engine);
    return engine;
  }
}
