import type { ApolloServerPlugin } from '@apollo/server';
import { getVariableValues } from 'graphql/execution/values';
import { fieldExtensionsEstimator, getComplexity, simpleEstimator } from 'graphql-query-complexity';

import { queryLimitError } from './query-limit.error';

/**
 * Estimates the cost of an operation once its variables are known (each field costs 1 unless its
 * `@Field({ complexity })` says otherwise; list fields multiply by their `limit` argument there)
 * and refuses it before execution when it exceeds `maxComplexity`.
 */
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
          const complexity = getComplexity({
            schema,
            operationName: request.operationName,
            query: document,
            variables: request.variables,
            estimators: [fieldExtensionsEstimator(), simpleEstimator({ defaultComplexity: 1 })],
          });
          if (complexity > maxComplexity) {
            throw queryLimitError(
              'MAX_COMPLEXITY',
              `query complexity ${complexity} exceeds the maximum of ${maxComplexity}`,
              complexity,
              maxComplexity,
            );
          }
          return Promise.resolve();
        },
      });
    },
  };
}
