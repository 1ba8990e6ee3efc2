import { context, isSpanContextValid, trace } from '@opentelemetry/api';
import pino, { DestinationStream, Level, Logger, LoggerOptions } from 'pino';

import type { LogLevel } from '@/config/app-config';

import { REDACT_PATHS, REDACTED, scrubText, serializeError } from './log-redaction';
import { requestLogContext } from './request-context';

/** Our LOG_LEVEL names (Nest's) to pino's. */
const PINO_LEVEL: Record<LogLevel, Level> = {
  error: 'error',
  warn: 'warn',
  log: 'info',
  debug: 'debug',
  verbose: 'trace',
};

export interface RootLoggerOptions {
  readonly level: LogLevel;
  /** Fields on every line (instance id, role). */
  readonly base: Record<string, unknown>;
  /** Where lines go: asynchronous stdout by default; tests pass a stream of their own. */
  readonly destination?: DestinationStream;
}

/** pino's options for our lines: JSON as before (ISO time, level names, `msg`), redacted. */
export function pinoOptions({ level, base }: RootLoggerOptions): LoggerOptions {
  return {
    level: PINO_LEVEL[level],
    base,
    messageKey: 'msg',
    timestamp: pino.stdTimeFunctions.isoTime,
    formatters: { level: (label) => ({ level: label }) },
    redact: { paths: [...REDACT_PATHS], censor: REDACTED },
    serializers: { err: serializeError, error: serializeError },
    // A line logged while serving a request names it; with tracing on, a line logged inside a
    // traced operation names its trace and span.
    mixin: contextFields,
    hooks: {
      // Free text is scrubbed too: a message can quote an email or a token.
      logMethod(args, method) {
        for (let i = 0; i < args.length; i++) {
          const arg: unknown = args[i];
          if (typeof arg === 'string') args[i] = scrubText(arg);
        }
        method.apply(this, args);
      },
    },
  };
}

/** The request being served (`requestId`) and the active span (`traceFields`), if any. */
export function contextFields(): Record<string, string> {
  const fields = traceFields();
  const request = requestLogContext.getStore();
  if (request) fields.requestId = request.requestId;
  return fields;
}

/** `traceId`/`spanId` of the active span, if any (none when tracing is off). */
export function traceFields(): Record<string, string> {
  const span = trace.getSpanContext(context.active());
  return span && isSpanContextValid(span) ? { traceId: span.traceId, spanId: span.spanId } : {};
}

/**
 * Lines are written once this many bytes are buffered, or LOG_FLUSH_MS after the last write,
 * whichever comes first. One write per request line cost a thread-pool write each (5 % of a
 * `lead(id)` read's CPU in a profile: `writeString` under the request line); buffered,
 * a busy process writes once per ~15 lines. The price: a process killed outright (SIGKILL, the
 * OOM killer) loses up to LOG_FLUSH_MS of lines; every other exit flushes them.
 */
export const LOG_BUFFER_BYTES = 4096;
export const LOG_FLUSH_MS = 200;

/**
 * Where lines go by default: a buffered stdout, written asynchronously (never blocking the event
 * loop on a slow pipe) and flushed synchronously when the process exits.
 */
export function defaultDestination(): DestinationStream {
  return pino.destination({
    dest: 1,
    sync: false,
    minLength: LOG_BUFFER_BYTES,
    periodicFlush: LOG_FLUSH_MS,
  });
}

/** The process's one root logger. */
export function createRootLogger(options: RootLoggerOptions): Logger {
  return pino(pinoOptions(options), options.destination ?? defaultDestination());
}

/**
 * The logger of the one line each request ends with (`requestLineMiddleware`): the
 * root's options without key redaction and message scrubbing, on the same destination. That
 * line's fields are ours and fixed — `finishedRequestFields` (method, path without its query,
 * status, tenant, anonymised user, operation name), the duration and the request id, an error
 * through `serializeError`, which scrubs it — and its messages are constants: nothing there is
 * named like a secret. pino's redaction runs all its paths over every value of a line and of every
 * child logger's bindings, which cost more than the rest of the request's logging. Lines logged
 * while serving a request go through the root, redacted as any other, and name the request by the
 * root's mixin (`contextFields`).
 */
export function createRequestLineLogger(
  options: RootLoggerOptions & { readonly destination: DestinationStream },
): Logger {
  const { redact: _redact, hooks: _hooks, ...rest } = pinoOptions(options);
  return pino(rest, options.destination);
}
