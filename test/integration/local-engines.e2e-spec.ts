import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import Redis from 'ioredis';
import mongoose from 'mongoose';

import { loadConfig } from '@/config/load-config';
import { guardChild } from '@/local-engines/child-process.util';
import { startLocalEngines } from '@/local-engines/local-engines';
import { startMongoEngine } from '@/local-engines/mongo-engine';
import { runMongoSmokeCheck } from '@/local-engines/mongo-smoke-check';
import { startRedisEngine } from '@/local-engines/redis-engine';
import { engineUrls } from '@test/utils/test-app';

function isAlive(pid: number | undefined): boolean {
  if (pid === undefined) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function waitForDeath(pid: number | undefined, timeoutMs = 8_000): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (isAlive(pid)) {
    if (Date.now() > deadline) return false;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return true;
}

describe('local engines', () => {
  let dataDir: string;

  beforeAll(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'lead-scoring-engines-test-'));
  });

  afterAll(() => {
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('passes the start-up smoke check on the run engine and says which engine it is', async () => {
    const result = await runMongoSmokeCheck(`${engineUrls().mongo}/smoke_check_test`);

    expect(result.engine).toMatch(/^(mongod|mongo-java-server)/);
    expect(result.checks).toEqual([
      'connect',
      'buildInfo',
      'unique index',
      'findOneAndUpdate upsert',
      'bulkWrite',
      'aggregation',
    ]);
  });

  it('names the failed step when the engine cannot be reached', async () => {
    await expect(
      runMongoSmokeCheck('mongodb://127.0.0.1:1/none', { timeoutMs: 500 }),
    ).rejects.toThrow(/MongoDB smoke check failed at "connect"/);
  });

  it('keeps MongoDB data across a restart when persistent, and stops the engine by its pid', async () => {
    const persistentDir = join(dataDir, 'mongo');
    const first = await startMongoEngine({ engine: 'auto', persistentDir, env: process.env });
    const connection = await mongoose.createConnection(`${first.uri}/persist`).asPromise();
    await connection.db!.collection('leads').insertOne({ leadId: 'L-1', name: 'Ada' });
    await connection.close();
    await first.stop();
    expect(await waitForDeath(first.pid)).toBe(true);

    const second = await startMongoEngine({ engine: 'auto', persistentDir, env: process.env });
    try {
      const reopened = await mongoose.createConnection(`${second.uri}/persist`).asPromise();
      expect(await reopened.db!.collection('leads').findOne({ leadId: 'L-1' })).toMatchObject({
        name: 'Ada',
      });
      await reopened.close();
    } finally {
      await second.stop();
    }
  });

  it('keeps Redis data across a restart with AOF when persistent', async () => {
    const persistentDir = join(dataDir, 'redis');
    const first = await startRedisEngine({ persistentDir });
    const client = new Redis(first.uri);
    await client.set('answer', '42');
    client.disconnect();
    await first.stop();
    expect(await waitForDeath(first.pid)).toBe(true);

    const second = await startRedisEngine({ persistentDir });
    const reopened = new Redis(second.uri);
    try {
      expect(await reopened.get('answer')).toBe('42');
    } finally {
      reopened.disconnect();
      await second.stop();
    }
  });

  it('mongo-java-server exits (code 3) when its H2 store closes, and starts again on the same port and file', async () => {
    const persistentDir = join(dataDir, 'mongo-broken');
    const first = await startMongoEngine({ engine: 'java', persistentDir, env: process.env });
    const connection = await mongoose.createConnection(`${first.uri}/broken`).asPromise();
    try {
      await connection.db!.collection('leads').insertOne({ leadId: 'L-1', name: 'Ada' });
      // H2 commits about once a second in the background: let it commit L-1.
      await new Promise((resolve) => setTimeout(resolve, 1_500));
      // Documents nested this deep make H2's background writer overflow its stack and close the
      // store (see engine-recovery.e2e-spec.ts for why several depths); the engine must not stay
      // up refusing every write.
      for (const depth of [1_000, 700, 500]) {
        let attributes: Record<string, unknown> = {};
        for (let i = 0; i < depth; i++) attributes = { x: attributes };
        await connection
          .db!.collection('leads')
          .insertOne({ leadId: `L-DEEP-${depth}`, attributes })
          .catch(() => undefined);
      }
    } finally {
      await connection.close(true).catch(() => undefined);
    }
    let timer: NodeJS.Timeout | undefined;
    const exit = await Promise.race([
      first.exited,
      new Promise((resolve) => (timer = setTimeout(() => resolve('still running'), 10_000))),
    ]);
    clearTimeout(timer);
    expect(exit).toEqual({ code: 3, signal: null });

    const second = await startMongoEngine({
      engine: 'java',
      persistentDir,
      env: process.env,
      port: first.port,
    });
    try {
      expect(second.uri).toBe(first.uri);
      const reopened = await mongoose.createConnection(`${second.uri}/broken`).asPromise();
      expect(await reopened.db!.collection('leads').findOne({ leadId: 'L-1' })).toMatchObject({
        name: 'Ada',
      });
      await reopened.db!.collection('leads').insertOne({ leadId: 'L-2' });
      await reopened.close();
    } finally {
      await second.stop();
    }
  });

  it('restarts nothing once supervision is stopped (shutdown), and stop() still stops every engine', async () => {
    const config = loadConfig({
      ...process.env,
      NODE_ENV: 'test',
      MONGODB_URI: undefined,
      REDIS_URL: undefined,
      LOCAL_ENGINE_WATCH_INTERVAL_MS: '100',
    });
    const engines = await startLocalEngines({
      config,
      persistent: false,
      env: process.env,
      supervise: true,
      logger: { log: () => undefined, warn: () => undefined, error: () => undefined },
    });
    const mongoPid = engines.mongo!.pid;
    const redisPid = engines.redis!.pid!;
    try {
      engines.stopSupervising();
      process.kill(redisPid, 'SIGKILL');
      expect(await waitForDeath(redisPid)).toBe(true);
      await new Promise((resolve) => setTimeout(resolve, 1_000));
      expect(engines.redis!.pid).toBe(redisPid);
      expect(isAlive(mongoPid)).toBe(true);
    } finally {
      await engines.stop();
    }
    expect(await waitForDeath(mongoPid)).toBe(true);
  });

  it('stops an engine whose parent died by SIGKILL (no orphans)', async () => {
    const parent = spawn('sleep', ['60'], { stdio: 'ignore' });
    const engine = spawn('sleep', ['60'], { stdio: 'ignore' });
    guardChild(engine.pid!, parent.pid);

    parent.kill('SIGKILL');
    await once(parent, 'exit');

    expect(await waitForDeath(engine.pid)).toBe(true);
  });
});
