import { HttpException } from '@nestjs/common';

import { AppException } from './app.exception';
import { ErrorCode } from './error-code';
import { isError } from './is-error';

export interface ClientError {
  readonly code: ErrorCode;
  readonly message: string;
  readonly details: Readonly<Record<string, unknown>>;
  /** False for errors whose message must not reach the client (bugs, driver errors). */
  readonly expected: boolean;
  /** The HTTP status the error itself carries (e.g. 413 from the body parser), if any. */
  readonly httpStatus?: number;
}

const CODE_BY_HTTP_STATUS: Readonly<Record<number, ErrorCode>> = {
  400: ErrorCode.BAD_USER_INPUT,
  401: ErrorCode.UNAUTHENTICATED,
  403: ErrorCode.FORBIDDEN,
  404: ErrorCode.NOT_FOUND,
  409: ErrorCode.CONFLICT,
  413: ErrorCode.BAD_USER_INPUT,
  415: ErrorCode.BAD_USER_INPUT,
  429: ErrorCode.RATE_LIMITED,
  503: ErrorCode.UNAVAILABLE,
};

/** The one place that decides what a thrown value looks like to a client, for GraphQL and REST. */
export function toClientError(error: unknown): ClientError {
  if (error instanceof AppException) {
    return { code: error.code, message: error.message, details: error.details, expected: true };
  }
  if (error instanceof HttpException) {
    const status = error.getStatus();
    const code = CODE_BY_HTTP_STATUS[status];
    if (code !== undefined) {
      const response = error.getResponse();
      const message =
        typeof response === 'object' && response !== null && 'message' in response
          ? [response.message].flat().join('; ')
          : error.message;
      return { code, message, details: {}, expected: true, httpStatus: status };
    }
  }
  if (isBackingServiceOutage(error)) {
    return {
      code: ErrorCode.UNAVAILABLE,
      message: 'a backing service is unavailable; retry shortly',
      details: {},
      expected: false,
      httpStatus: 503,
    };
  }
  // http-errors (body parser, express) mark client-safe errors with `expose`.
  if (isExposedHttpError(error)) {
    const code = CODE_BY_HTTP_STATUS[error.status] ?? ErrorCode.BAD_USER_INPUT;
    return { code, message: error.message, details: {}, expected: true, httpStatus: error.status };
  }
  return {
    code: ErrorCode.INTERNAL,
    message: 'Internal server error',
    details: {},
    expected: false,
  };
}

function isExposedHttpError(error: unknown): error is Error & { status: number } {
  return (
    isError(error) &&
    (error as { expose?: unknown }).expose === true &&
    typeof (error as { status?: unknown }).status === 'number'
  );
}

const OUTAGE_ERRORS = new Set([
  'MaxRetriesPerRequestError',
  'MongoServerSelectionError',
  'MongoNetworkError',
  'MongoNetworkTimeoutError',
  'MongoNotConnectedError',
  'MongoPoolClearedError',
  'MongoServerClosedError',
  'MongoTopologyClosedError',
  'MongoWaitQueueTimeoutError',
]);

/**
 * Server answers that mean "not now" rather than "bad request": shutting down, interrupted by it,
 * or not the primary (a replica set electing). The driver labels most of them retryable too.
 */
const OUTAGE_SERVER_CODES = new Set([91, 189, 10107, 11600, 11602, 13435, 13436]);
const OUTAGE_LABELS = ['RetryableWriteError', 'ResetPool', 'PoolRequestedRetry'];
const SOCKET_OUTAGE_CODES = new Set(['ECONNRESET', 'ECONNREFUSED', 'EPIPE']);

/** Redis or MongoDB unreachable: the client may retry, nothing about its input was wrong. */
function isBackingServiceOutage(error: unknown): boolean {
  if (!isError(error)) return false;
  const { code, errorLabels } = error as { code?: unknown; errorLabels?: unknown };
  return (
    OUTAGE_ERRORS.has(error.name) ||
    (typeof code === 'number' && OUTAGE_SERVER_CODES.has(code)) ||
    (Array.isArray(errorLabels) && OUTAGE_LABELS.some((label) => errorLabels.includes(label))) ||
    error.message === 'Command timed out' ||
    error.message === 'Connection is closed.' ||
    // A socket to an engine reset or refused under a call (an engine killed mid-answer): the
    // driver sometimes hands on the system error itself rather than a MongoNetworkError.
    (typeof code === 'string' && SOCKET_OUTAGE_CODES.has(code)) ||
    // mongo-java-server's H2 store, closed, in the instant before its supervisor restarts it.
    /\bstore is closed\b|\bMap .* is closed\b/.test(error.message)
  );
}
