import {
  DocumentNode,
  ExecutionArgs,
  getOperationAST,
  GraphQLError,
  GraphQLSchema,
  parse,
  specifiedRules,
  validate,
  ValidationRule,
} from 'graphql';
import type { SubscribePayload } from 'graphql-ws';

import { ErrorCode } from '@/common/errors/error-code';
import { complexityLimitError } from '@/common/graphql/limits/complexity.plugin';

export interface OperationLimits {
  /** Run after graphql's own rules, as Apollo runs `validationRules` over HTTP. */
  readonly validationRules: readonly ValidationRule[];
  readonly maxComplexity: number;
}

/**
 * What Apollo does over HTTP before executing, for an operation that arrived over graphql-ws:
 * parse, validate (graphql's rules plus ours: depth, aliases), pick the operation, then estimate
 * its cost with the variables. Answers the arguments to execute, or the errors to refuse it with,
 * each carrying the `extensions.code` the same mistake gets over HTTP.
 */
export function prepareOperation(
  schema: GraphQLSchema,
  payload: SubscribePayload,
  limits: OperationLimits,
): ExecutionArgs | readonly GraphQLError[] {
  let document: DocumentNode;
  try {
    document = parse(payload.query);
  } catch (error) {
    return [badInput(error)];
  }
  const invalid = validate(schema, document, [...specifiedRules, ...limits.validationRules]);
  if (invalid.length > 0) return invalid.map(badInput);

  const operationName = payload.operationName ?? undefined;
  if (!getOperationAST(document, operationName)) {
    return [
      badInput(
        operationName
          ? `Unknown operation named "${operationName}".`
          : 'Must provide operation name if query contains multiple operations.',
      ),
    ];
  }
  const variableValues = payload.variables ?? undefined;
  let tooCostly: GraphQLError | undefined;
  try {
    tooCostly = complexityLimitError({
      schema,
      document,
      operationName,
      variables: variableValues,
      maxComplexity: limits.maxComplexity,
    });
  } catch (error) {
    // Variables that do not fit their declared types: what execution would refuse anyway.
    return [badInput(error)];
  }
  if (tooCostly) return [tooCostly];
  return { schema, document, operationName, variableValues };
}

/** Keeps a code the error already has (our limits), else marks it as the client's mistake. */
function badInput(error: unknown): GraphQLError {
  if (error instanceof GraphQLError) {
    if (typeof error.extensions.code === 'string') return error;
    return new GraphQLError(error.message, {
      nodes: error.nodes,
      source: error.source,
      positions: error.positions,
      extensions: { ...error.extensions, code: ErrorCode.BAD_USER_INPUT },
    });
  }
  return new GraphQLError(error instanceof Error ? error.message : String(error), {
    extensions: { code: ErrorCode.BAD_USER_INPUT },
  });
}
