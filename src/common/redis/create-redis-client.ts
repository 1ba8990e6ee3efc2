import { performance } from 'node:perf_hooks';

import { Logger } from '@nestjs/common';
import Redis, { type Command, RedisOptions } from 'ioredis';

const ERROR_LOG_INTERVAL_MS = 10_000;

/**
 * An ioredis client that never crashes the process: connection errors are logged (at most once per
 * interval, they repeat on every reconnect attempt) and reconnection goes on in the background.
 * Its Lua script calls can be timed (`watchRedisScripts`).
 */
export function createRedisClient(url: string, name: string, options: RedisOptions = {}): Redis {
  const logger = new Logger(`Redis:${name}`);
  const client = new Redis(url, {
    connectionName: name,
    lazyConnect: false,
    retryStrategy: (attempt) => Math.min(attempt * 200, 2_000),
    // While Redis is away, commands fail within about a second instead of queueing for minutes.
    maxRetriesPerRequest: 1,
    commandTimeout: 2_000,
    ...options,
  });
  let lastLoggedAt = 0;
  client.on('error', (error: Error) => {
    const now = Date.now();
    if (now - lastLoggedAt < ERROR_LOG_INTERVAL_MS) return;
    lastLoggedAt = now;
    logger.warn({ msg: 'redis connection error', error: error.message });
  });
  timeScripts(client);
  return client;
}

/** One EVAL / EVALSHA call, from the moment it was handed to the client to its answer. */
export interface RedisScriptCall {
  readonly keyCount: number;
  /** The first key as sent (prefix included), undefined for a script without keys. */
  readonly firstKey: unknown;
  readonly durationMs: number;
  readonly failed: boolean;
}

export type RedisScriptListener = (call: RedisScriptCall) => void;

// `eval` from redis.eval() and defineCommand scripts' fallback, `evalsha` from defineCommand,
// either case from redis.call('EVAL', ...) (@nest-lab/throttler-storage-redis).
const SCRIPT_COMMANDS = new Set([
  'eval',
  'evalsha',
  'eval_ro',
  'evalsha_ro',
  'EVAL',
  'EVALSHA',
  'EVAL_RO',
  'EVALSHA_RO',
]);

/** Per client, so two apps in one process (tests) each hear their own calls. */
const scriptListeners = new WeakMap<Redis, RedisScriptListener>();

/**
 * Hears every Lua script call of a client made by `createRedisClient` (one listener per client;
 * a new one replaces the last). Returns a function that stops listening.
 */
export function watchRedisScripts(client: Redis, listener: RedisScriptListener): () => void {
  scriptListeners.set(client, listener);
  return () => {
    if (scriptListeners.get(client) === listener) scriptListeners.delete(client);
  };
}

/**
 * Wraps the client's `sendCommand` (every command, pipelines and custom scripts included, passes
 * through it) to time script calls. Other commands cost a WeakMap and a Set lookup. The time runs
 * from the hand-over to the answer, so it includes a wait in the offline queue. ioredis may hand
 * the same command over twice (offline queue flush, reconnect): it is timed once.
 */
function timeScripts(client: Redis): void {
  const send = client.sendCommand.bind(client) as (command: Command, ...rest: unknown[]) => unknown;
  const timed = new WeakSet<Command>();
  client.sendCommand = (command: Command, ...rest: unknown[]) => {
    const listener = scriptListeners.get(client);
    if (listener && SCRIPT_COMMANDS.has(command.name) && !timed.has(command)) {
      timed.add(command);
      const startedAt = performance.now();
      // EVAL / EVALSHA <script or sha> <numkeys> <key>… <arg>…
      const keyCount = Number(command.args[1]) || 0;
      const firstKey = keyCount > 0 ? command.args[2] : undefined;
      const done = (failed: boolean) => () => {
        try {
          listener({ keyCount, firstKey, durationMs: performance.now() - startedAt, failed });
        } catch {
          // A listener's fault must not reach the caller's promise chain.
        }
      };
      // Both handlers: this branch never leaves an unhandled rejection of its own.
      void command.promise.then(done(false), done(true));
    }
    return send(command, ...rest);
  };
}
