import { join, resolve } from 'node:path';

import { Logger } from '@nestjs/common';

import type { AppConfig } from '@/config/app-config';

import { EngineCheck, mongoEngineCheck, redisEngineCheck } from './engine-checks';
import { EngineSupervisor, SupervisorLogger } from './engine-supervisor';
import { LocalEngine } from './local-engine';
import { startMongoEngine } from './mongo-engine';
import { startRedisEngine } from './redis-engine';
import { checkTimeoutMs } from './supervision-policy';

/** An engine this process started, as it is now (a supervised engine's pid changes on restart). */
export interface RunningEngine {
  readonly name: string;
  readonly uri: string;
  readonly pid: number | undefined;
}

export interface StartedEngines {
  readonly mongoUri: string;
  readonly redisUrl: string;
  /** One line per engine: what runs and whether the project started it. */
  readonly descriptions: readonly string[];
  /** Absent when the configuration points at an engine (MONGODB_URI / REDIS_URL). */
  readonly mongo?: RunningEngine;
  readonly redis?: RunningEngine;
  /** Stops restarting engines (shutdown has begun); they keep running until `stop()`. */
  stopSupervising(): void;
  stop(): Promise<void>;
}

export interface StartLocalEnginesOptions {
  config: AppConfig;
  persistent: boolean;
  env: Readonly<Record<string, string | undefined>>;
  /**
   * Restart an engine that exits or fails its write+read check (every
   * `config.localEngines.watchIntervalMs`, at most `maxRestarts` in a row) on the same port.
   */
  supervise?: boolean;
  logger?: SupervisorLogger;
}

/**
 * Starts whichever of MongoDB and Redis the configuration does not point at. `persistent` keeps
 * their data under DATA_DIR (local runs); otherwise they are throw-away (tests).
 */
export async function startLocalEngines({
  config,
  persistent,
  env,
  supervise = false,
  logger = new Logger('LocalEngines'),
}: StartLocalEnginesOptions): Promise<StartedEngines> {
  const dataDir = resolve(config.dataDir);
  const started: Array<{ stop(): Promise<void> }> = [];
  const supervisors: EngineSupervisor[] = [];
  const stop = async () => {
    for (const supervisor of supervisors) supervisor.stopWatching();
    await Promise.allSettled(started.reverse().map((engine) => engine.stop()));
  };

  const startMongo = (port?: number) =>
    startMongoEngine({
      engine: config.mongo.localEngine,
      persistentDir: persistent ? join(dataDir, 'mongo') : undefined,
      env,
      port,
    });
  const startRedis = (port?: number) =>
    startRedisEngine({ persistentDir: persistent ? join(dataDir, 'redis') : undefined, port });

  /** Registers an engine for stop(), under a supervisor when asked. */
  const track = (
    role: string,
    restart: (port: number) => Promise<LocalEngine>,
    newCheck: (uri: string, timeoutMs: number) => EngineCheck,
  ) => {
    return (engine: LocalEngine): RunningEngine => {
      if (!supervise) {
        started.push(engine);
        return engine;
      }
      const { watchIntervalMs, maxRestarts } = config.localEngines;
      const supervisor = new EngineSupervisor({
        role,
        engine,
        start: restart,
        check: newCheck(engine.uri, checkTimeoutMs(watchIntervalMs)),
        watchIntervalMs,
        maxRestarts,
        logger,
      });
      supervisors.push(supervisor);
      started.push(supervisor);
      return supervisor;
    };
  };

  try {
    const [mongo, redis] = await Promise.all([
      config.mongo.uri === undefined
        ? startMongo().then(track('MongoDB', startMongo, mongoEngineCheck))
        : undefined,
      config.redis.url === undefined
        ? startRedis().then(track('Redis', startRedis, redisEngineCheck))
        : undefined,
    ]);
    const supervised = supervise ? ', supervised' : '';
    return {
      mongoUri: mongo?.uri ?? (config.mongo.uri as string),
      redisUrl: redis?.uri ?? (config.redis.url as string),
      descriptions: [
        mongo
          ? `MongoDB: ${mongo.name}, started locally (pid ${mongo.pid}${supervised}) at ${mongo.uri}`
          : 'MongoDB: MONGODB_URI',
        redis
          ? `Redis: ${redis.name}, started locally (pid ${redis.pid}${supervised}) at ${redis.uri}`
          : 'Redis: REDIS_URL',
      ],
      mongo,
      redis,
      stopSupervising: () => supervisors.forEach((supervisor) => supervisor.stopWatching()),
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}
