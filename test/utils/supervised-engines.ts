import { loadConfig } from '@/config/load-config';
import type { SupervisorLogger } from '@/local-engines/engine-supervisor';
import { startLocalEngines, StartedEngines } from '@/local-engines/local-engines';

/**
 * Engines of a test's own, as `npm start` runs them (mongo-java-server on an H2 file in `dataDir`,
 * Redis with AOF), supervised: for tests that break or kill them, never the run's shared engines.
 */
export function startSupervisedEngines({
  dataDir,
  logger,
  watchIntervalMs,
  maxRestarts,
}: {
  dataDir: string;
  logger: SupervisorLogger;
  watchIntervalMs: number;
  maxRestarts: number;
}): Promise<StartedEngines> {
  const config = loadConfig({
    ...process.env,
    NODE_ENV: 'test',
    MONGODB_URI: undefined,
    REDIS_URL: undefined,
    DATA_DIR: dataDir,
    // The local runs' engine, whatever else this machine has.
    LOCAL_MONGO_ENGINE: 'java',
    LOCAL_ENGINE_WATCH_INTERVAL_MS: String(watchIntervalMs),
    LOCAL_ENGINE_MAX_RESTARTS: String(maxRestarts),
  });
  return startLocalEngines({ config, persistent: true, env: process.env, supervise: true, logger });
}
