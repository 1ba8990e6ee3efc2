import type { IncomingMessage, ServerResponse } from 'node:http';

import type { LoggerService } from '@nestjs/common';
import { Logger as PinoNestLogger, PinoLogger } from 'nestjs-pino';
import type { Logger as Pino } from 'pino';
import {
  createRequestLineLogger,
  createRootLogger,
  defaultDestination,
  RootLoggerOptions,
} from './logger-options';
import { requestLogContext } from './request-context';
import { IdentifiedRequest, requestLineMiddleware } from './request-line';

type Next = (error?: unknown) => void;

/** The logging of one process: pino underneath, Nest's LoggerService on top, and the HTTP hook. */
export interface Logging {
  /** What Nest and `new Logger(context)` write through, before and after the app exists. */
  readonly logger: LoggerService;
  readonly root: Pino;
  /**
   * Express middleware, mounted first: gives the request its id, logs it when it finishes, and
   * runs the rest of the request in a logging context, so every line logged while serving it
   * names the request id.
   */
  readonly http: (req: IncomingMessage, res: ServerResponse, next: Next) => void;
}

/**
 * Built once at boot, before Nest: bootstrap lines (engines, config warnings) and the app's own
 * lines go through the same pino instance and destination.
 *
 * The HTTP middleware is mounted by `createApp` ahead of everything else rather than through
 * nestjs-pino's `LoggerModule`, whose middleware runs only for Nest's routes: the body parsers,
 * the batch limit and the dashboard's files answer before those, and their requests (a malformed
 * body's 400 among them) must be logged and carry an id too. nestjs-pino keeps one root logger
 * per process (the first built), so a second app in one process — only tests do that — writes
 * through the first one's.
 */
export function createLogging(options: RootLoggerOptions): Logging {
  const destination = options.destination ?? defaultDestination();
  const root = createRootLogger({ ...options, destination });
  // nestjs-pino builds its root from pino-http's options: ours as it is (its serializers kept).
  const params = { pinoHttp: { logger: root, wrapSerializers: false } };
  const pinoLogger = new PinoLogger(params);
  // The request line's own logger (no redaction: its fields are fixed, see there).
  const requestLine = requestLineMiddleware(createRequestLineLogger({ ...options, destination }));
  const inContext = (req: IncomingMessage, next: Next) => () => {
    // Code logging through `req.log` gets the root, redacted like every other line (and naming
    // the request, as every line logged in its context does).
    (req as { log?: unknown }).log = root;
    next();
  };
  return {
    root,
    logger: new PinoNestLogger(pinoLogger, params),
    http(req, res, next) {
      requestLine(req, res, () =>
        requestLogContext.run({ requestId: (req as IdentifiedRequest).id }, inContext(req, next)),
      );
    },
  };
}
