import { randomUUID } from 'node:crypto';
import { basename } from 'node:path';

import { getQueueToken } from '@nestjs/bull';
import { INestApplication, ModuleMetadata } from '@nestjs/common';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { Test, TestingModuleBuilder } from '@nestjs/testing';
import type { Queue } from 'bull';
import mongoose from 'mongoose';

import { AppModule } from '@/app.module';
import { nestApplicationOptions, prepareApp } from '@/bootstrap/create-app';
import { createLogging } from '@/common/logging/logging';
import type { AppRole, ConnectedAppConfig, LogLevel } from '@/config/app-config';
import { loadConfig } from '@/config/load-config';

import { ENGINE_ENV } from '../setup/engines-state';

export const TEST_JWT_SECRET = 'integration-tests-secret-0123456789abcdef';
export const TEST_SECRETS_KEY = `test:${Buffer.alloc(32, 7).toString('base64')}`;

export interface TestApp {
  readonly app: INestApplication;
  readonly config: ConnectedAppConfig;
  /** http://127.0.0.1:port */
  readonly url: string;
  /** ws://127.0.0.1:port/graphql */
  readonly wsUrl: string;
  close(): Promise<void>;
}

export interface TestAppOptions {
  /** Share a database and Redis prefix between instances (e.g. two processes of one deployment). */
  readonly namespace?: TestNamespace;
  readonly role?: AppRole;
  readonly redisUrl?: string;
  readonly env?: Record<string, string>;
  readonly imports?: ModuleMetadata['imports'];
  /**
   * Replaces providers of the real app before it is built (`overrideProvider(...)`), for faults
   * no real engine can be made to produce on cue.
   */
  readonly override?: (builder: TestingModuleBuilder) => TestingModuleBuilder;
  readonly logLevel?: LogLevel;
  /** Engines of the test's own (e.g. started with startLocalEngines), instead of the run's. */
  readonly engineUrls?: { readonly mongo: string; readonly redis: string };
}

export interface TestNamespace {
  readonly database: string;
  readonly redisPrefix: string;
}

/** A database and Redis prefix of this test file's own, so files never see each other's data (REDIS_PREFIX: at most 32 characters). */
export function newTestNamespace(): TestNamespace {
  const file = basename(expect.getState().testPath ?? 'test').replace(/\.e2e-spec\.ts$/, '');
  const id = `${file.replace(/[^a-z0-9]/gi, '_').slice(0, 21)}_${randomUUID().slice(0, 8)}`;
  return { database: `t_${id}`, redisPrefix: `t_${id}` };
}

export function engineUrls(): { mongo: string; redis: string } {
  const mongo = process.env[ENGINE_ENV.mongo];
  const redis = process.env[ENGINE_ENV.redis];
  if (!mongo || !redis)
    throw new Error('integration engines are not running (see test/setup/global-setup.ts)');
  return { mongo, redis };
}

/** Builds the real app on the run's engines, listening on a free loopback port. */
export async function startTestApp(options: TestAppOptions = {}): Promise<TestApp> {
  const namespace = options.namespace ?? newTestNamespace();
  const engines = options.engineUrls ?? engineUrls();
  const base = loadConfig({
    NODE_ENV: 'test',
    LOG_LEVEL: options.logLevel ?? 'error',
    PORT: '0',
    APP_ROLE: options.role ?? 'all',
    REDIS_PREFIX: namespace.redisPrefix,
    SHUTDOWN_TIMEOUT_MS: '10000',
    // Shared by every instance of a run, as by the replicas of one deployment.
    JWT_SECRET: TEST_JWT_SECRET,
    // Generous, so only the tests about limits meet them; those pass their own.
    RATE_LIMIT_USER_PER_MINUTE: '10000',
    RATE_LIMIT_IP_PER_MINUTE: '10000',
    REGISTER_MAX_PER_IP: '10000',
    // Shared by every instance of a run, as by the replicas of one deployment.
    SECRETS_ENCRYPTION_KEYS: TEST_SECRETS_KEY,
    // The run's shared engines never go away, so a longer server selection only matters when the
    // test process itself is slow: under load (coverage, a busy CI machine) the app's start blocks
    // this process's event loop for seconds (module init, schema building), and the driver's
    // selection timer fires before it reads the engine's reply (CI saw it twice at 2 s). Tests on
    // engines of their own (engineUrls) keep the configured fail-fast default.
    ...(options.engineUrls ? {} : { MONGODB_SERVER_SELECTION_TIMEOUT_MS: '15000' }),
    ...options.env,
  });
  const config: ConnectedAppConfig = {
    ...base,
    mongo: { ...base.mongo, uri: `${engines.mongo}/${namespace.database}` },
    redis: { ...base.redis, url: options.redisUrl ?? engines.redis },
  };
  const logging = createLogging({
    level: config.logLevel,
    base: { instanceId: config.instanceId },
  });
  const builder = Test.createTestingModule({
    imports: [AppModule.forRoot(config, { imports: options.imports })],
  });
  const moduleRef = await (options.override?.(builder) ?? builder).compile();
  const app = await prepareApp(
    moduleRef.createNestApplication<NestExpressApplication>(nestApplicationOptions(logging)),
    config,
    logging,
  );
  await app.listen(0, '127.0.0.1');
  const url = (await app.getUrl()).replace('[::1]', '127.0.0.1');
  let closed = false;
  return {
    app,
    config,
    url,
    wsUrl: `${url.replace(/^http/, 'ws')}/graphql`,
    close: async () => {
      if (closed) return;
      closed = true;
      await closeWithin(app, CLOSE_DEADLINE_MS);
    },
  };
}

/** Longer than any clean close takes here (under 2 s), well inside a hook's 60 s. */
const CLOSE_DEADLINE_MS = 20_000;
const QUEUE_NAMES = [
  'scoring',
  'imports',
  'datasets',
  'training',
  'model-setup',
  'lifecycle',
  'drift',
  'ai',
  'webhooks',
];

/**
 * Closes the app, bounded: a close still pending after `deadlineMs` is reported with the state of
 * the app's queue connections (what a hang after engine faults would be waiting on) and left
 * behind, so one stuck close fails its own file's hook instead of hanging the whole run.
 */
async function closeWithin(app: INestApplication, deadlineMs: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const expired = new Promise<'expired'>((resolve) => {
    timer = setTimeout(() => resolve('expired'), deadlineMs);
  });
  const outcome = await Promise.race([app.close().then(() => 'closed' as const), expired]);
  clearTimeout(timer);
  if (outcome === 'closed') return;
  const queues = QUEUE_NAMES.map((name) => {
    try {
      const queue = app.get<Queue>(getQueueToken(name), { strict: false });
      const clients = (queue as unknown as { clients: { status: string }[] }).clients ?? [];
      return `${name}: ${clients.map((c) => c.status).join('/')}`;
    } catch {
      return `${name}: absent`;
    }
  });
  throw new Error(
    `the app did not close within ${deadlineMs} ms; queue connections: ${queues.join(', ')}; ` +
      `active resources: ${process.getActiveResourcesInfo().join(',')}`,
  );
}

/** Drops a test file's database at the end of the file. */
export async function dropTestDatabase(namespace: TestNamespace): Promise<void> {
  const connection = await mongoose
    .createConnection(`${engineUrls().mongo}/${namespace.database}`)
    .asPromise();
  try {
    await connection.dropDatabase();
  } finally {
    await connection.close();
  }
}

/**
 * The app of a `describe` block: started before its tests on a namespace of its own, closed and its
 * database dropped after them. The returned object reads through to the running app.
 */
export function useTestApp(
  options: Omit<TestAppOptions, 'namespace'> = {},
): TestApp & { readonly namespace: TestNamespace } {
  const namespace = newTestNamespace();
  let running: TestApp | undefined;
  const current = (): TestApp => {
    if (!running) throw new Error('the test app is not running (use it inside tests or hooks)');
    return running;
  };
  beforeAll(async () => {
    running = await startTestApp({ ...options, namespace });
  });
  afterAll(async () => {
    await running?.close();
    await dropTestDatabase(namespace);
  });
  return {
    namespace,
    get app() {
      return current().app;
    },
    get config() {
      return current().config;
    },
    get url() {
      return current().url;
    },
    get wsUrl() {
      return current().wsUrl;
    },
    close: () => current().close(),
  };
}
