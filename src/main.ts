import 'reflect-metadata';
// First: tracing (when configured) must patch HTTP, GraphQL, MongoDB, Redis and Bull before they load.
import { tracing } from './tracing/register';
import { existsSync } from 'node:fs';
import { join } from 'node:path';

import { Logger } from '@nestjs/common';

import { createApp } from '@/bootstrap/create-app';
import { DemoSeeder } from '@/demo/demo-seeder';
import { installGracefulShutdown } from '@/bootstrap/graceful-shutdown';
import { withDatabase } from '@/bootstrap/with-database.util';
import { createLogging } from '@/common/logging/logging';
import { ConnectedAppConfig } from '@/config/app-config';
import { ConfigValidationError } from '@/config/config-validation.error';
import { applyEnvFile } from '@/config/env-file';
import { loadConfig } from '@/config/load-config';
import { startLocalEngines, StartedEngines } from '@/local-engines/local-engines';
import { runMongoSmokeCheck } from '@/local-engines/mongo-smoke-check';
import { servesApi } from '@/app.module';

const DEFAULT_DATABASE = 'lead_scoring';

async function main(): Promise<void> {
  let config;
  try {
    // A `.env` in the working directory, for `npm start` users; the real environment wins.
    applyEnvFile(process.env);
    config = loadConfig();
  } catch (error) {
    if (error instanceof ConfigValidationError) {
      process.stderr.write(`${error.message}\n`);
      process.exit(1);
    }
    throw error;
  }

  const logging = createLogging({
    level: config.logLevel,
    base: { instanceId: config.instanceId, role: config.role },
  });
  const { logger } = logging;
  Logger.overrideLogger(logger);
  const log = new Logger('Bootstrap');
  if (config.secretKeys.ephemeral) {
    log.warn(
      'SECRETS_ENCRYPTION_KEYS is not set: webhook secrets are sealed with a random key, so they stop working when this process stops',
    );
  }
  if (config.auth.jwtSecretIsEphemeral) {
    log.warn(
      'JWT_SECRET is not set: using a random one, so tokens stop working when this process stops',
    );
  }

  // A stray rejection (a library losing a connection mid-command) is logged, not fatal: the
  // connections reconnect on their own. A thrown exception leaves unknown state: log and exit.
  process.on('unhandledRejection', (reason) => {
    log.error({
      msg: 'unhandled promise rejection',
      error: reason instanceof Error ? reason.stack : String(reason),
    });
  });
  process.on('uncaughtException', (error) => {
    log.error({ msg: 'uncaught exception: exiting', error: error.stack });
    process.exit(1);
  });

  let engines: StartedEngines | undefined;
  try {
    engines = await startLocalEngines({
      config,
      persistent: config.env !== 'test',
      env: process.env,
      // An engine that dies or stops writing is restarted on its port; the app reconnects.
      supervise: true,
    });
    for (const line of engines.descriptions) log.log(line);

    const connected: ConnectedAppConfig = {
      ...config,
      mongo: { ...config.mongo, uri: withDatabase(engines.mongoUri, DEFAULT_DATABASE) },
      redis: { ...config.redis, url: engines.redisUrl },
    };
    const smoke = await runMongoSmokeCheck(connected.mongo.uri);
    log.log({
      msg: `MongoDB engine in use: ${smoke.engine}`,
      engine: smoke.engine,
      checks: smoke.checks,
    });

    const app = await createApp({ config: connected, logging });
    if (config.demoData) await DemoSeeder.fromApp(app).seed();
    const started = engines;
    // Once shutdown begins nothing is restarted: the app is closing its connections to them.
    for (const signal of ['SIGTERM', 'SIGINT'] as const)
      process.once(signal, () => started.stopSupervising());
    installGracefulShutdown({
      app,
      logger,
      timeoutMs: config.shutdownTimeoutMs,
      drainDelayMs: config.shutdownDrainDelayMs,
      afterClose: async () => {
        // The spans still buffered go out before the process ends.
        await tracing?.shutdown();
        await started.stop();
      },
    });
    await app.listen(config.http.port, config.http.host);

    const base = (await app.getUrl())
      .replace('[::1]', 'localhost')
      .replace('127.0.0.1', 'localhost');
    log.log({
      msg: `ready: ${config.role} on ${base}`,
      dashboard:
        servesApi(connected) && existsSync(join(connected.dashboardDir, 'index.html'))
          ? `${base}/`
          : undefined,
      graphql: servesApi(connected) ? `${base}/graphql` : undefined,
      health: `${base}/health`,
      metrics: `${base}/metrics`,
    });
  } catch (error) {
    log.error(error instanceof Error ? error : String(error));
    await engines?.stop();
    process.exit(1);
  }
}

void main();
