import { spawn } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { delimiter, dirname, join, resolve } from 'node:path';

import type { LocalMongoEngine } from '@/config/app-config';

import { exitOf, guardChild, stopChild, waitForOutput } from './child-process.util';
import { EngineExit, LocalEngine } from './local-engine';
import {
  parseStoreRepair,
  STORE_INACCESSIBLE_EXIT_CODE,
  unopenableStoreReason,
  UnopenableStoreError,
} from './store-recovery';

export interface MongoEngineOptions {
  readonly engine: LocalMongoEngine;
  /** Keep data in this folder (mongod dbPath, or the H2 file); in memory without it. */
  readonly persistentDir?: string;
  /** Environment to look for a mongod binary in (MONGOMS_SYSTEM_BINARY, PATH). */
  readonly env: Readonly<Record<string, string | undefined>>;
  /** A fixed port (a restart where clients expect the engine); a free one otherwise. */
  readonly port?: number;
  /**
   * mongo-java-server with an H2 file: read every document before serving and remove those it
   * cannot load (see the launcher). Done anyway when the file cannot be opened as it is.
   */
  readonly checkStore?: boolean;
  /** Extra JVM options for mongo-java-server, after the defaults (tests: a larger -Xss). */
  readonly jvmArgs?: readonly string[];
}

/** The H2 file mongo-java-server keeps its data in, inside the persistent folder. */
export function mongoJavaServerFile(persistentDir: string): string {
  return join(persistentDir, 'mongo.mv.db');
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
  return startMongoJavaServer(options);
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

/**
 * The Java that runs mongo-java-server: `$JAVA_HOME/bin/java` when JAVA_HOME is set (as Maven and
 * Gradle do), else `java` on the PATH. A newer JDK may run it with options 17 lacks (the README's
 * scale section: Temurin 25's compact object headers for a million-lead tenant).
 */
export function javaBinary(env: NodeJS.ProcessEnv = process.env): string {
  return env.JAVA_HOME ? join(env.JAVA_HOME, 'bin', 'java') : 'java';
}

/**
 * Starts the launcher; with an H2 file, rejects with UnopenableStoreError when the file's content
 * cannot be opened, and reports the documents it removed (`repair`) when it had to.
 */
async function startMongoJavaServer({
  persistentDir,
  port = 0,
  checkStore = false,
  jvmArgs = [],
}: MongoEngineOptions): Promise<LocalEngine> {
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
    ...jvmArgs,
    '-cp',
    `${classes}${delimiter}${join(lib, '*')}`,
    'MongoJavaServerLauncher',
    '--port',
    String(port),
  ];
  const h2File = persistentDir ? mongoJavaServerFile(persistentDir) : undefined;
  if (persistentDir && h2File) {
    mkdirSync(persistentDir, { recursive: true });
    args.push('--h2', h2File);
    if (checkStore) args.push('--check-store');
  }
  // stdin stays open as a pipe: the launcher exits when it closes, i.e. when we die.
  const java = javaBinary();
  const child = spawn(java, args, { stdio: ['pipe', 'pipe', 'pipe'] });
  const exited = exitOf(child);
  // 'close' comes once its output is read to the end, which 'exit' does not wait for.
  const closed = new Promise<void>((resolve) => child.once('close', () => resolve()));
  const spawnError = new Promise<never>((_, reject) =>
    child.once('error', (error: NodeJS.ErrnoException) =>
      reject(
        error.code === 'ENOENT'
          ? new Error(
              `${java} not found: install Java 17 or newer (or point JAVA_HOME at one), or set MONGODB_URI`,
            )
          : error,
      ),
    ),
  );
  // Everything it says before READY: a REPAIRED line, or why it could not open the store.
  let startupOutput = '';
  const record = (chunk: Buffer) => (startupOutput += chunk.toString());
  child.stdout?.on('data', record);
  child.stderr?.on('data', record);
  let match: RegExpMatchArray;
  try {
    match = await Promise.race([
      waitForOutput(child, /READY port=(\d+)/, {
        // Checking a store reads all of it: a big local store takes a while.
        timeoutMs: checkStore ? 120_000 : 30_000,
        what: 'mongo-java-server',
      }),
      spawnError,
    ]);
  } catch (error) {
    // Not ready in time (or not even spawned): the error says so; it must not linger holding the
    // port and the H2 file.
    const exitedByItself = child.exitCode !== null || child.signalCode !== null;
    if (!exitedByItself) {
      await stopChild(child);
      throw error;
    }
    await Promise.race([closed, new Promise((resolve) => setTimeout(resolve, 2_000).unref())]);
    const reason = h2File ? unopenableStoreReason(child.exitCode, startupOutput) : undefined;
    if (h2File && reason !== undefined) throw new UnopenableStoreError(h2File, reason);
    const hint =
      child.exitCode === STORE_INACCESSIBLE_EXIT_CODE
        ? ` (its data file ${h2File} is in use by another engine, e.g. another app on the same DATA_DIR, or cannot be read or written)`
        : '';
    // Its output read to the end (the error may have come before), with the head of a Java stack
    // trace: the exception and where it was thrown are at the top, not in the tail.
    throw new Error(
      `mongo-java-server exited before it was ready (code ${child.exitCode}, signal ${child.signalCode})${hint}:\n${headAndTail(startupOutput)}`,
      { cause: error },
    );
  } finally {
    child.stdout?.off('data', record);
    child.stderr?.off('data', record);
  }
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
    storeRepair: parseStoreRepair(startupOutput),
  };
}

/** The first and last lines of a long output. */
function headAndTail(output: string, head = 8, tail = 8): string {
  const lines = output.trim().split('\n');
  if (lines.length <= head + tail + 1) return lines.join('\n') || '(no output)';
  return [
    ...lines.slice(0, head),
    `... (${lines.length - head - tail} lines)`,
    ...lines.slice(-tail),
  ].join('\n');
}
