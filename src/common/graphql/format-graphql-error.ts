import { Logger } from '@nestjs/common';
import { GraphQLError, GraphQLFormattedError } from 'graphql';
import { unwrapResolverError } from '@apollo/server/errors';

import { ErrorCode } from '@/common/errors/error-code';
import { isError } from '@/common/errors/is-error';
import { toClientError } from '@/common/errors/to-client-error';

const logger = new Logger('GraphQL');

/** Codes Apollo itself assigns before a resolver runs (parse, validation, bad variables...). */
const APOLLO_CODES: Readonly<Record<string, ErrorCode>> = {
  GRAPHQL_PARSE_FAILED: ErrorCode.BAD_USER_INPUT,
  GRAPHQL_VALIDATION_FAILED: ErrorCode.BAD_USER_INPUT,
  BAD_USER_INPUT: ErrorCode.BAD_USER_INPUT,
  BAD_REQUEST: ErrorCode.BAD_USER_INPUT,
  OPERATION_RESOLUTION_FAILURE: ErrorCode.BAD_USER_INPUT,
  PERSISTED_QUERY_NOT_FOUND: ErrorCode.BAD_USER_INPUT,
  PERSISTED_QUERY_NOT_SUPPORTED: ErrorCode.BAD_USER_INPUT,
};

/**
 * Gives every GraphQL error a stable `extensions.code` and hides internals: unexpected errors are
 * logged with their stack and reach the client as INTERNAL_SERVER_ERROR without details.
 */
export function formatGraphqlError(
  formatted: GraphQLFormattedError,
  error: unknown,
): GraphQLFormattedError {
  const apolloCode = formatted.extensions?.code;
  const original = unwrapResolverError(error);
  if (typeof apolloCode === 'string' && APOLLO_CODES[apolloCode] && original === error) {
    return {
      ...formatted,
      extensions: { ...publicExtensions(formatted), code: APOLLO_CODES[apolloCode] },
    };
  }
  // Our own GraphQLErrors (query limits) already carry a code and their details.
  if (original instanceof GraphQLError && isErrorCode(apolloCode)) {
    return { ...formatted, extensions: publicExtensions(formatted) };
  }
  const clientError = toClientError(original);
  if (!clientError.expected) {
    logger.error(isError(original) ? original : String(original));
  }
  return {
    message: clientError.message,
    locations: formatted.locations,
    path: formatted.path,
    extensions: { code: clientError.code, ...clientError.details },
  };
}

const ERROR_CODES = new Set<string>(Object.values(ErrorCode));

function isErrorCode(value: unknown): value is ErrorCode {
  return (
    typeof value === 'string' && ERROR_CODES.has(value) && value !== String(ErrorCode.INTERNAL)
  );
}

/** Extensions minus what is only for the server (stack traces, the HTTP status hint). */
function publicExtensions(formatted: GraphQLFormattedError): Record<string, unknown> {
  // eslint-disable-next-line @typescript-eslint/no-unused-vars
  const { stacktrace, http, ...rest } = formatted.extensions ?? {};
  return rest;
}
