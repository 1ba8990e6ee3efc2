import type {
  ApolloServerPlugin,
  BaseContext,
  GraphQLRequestContextDidResolveOperation,
  GraphQLRequestListener,
} from '@apollo/server';
import { DocumentNode, GraphQLError, GraphQLSchema } from 'graphql';
import { getVariableValues } from 'graphql/execution/values';
import { fieldExtensionsEstimator, getComplexity, simpleEstimator } from 'graphql-query-complexity';

import { queryLimitError } from './query-limit.error';

/**
 * What an operation costs: each field 1 unless its `@Field({ complexity })` says otherwise; list
 * fields multiply by their `limit` argument there. Throws when the variables do not fit their
 * declared types.
 */
export function operationComplexity({
  schema,
  document,
  operationName,
  variables,
}: {
  schema: GraphQLSchema;
  document: DocumentNode;
  operationName?: string | null;
  variables?: Record<string, unknown> | null;
}): number {
  return getComplexity({
    schema,
    operationName: operationName ?? undefined,
    query: document,
    variables: variables ?? undefined,
    estimators: [fieldExtensionsEstimator(), simpleEstimator({ defaultComplexity: 1 })],
  });
}

/** The error refusing an operation that costs `complexity`, or undefined within the limit. */
function limitError(complexity: number, maxComplexity: number): GraphQLError | undefined {
  if (complexity <= maxComplexity) return undefined;
  return queryLimitError(
    'MAX_COMPLEXITY',
    `query complexity ${complexity} exceeds the maximum of ${maxComplexity}`,
    complexity,
    maxComplexity,
  );
}

/**
 * The error refusing an operation that costs more than `maxComplexity` (see
 * `operationComplexity`), or undefined. Throws when the variables do not fit their declared types.
 */
export function complexityLimitError({
  maxComplexity,
  ...operation
}: {
  schema: GraphQLSchema;
  document: DocumentNode;
  operationName?: string | null;
  variables?: Record<string, unknown> | null;
  maxComplexity: number;
}): GraphQLError | undefined {
  return limitError(operationComplexity(operation), maxComplexity);
}

/** Variables longer than this (as JSON) are not remembered: the estimate runs again. */
const MAX_CACHED_VARIABLES_LENGTH = 1_024;
/** Per document: enough for the few variable sets a dashboard sends, bounded for the rest. */
const MAX_CACHED_VARIANTS = 64;

/**
 * The complexity of a document with a given operation name and variables, or `'skip'` when the
 * variables did not fit their types (left to execution, which refuses them). Apollo keeps each
 * parsed and validated document in its document store and hands the same DocumentNode to every
 * request sending the same query, so the figure is remembered on it; a WeakMap entry goes when
 * the store drops the document.
 */
const complexities = new WeakMap<DocumentNode, Map<string, number | 'skip'>>();

/** The cache key of an operation's variables, or undefined when they are too long to keep. */
function variantKey(
  operationName: string | null | undefined,
  variables: Record<string, unknown> | null | undefined,
): string | undefined {
  const json = variables && Object.keys(variables).length > 0 ? JSON.stringify(variables) : '';
  if (json.length > MAX_CACHED_VARIABLES_LENGTH) return undefined;
  return `${operationName ?? ''}\u0000${json}`;
}

function measure({
  schema,
  document,
  operation,
  request,
}: GraphQLRequestContextDidResolveOperation<BaseContext>): number | 'skip' {
  // Variables are coerced only at execution, after this hook. Wrong ones (a missing required
  // variable, a string for an Int, an unknown enum value or input field) are left to it: it
  // refuses them with 400 BAD_USER_INPUT naming the variable, as the same mistakes written inline
  // are refused. Estimating with them would throw a bare 500.
  const coerced = getVariableValues(
    schema,
    operation?.variableDefinitions ?? [],
    request.variables ?? {},
    { maxErrors: 1 },
  );
  if (coerced.errors) return 'skip';
  return operationComplexity({
    schema,
    document,
    operationName: request.operationName,
    variables: request.variables,
  });
}

/**
 * Refuses an HTTP operation over the complexity limit once its variables are known. A document
 * sent again with the same operation name and variables costs a map lookup, not another walk of
 * it against the schema.
 */
export function complexityPlugin(maxComplexity: number): ApolloServerPlugin {
  const listener: GraphQLRequestListener<BaseContext> = {
    didResolveOperation(requestContext) {
      const { document, request } = requestContext;
      const key = variantKey(request.operationName, request.variables);
      let known = complexities.get(document);
      let complexity = key === undefined ? undefined : known?.get(key);
      if (complexity === undefined) {
        complexity = measure(requestContext);
        if (key !== undefined) {
          if (!known) complexities.set(document, (known = new Map<string, number | 'skip'>()));
          if (known.size < MAX_CACHED_VARIANTS) known.set(key, complexity);
        }
      }
      const error = complexity === 'skip' ? undefined : limitError(complexity, maxComplexity);
      if (error) throw error;
      return Promise.resolve();
    },
  };
  return { requestDidStart: () => Promise.resolve(listener) };
}
