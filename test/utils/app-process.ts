import { ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';

import type { AppRole } from '@/config/app-config';

import { engineUrls, TEST_JWT_SECRET, TestNamespace } from './test-app';

/** The built app (`npm run build`). */
export const BUILT_MAIN = join(__dirname, '..', '..', 'dist', 'main.js');

/** One JSON log line of the process (or `{ msg: line }` for a line that is not JSON). */
export type LogLine = Record<string, unknown> & { msg?: string };

export interface AppProcess {
  readonly child: ChildProcess;
  /** http://127.0.0.1:port, from the "ready" log line. */
  readonly url: string;
  /**
   * Resolves with the exit code (or the signal that killed it) once the process has exited and its
   * output is read to the end.
   */
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  readonly lines: readonly LogLine[];
  /** Everything the process wrote, for failure messages. */
  output(): string;
  /** Resolves with the first line (logged so far or later) that matches. */
  waitForLog(predicate: (line: LogLine) => boolean, timeoutMs?: number): Promise<LogLine>;
  /** Kills the process with SIGKILL if it still runs. */
  kill(): void;
}

/**
 * Spawns dist/main.js as a real process on the run's engines, in the namespace's database and
 * Redis prefix, on a free port (PORT=0), and resolves once it has logged that it is ready.
 */
export async function spawnAppProcess({
  namespace,
  role = 'all',
  env = {},
  readyTimeoutMs = 30_000,
}: {
  namespace: TestNamespace;
  role?: AppRole;
  env?: Record<string, string>;
  readyTimeoutMs?: number;
}): Promise<AppProcess> {
  if (!existsSync(BUILT_MAIN))
    throw new Error(`${BUILT_MAIN} is missing: run \`npm run build\` first (npm test does)`);
  const engines = engineUrls();
  const child = spawn(process.execPath, [BUILT_MAIN], {
    env: {
      ...process.env,
      NODE_ENV: 'test',
      APP_ROLE: role,
      HOST: '127.0.0.1',
      PORT: '0',
      LOG_LEVEL: 'log',
      MONGODB_URI: `${engines.mongo}/${namespace.database}`,
      REDIS_URL: engines.redis,
      REDIS_PREFIX: namespace.redisPrefix,
      JWT_SECRET: TEST_JWT_SECRET,
      RATE_LIMIT_USER_PER_MINUTE: '10000',
      RATE_LIMIT_IP_PER_MINUTE: '10000',
      REGISTER_MAX_PER_IP: '10000',
      // As in startTestApp: the shared engines stay up, a slow start must not fail selection.
      MONGODB_SERVER_SELECTION_TIMEOUT_MS: '15000',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let closed = false;
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('close', (code, signal) => {
      closed = true;
      resolve({ code, signal });
    }),
  );
  let output = '';
  const lines: LogLine[] = [];
  let waiters: (() => void)[] = [];
  let partial = '';
  const onData = (chunk: Buffer) => {
    output += chunk.toString();
    partial += chunk.toString();
    const complete = partial.split('\n');
    partial = complete.pop() ?? '';
    for (const text of complete) {
      if (!text.trim()) continue;
      try {
        lines.push(JSON.parse(text) as LogLine);
      } catch {
        lines.push({ msg: text });
      }
    }
    const wake = waiters;
    waiters = [];
    wake.forEach((fn) => fn());
  };
  child.stdout?.on('data', onData);
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  void exited.then(() => {
    const wake = waiters;
    waiters = [];
    wake.forEach((fn) => fn());
  });

  const waitForLog = async (
    predicate: (line: LogLine) => boolean,
    timeoutMs = 10_000,
  ): Promise<LogLine> => {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = lines.find(predicate);
      if (found) return found;
      const left = deadline - Date.now();
      if (left <= 0 || closed)
        throw new Error(`no matching log line (exit code ${child.exitCode}); output:\n${output}`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  };
  const kill = () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  };

  try {
    const ready = await waitForLog(
      (line) => typeof line.msg === 'string' && line.msg.startsWith(`ready: ${role} on http://`),
      readyTimeoutMs,
    );
    const port = new URL(/on (http:\/\/\S+)/.exec(ready.msg ?? '')![1]).port;
    return {
      child,
      url: `http://127.0.0.1:${port}`,
      exited,
      lines,
      output: () => output,
      waitForLog,
      kill,
    };
  } catch (error) {
    kill();
    throw error;
  }
}
