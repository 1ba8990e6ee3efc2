import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { exitOf, findFreePort, guardChild, stopChild, waitForOutput } from './child-process.util';
import { LocalEngine } from './local-engine';

export interface RedisEngineOptions {
  /** Keep data (AOF) in this folder; without it the data is thrown away on stop. */
  readonly persistentDir?: string;
  /** A fixed port (e.g. to restart an engine where clients expect it); a free one otherwise. */
  readonly port?: number;
}

const READY = /Ready to accept connections/;
const PORT_IN_USE = /Address already in use/;

/** Starts `redis-server` (Debian package) on a free loopback port. */
export async function startRedisEngine(options: RedisEngineOptions = {}): Promise<LocalEngine> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await startOnce(options);
    } catch (error) {
      // Another process may take the free port between our probe and redis' bind.
      if (
        attempt < 3 &&
        options.port === undefined &&
        error instanceof Error &&
        PORT_IN_USE.test(error.message)
      )
        continue;
      throw error;
    }
  }
}

async function startOnce({
  persistentDir,
  port: fixedPort,
}: RedisEngineOptions): Promise<LocalEngine> {
  const port = fixedPort ?? (await findFreePort());
  const dir = persistentDir ?? mkdtempSync(join(tmpdir(), 'lead-scoring-redis-'));
  mkdirSync(dir, { recursive: true });
  const persistence = persistentDir
    ? ['--appendonly', 'yes', '--appendfsync', 'everysec', '--save', '']
    : ['--appendonly', 'no', '--save', ''];

  const child = spawn(
    'redis-server',
    ['--port', String(port), '--bind', '127.0.0.1', '--dir', dir, '--logfile', '', ...persistence],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  const exited = exitOf(child);
  const spawnError = new Promise<never>((_, reject) =>
    child.once('error', (error: NodeJS.ErrnoException) =>
      reject(
        error.code === 'ENOENT'
          ? new Error(
              'redis-server is not installed: run `npm run engines:install` (or apt-get install -y redis-server), or set REDIS_URL',
            )
          : error,
      ),
    ),
  );
  await Promise.race([
    waitForOutput(child, READY, { timeoutMs: 10_000, what: 'redis-server' }),
    spawnError,
  ]);
  if (child.pid !== undefined) guardChild(child.pid);
  child.stdout?.resume();
  child.stderr?.resume();

  return {
    name: persistentDir ? 'redis-server (AOF)' : 'redis-server (ephemeral)',
    uri: `redis://127.0.0.1:${port}`,
    port,
    pid: child.pid,
    exited,
    stop: async () => {
      await stopChild(child);
      if (!persistentDir) rmSync(dir, { recursive: true, force: true });
    },
  };
}
