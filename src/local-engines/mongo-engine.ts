import { spawn } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { delimiter, dirname, join, resolve } from 'node:path';

import type { LocalMongoEngine } from '@/config/app-config';

import { exitOf, guardChild, stopChild, waitForOutput } from './child-process.util';
import { EngineExit, LocalEngine } from './local-engine';

export interface MongoEngineOptions {
  readonly engine: LocalMongoEngine;
  /** Keep data in this folder (mongod dbPath, or the H2 file); in memory without it. */
  readonly persistentDir?: string;
  /** Environment to look for a mongod binary in (MONGOMS_SYSTEM_BINARY, PATH). */
  readonly env: Readonly<Record<string, string | undefined>>;
  /** A fixed port (a restart where clients expect the engine); a free one otherwise. */
  readonly port?: number;
}

/** The folder of package.json above this file (src/, dist/ or a bench build alike). */
function findProjectRoot(from: string): string {
  let dir = from;
  while (
    !existsSync(join(dir, 'package.json')) ||
    existsSync(join(dir, 'tsconfig.build.json')) === false
  ) {
    const parent = dirname(dir);
    if (parent === dir) return resolve(from, '..', '..');
    dir = parent;
  }
  return dir;
}

const PROJECT_ROOT = findProjectRoot(__dirname);
const JAVA_SERVER_DIR = join(PROJECT_ROOT, 'tools', 'mongo-java-server');

/**
 * Starts a local MongoDB-compatible engine: a real mongod (through mongodb-memory-server) when a
 * binary is available, otherwise mongo-java-server. `auto` never downloads: on these machines the
 * download fails after several seconds, so it only uses a binary that is already there.
 */
export async function startMongoEngine(options: MongoEngineOptions): Promise<LocalEngine> {
  const binary = findMongodBinary(options.env);
  if (options.engine === 'mongod' || (options.engine === 'auto' && binary !== undefined)) {
    return startMongod(binary, options.persistentDir, options.port);
  }
  return startMongoJavaServer(options.persistentDir, options.port);
}

function findMongodBinary(env: MongoEngineOptions['env']): string | undefined {
  if (env.MONGOMS_SYSTEM_BINARY && existsSync(env.MONGOMS_SYSTEM_BINARY))
    return env.MONGOMS_SYSTEM_BINARY;
  for (const dir of (env.PATH ?? '').split(delimiter)) {
    const candidate = join(dir, 'mongod');
    if (dir && existsSync(candidate)) return candidate;
  }
  return undefined;
}

async function startMongod(
  binary: string | undefined,
  persistentDir?: string,
  port?: number,
): Promise<LocalEngine> {
  // Loaded lazily: most runs here never need it.
  const { MongoMemoryServer } = await import('mongodb-memory-server-core');
  if (persistentDir) mkdirSync(persistentDir, { recursive: true });
  const server = await MongoMemoryServer.create({
    instance: { ip: '127.0.0.1', port, dbPath: persistentDir, storageEngine: 'wiredTiger' },
    binary: binary ? { systemBinary: binary } : undefined,
  });
  const mongod = server.instanceInfo?.instance.mongodProcess;
  const pid = mongod?.pid;
  if (pid !== undefined) guardChild(pid);
  const uri = server.getUri().replace(/\/$/, '');
  return {
    name: persistentDir ? 'mongod (wiredTiger)' : 'mongod (ephemeral)',
    uri,
    port: Number(new URL(uri).port),
    pid,
    exited: mongod ? exitOf(mongod) : new Promise<EngineExit>(() => undefined),
    stop: async () => {
      await server.stop({ doCleanup: !persistentDir, force: false });
    },
  };
}

async function startMongoJavaServer(persistentDir?: string, port = 0): Promise<LocalEngine> {
  const classes = join(JAVA_SERVER_DIR, 'classes');
  const lib = join(JAVA_SERVER_DIR, 'lib');
  if (!existsSync(join(classes, 'MongoJavaServerLauncher.class')) || !existsSync(lib)) {
    throw new Error(
      'mongo-java-server is not installed: run `npm run engines:install` (needs Java 17 and Maven), or set MONGODB_URI',
    );
  }
  const args = [
    '-Djava.net.preferIPv4Stack=true',
    '-XX:+UseParallelGC',
    '-Xss512k',
    '-cp',
    `${classes}${delimiter}${join(lib, '*')}`,
    'MongoJavaServerLauncher',
    '--port',
    String(port),
  ];
  if (persistentDir) {
    mkdirSync(persistentDir, { recursive: true });
    args.push('--h2', join(persistentDir, 'mongo.mv.db'));
  }
  // stdin stays open as a pipe: the launcher exits when it closes, i.e. when we die.
  const child = spawn('java', args, { stdio: ['pipe', 'pipe', 'pipe'] });
  const exited = exitOf(child);
  const spawnError = new Promise<never>((_, reject) =>
    child.once('error', (error: NodeJS.ErrnoException) =>
      reject(
        error.code === 'ENOENT'
          ? new Error('java is not installed (Java 17 is needed), or set MONGODB_URI')
          : error,
      ),
    ),
  );
  const match = await Promise.race([
    waitForOutput(child, /READY port=(\d+)/, { timeoutMs: 30_000, what: 'mongo-java-server' }),
    spawnError,
  ]);
  if (child.pid !== undefined) guardChild(child.pid);
  child.stdout?.resume();
  child.stderr?.resume();
  // The launcher never reads stdin; unref so the pipe does not keep our event loop alive.
  (child.stdin as unknown as { unref?: () => void } | null)?.unref?.();
  return {
    name: persistentDir ? 'mongo-java-server (H2 file)' : 'mongo-java-server (memory)',
    uri: `mongodb://127.0.0.1:${match[1]}`,
    port: Number(match[1]),
    pid: child.pid,
    exited,
    stop: () => stopChild(child),
  };
}
