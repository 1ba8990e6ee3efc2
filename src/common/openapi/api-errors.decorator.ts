import { applyDecorators } from '@nestjs/common';
import { ApiResponse } from '@nestjs/swagger';

import { ErrorCode, HTTP_STATUS_BY_CODE } from '@/common/errors/error-code';

import { ErrorResponseDto, UnversionedErrorResponseDto } from './error-response.dto';

export type ErrorStatus = 400 | 401 | 403 | 404 | 409 | 413 | 415 | 429 | 503;

const CODE_BY_STATUS = {
  ...Object.fromEntries(
    Object.entries(HTTP_STATUS_BY_CODE).map(([code, status]) => [status, code as ErrorCode]),
  ),
  // Refused by the body parser or the route before any input rule: still the client's input.
  413: ErrorCode.BAD_USER_INPUT,
  415: ErrorCode.BAD_USER_INPUT,
} as Record<ErrorStatus, ErrorCode>;

const DESCRIPTIONS: Record<ErrorStatus, string> = {
  400: 'BAD_USER_INPUT: the request is invalid; `fields` names every bad field.',
  401: 'UNAUTHENTICATED: no valid credentials (a missing, expired or revoked token).',
  403: 'FORBIDDEN: the caller’s role may not do this.',
  404: 'NOT_FOUND: nothing by that id in the caller’s tenant (nor, for reps, among their leads).',
  409: 'CONFLICT: the state does not allow it now.',
  413: 'BAD_USER_INPUT: the body is larger than HTTP_BODY_LIMIT.',
  415: 'BAD_USER_INPUT: the body is not of a media type the route reads.',
  429: 'RATE_LIMITED: over the per-user or per-address budget; retry after `Retry-After` seconds.',
  503: 'UNAVAILABLE: a backing service (MongoDB, Redis, a queue) is unavailable; retry shortly.',
};

const EXAMPLES: Record<ErrorStatus, { message: string; fields?: object[]; details?: object }> = {
  400: {
    message: 'invalid input: leadIds: leadIds must contain no more than 100 elements',
    fields: [{ path: 'leadIds', messages: ['leadIds must contain no more than 100 elements'] }],
  },
  401: {
    message: 'access token expired',
    details: { reason: 'INVALID_TOKEN' },
  },
  403: { message: 'requires role ADMIN', details: { reason: 'FORBIDDEN_ROLE' } },
  404: { message: 'lead not found' },
  409: { message: 'the job is COMPLETED; only a QUEUED or ACTIVE job can be cancelled' },
  413: { message: 'request entity too large' },
  415: { message: 'send the CSV as the body with Content-Type: text/csv (got application/json)' },
  429: { message: 'too many requests: retry in 42 s', details: { retryAfterSeconds: 42 } },
  503: { message: 'a backing service is unavailable; retry shortly' },
};

const RETRY_AFTER = {
  'Retry-After': {
    description: 'Seconds until the budget has room again.',
    schema: { type: 'integer' },
  },
} as const;

function example(status: ErrorStatus, versioned: boolean) {
  const { details, ...rest } = EXAMPLES[status];
  const body = versioned
    ? { code: CODE_BY_STATUS[status], ...rest, ...(details ? { details } : {}) }
    : { code: CODE_BY_STATUS[status], ...rest, ...details };
  return { error: body };
}

function errorResponses(
  statuses: ErrorStatus[],
  type: typeof ErrorResponseDto | typeof UnversionedErrorResponseDto,
  versioned: boolean,
) {
  return applyDecorators(
    ...statuses.map((status) =>
      ApiResponse({
        status,
        description: DESCRIPTIONS[status],
        type,
        example: example(status, versioned),
        ...(status === 429 ? { headers: RETRY_AFTER } : {}),
      }),
    ),
  );
}

/** The error answers of a route (or of every route of a controller), with an example each. */
export function ApiErrorResponses(...statuses: ErrorStatus[]) {
  return errorResponses(statuses, ErrorResponseDto, true);
}

/** The same for the routes outside `/api/v1`, whose details sit beside `code`. */
export function ApiUnversionedErrorResponses(...statuses: ErrorStatus[]) {
  return errorResponses(statuses, UnversionedErrorResponseDto, false);
}
