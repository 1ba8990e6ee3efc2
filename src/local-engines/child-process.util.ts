import { ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { createServer } from 'node:net';

import type { EngineExit } from './local-engine';

/** Asks the kernel for a free loopback port. */
export async function findFreePort(): Promise<number> {
  const server = createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const address = server.address();
  server.close();
  await once(server, 'close');
  if (address === null || typeof address === 'string') throw new Error('no TCP address');
  return address.port;
}

/** Resolves with the first output line matching `ready`; rejects on exit or timeout with the output. */
export function waitForOutput(
  child: ChildProcess,
  ready: RegExp,
  { timeoutMs, what }: { timeoutMs: number; what: string },
): Promise<RegExpMatchArray> {
  return new Promise((resolve, reject) => {
    let output = '';
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const match = ready.exec(output);
      if (match) finish(() => resolve(match));
    };
    const onExit = (code: number | null, signal: string | null) =>
      finish(() =>
        reject(
          new Error(
            `${what} exited before it was ready (code ${code}, signal ${signal}):\n${tail(output)}`,
          ),
        ),
      );
    const timer = setTimeout(
      () =>
        finish(() =>
          reject(new Error(`${what} was not ready after ${timeoutMs} ms:\n${tail(output)}`)),
        ),
      timeoutMs,
    );
    const finish = (settle: () => void) => {
      clearTimeout(timer);
      child.stdout?.off('data', onData);
      child.stderr?.off('data', onData);
      child.off('exit', onExit);
      settle();
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.once('exit', onExit);
  });
}

function tail(output: string): string {
  return output.trim().split('\n').slice(-15).join('\n') || '(no output)';
}

/**
 * Starts a detached watchdog that stops `childPid` when this process dies, however it dies
 * (SIGKILL included), so no engine outlives the app or test run that started it.
 */
export function guardChild(childPid: number, parentPid: number = process.pid): void {
  const script =
    'while kill -0 "$1" 2>/dev/null && kill -0 "$2" 2>/dev/null; do sleep 1; done; ' +
    'kill -TERM "$2" 2>/dev/null; sleep 5; kill -KILL "$2" 2>/dev/null; exit 0';
  const watchdog = spawn(
    'sh',
    ['-c', script, 'engine-watchdog', String(parentPid), String(childPid)],
    {
      detached: true,
      stdio: 'ignore',
    },
  );
  watchdog.unref();
}

/** Settles when `child` ends. Call it right after spawning, before the exit can be missed. */
export function exitOf(child: ChildProcess): Promise<EngineExit> {
  if (child.exitCode !== null || child.signalCode !== null)
    return Promise.resolve({ code: child.exitCode, signal: child.signalCode });
  return new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
}

/** Stops a child by its own pid: SIGTERM, then SIGKILL after `graceMs`. */
export async function stopChild(child: ChildProcess, graceMs = 5_000): Promise<void> {
  if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return;
  const exited = once(child, 'exit');
  process.kill(child.pid, 'SIGTERM');
  const timer = setTimeout(() => {
    if (child.pid !== undefined && child.exitCode === null) process.kill(child.pid, 'SIGKILL');
  }, graceMs);
  await exited;
  clearTimeout(timer);
}
