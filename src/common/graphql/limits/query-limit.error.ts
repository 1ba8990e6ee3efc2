import { GraphQLError } from 'graphql';

import { ErrorCode } from '@/common/errors/error-code';

export type QueryLimit = 'MAX_DEPTH' | 'MAX_ALIASES' | 'MAX_COMPLEXITY' | 'MAX_BATCH';

/** A query refused before execution; `extensions.limit` says which limit, `max` and `actual` by how much. */
export function queryLimitError(
  limit: QueryLimit,
  message: string,
  actual: number,
  max: number,
): GraphQLError {
  return new GraphQLError(message, {
    extensions: { code: ErrorCode.BAD_USER_INPUT, limit, actual, max, http: { status: 400 } },
  });
}
