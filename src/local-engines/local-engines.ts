import { existsSync, renameSync } from 'node:fs';
import { join, resolve } from 'node:path';

import { Logger } from '@nestjs/common';

import type { AppConfig } from '@/config/app-config';

import { EngineCheck, mongoEngineCheck, redisEngineCheck } from './engine-checks';
import { EngineSupervisor, SupervisorLogger } from './engine-supervisor';
import { EngineExit, LocalEngine } from './local-engine';
import { MongoEngineOptions, startMongoEngine } from './mongo-engine';
import { startRedisEngine } from './redis-engine';
import { brokenStorePath, checkStoreOnRestart, UnopenableStoreError } from './store-recovery';
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

  const startMongo = (port?: number, previousExit?: EngineExit) =>
    startMongoRecovering(
      {
        engine: config.mongo.localEngine,
        persistentDir: persistent ? join(dataDir, 'mongo') : undefined,
        env,
        port,
        checkStore: checkStoreOnRestart(previousExit),
      },
      logger,
    );
  const startRedis = (port?: number) =>
    startRedisEngine({ persistentDir: persistent ? join(dataDir, 'redis') : undefined, port });

  /** Registers an engine for stop(), under a supervisor when asked. */
  const track = (
    role: string,
    restart: (port: number, previousExit: EngineExit | undefined) => Promise<LocalEngine>,
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

/**
 * Starts the MongoDB engine, and says loudly what it had to do to its data file: versions it rolled
 * back or documents it removed because it could not load them (both saved aside by the launcher),
 * or a file it could not open at all, which is moved aside (`<file>.broken-<time>`, kept for
 * inspection) so that a fresh, empty store starts.
 * Local engines serve development and tests only (never production): a running app with its data
 * set aside beats one that stays down until someone repairs a file by hand.
 */
export async function startMongoRecovering(
  options: MongoEngineOptions,
  logger: SupervisorLogger,
): Promise<LocalEngine> {
  let engine: LocalEngine;
  try {
    engine = await startMongoEngine(options);
  } catch (error) {
    if (!(error instanceof UnopenableStoreError) || !existsSync(error.file)) throw error;
    const movedTo = brokenStorePath(error.file, new Date());
    renameSync(error.file, movedTo);
    logger.error({
      msg: `LOCAL MONGODB DATA MOVED ASIDE: the local MongoDB engine cannot open its data file, so it was moved to ${movedTo} (kept for inspection) and the engine starts with an EMPTY store; every tenant, user and lead stored locally before is gone from the app`,
      file: error.file,
      movedTo,
      error: error.reason,
    });
    engine = await startMongoEngine(options);
  }
  const { rolledBack, removed } = engine.storeRepair ?? {};
  if (rolledBack) {
    logger.error({
      msg: `local MongoDB engine rolled its data file back ${rolledBack.versions} version(s), to the newest one it could read in full (the store had closed in the middle of a write): the last writes before that failure are lost; the file as it was is saved in ${rolledBack.originalSavedTo}`,
      ...rolledBack,
    });
  }
  if (removed) {
    logger.error({
      msg: `local MongoDB engine removed ${removed.count} document(s) from its data file because it could not load them (nested deeper than MongoDB allows); they are saved in ${removed.savedTo}, everything else is kept`,
      removed: removed.count,
      namespaces: removed.namespaces,
      savedTo: removed.savedTo,
    });
  }
  return engine;
}
