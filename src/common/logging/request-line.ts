import type { IncomingMessage, ServerResponse } from 'node:http';

import type { Level, Logger } from 'pino';

import { finishedRequestFields, REQUEST_ID_HEADER, requestIdFor } from './http-log-fields';

/** Probes and scrapes: frequent, uninteresting when they succeed (their failures are logged). */
const QUIET_PATHS = ['/health/live', '/health/ready', '/metrics'];

type Next = (error?: unknown) => void;

/** A request once the middleware has named it. */
export type IdentifiedRequest = IncomingMessage & { id: string };

/**
 * The level of a request's line: a 503 (overloaded, draining, an engine away) warns, another
 * failure is an error, a successful probe or scrape is not logged, anything else is info.
 */
export function requestLineLevel(
  req: IncomingMessage,
  res: ServerResponse,
  error: Error | undefined,
): Level | 'silent' {
  if (res.statusCode === 503) return 'warn';
  if (error !== undefined || res.statusCode >= 500) return 'error';
  if (res.statusCode < 400 && QUIET_PATHS.some((path) => req.url?.startsWith(path) === true))
    return 'silent';
  return 'info';
}

/** Writes the one line a request ends with (see `requestLineMiddleware`). */
export function logRequestLine(
  logger: Logger,
  req: IdentifiedRequest,
  res: ServerResponse,
  durationMs: number,
  error?: Error,
): void {
  const level = requestLineLevel(req, res, error);
  if (level === 'silent') return;
  const failed = error !== undefined || res.statusCode >= 500;
  logger[level](
    {
      requestId: req.id,
      ...finishedRequestFields(req, res),
      durationMs,
      ...(error === undefined ? {} : { err: error }),
    },
    failed ? 'request failed' : 'request finished',
  );
}

/**
 * Names each request (the caller's `x-request-id` when sane, else a new one, echoed on the
 * response) and logs one line when its response finishes or its connection closes first:
 * `finishedRequestFields` (method, path without its query, status, tenant, anonymised user,
 * operation), the request id and the duration in ms, an error the response emitted as `err`.
 *
 * It does what pino-http did with our options, without what we never used of it: pino-http made
 * two child loggers per request (one binding the whole request object) and kept arrays of them on
 * the request and the response, 2–3 % of the CPU of a `leads` request at saturation.
 */
export function requestLineMiddleware(
  logger: Logger,
): (req: IncomingMessage, res: ServerResponse, next: Next) => void {
  return (req, res, next) => {
    const named = req as IdentifiedRequest;
    named.id = requestIdFor(req.headers[REQUEST_ID_HEADER]);
    res.setHeader(REQUEST_ID_HEADER, named.id);
    const startedAt = Date.now();
    const finished = (error?: unknown) => {
      res.removeListener('close', finished);
      res.removeListener('finish', finished);
      res.removeListener('error', finished);
      logRequestLine(
        logger,
        named,
        res,
        Date.now() - startedAt,
        error instanceof Error ? error : undefined,
      );
    };
    res.on('close', finished);
    res.on('finish', finished);
    res.on('error', finished);
    next();
  };
}
