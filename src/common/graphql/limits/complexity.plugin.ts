import type { ApolloServerPlugin } from '@apollo/server';
import { DocumentNode, GraphQLError, GraphQLSchema } from 'graphql';
import { getVariableValues } from 'graphql/execution/values';
import { fieldExtensionsEstimator, getComplexity, simpleEstimator } from 'graphql-query-complexity';

import { queryLimitError } from './query-limit.error';

/**
 * The error refusing an operation that costs more than `maxComplexity`, or undefined. Each field
 * costs 1 unless its `@Field({ complexity })` says otherwise; list fields multiply by their `limit`
 * argument there. Throws when the variables do not fit their declared types.
 */
export function complexityLimitError({
  schema,
  document,
  operationName,
  variables,
  maxComplexity,
}: {
  schema: GraphQLSchema;
  document: DocumentNode;
  operationName?: string | null;
  variables?: Record<string, unknown> | null;
  maxComplexity: number;
}): GraphQLError | undefined {
  const complexity = getComplexity({
    schema,
    operationName: operationName ?? undefined,
    query: document,
    variables: variables ?? undefined,
    estimators: [fieldExtensionsEstimator(), simpleEstimator({ defaultComplexity: 1 })],
  });
  if (complexity <= maxComplexity) return undefined;
  return queryLimitError(
    'MAX_COMPLEXITY',
    `query complexity ${complexity} exceeds the maximum of ${maxComplexity}`,
    complexity,
    maxComplexity,
  );
}

/** Refuses an HTTP operation over the complexity limit once its variables are known. */
export function complexityPlugin(maxComplexity: number): ApolloServerPlugin {
  return {
    requestDidStart() {
      return Promise.resolve({
        didResolveOperation({ request, document, schema, operation }) {
          // Variables are coerced only at execution, after this hook. Wrong ones (a missing
          // required variable, a string for an Int, an unknown enum value or input field) are
          // left to it: it refuses them with 400 BAD_USER_INPUT naming the variable, as the same
          // mistakes written inline are refused. Estimating with them would throw a bare 500.
          const coerced = getVariableValues(
            schema,
            operation?.variableDefinitions ?? [],
            request.variables ?? {},
            { maxErrors: 1 },
          );
          if (coerced.errors) return Promise.resolve();
          const error = complexityLimitError({
            schema,
            document,
            operationName: request.operationName,
            variables: request.variables,
            maxComplexity,
          });
          if (error) throw error;
          return Promise.resolve();
        },
      });
    },
  };
}
