import type { ApolloServerPlugin } from '@apollo/server';
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
        didResolveOperation({ request, document, schema }) {
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
