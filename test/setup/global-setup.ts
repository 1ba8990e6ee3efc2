import { loadConfig } from '../../src/config/load-config';
import { startLocalEngines } from '../../src/local-engines/local-engines';

import { ENGINE_ENV, setEngines } from './engines-state';

/**
 * Starts MongoDB and Redis once for the whole integration run (unless MONGODB_URI / REDIS_URL
 * point at engines already). Test files reach them through the variables in ENGINE_ENV, each with
 * its own database and Redis key prefix.
 */
export default async function globalSetup(): Promise<void> {
  const startedAt = Date.now();
  const config = loadConfig({ ...process.env, NODE_ENV: 'test' });
  // Supervised as under `npm start`: an engine that dies mid-run comes back on its port.
  const engines = await startLocalEngines({
    config,
    persistent: false,
    env: process.env,
    supervise: true,
  });
  setEngines(engines);
  process.env[ENGINE_ENV.mongo] = engines.mongoUri;
  process.env[ENGINE_ENV.redis] = engines.redisUrl;
  process.stdout.write(
    `\nintegration engines ready in ${Date.now() - startedAt} ms:\n  ${engines.descriptions.join('\n  ')}\n`,
  );
}
