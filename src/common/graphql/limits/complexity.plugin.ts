import type {
  ApolloServerPlugin,
  BaseContext,
  GraphQLRequestContextDidResolveOperation,
} from '@apollo/server';
import {
  DocumentNode,
  GraphQLError,
  GraphQLSchema,
  isInterfaceType,
  isObjectType,
  Kind,
  visit,
} from 'graphql';
import { getVariableValues } from 'graphql/execution/values';
import { fieldExtensionsEstimator, getComplexity, simpleEstimator } from 'graphql-query-complexity';

import { RequestHooks, RequestHooksFactory, requestHooksPlugin } from '../request-hooks';
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

/**
 * Whether some field's cost is a function (of its arguments, which variables may carry). When none
 * is, as in this app's schema (every `complexity` a number), an operation's cost depends on its
 * variables only through `@include(if:)` / `@skip(if:)`, and requests differing only in other
 * variables (a lead's id) share one cached figure.
 */
const argumentCosts = new WeakMap<GraphQLSchema, boolean>();

function hasArgumentCosts(schema: GraphQLSchema): boolean {
  let found = argumentCosts.get(schema);
  if (found === undefined) {
    found = Object.values(schema.getTypeMap()).some(
      (type) =>
        (isObjectType(type) || isInterfaceType(type)) &&
        Object.values(type.getFields()).some(
          (field) => typeof field.extensions?.complexity === 'function',
        ),
    );
    argumentCosts.set(schema, found);
  }
  return found;
}

/** The variables a document's `@include` / `@skip` conditions read, sorted. */
const conditionVariables = new WeakMap<DocumentNode, readonly string[]>();

function conditionVariablesOf(document: DocumentNode): readonly string[] {
  let names = conditionVariables.get(document);
  if (!names) {
    const found = new Set<string>();
    visit(document, {
      Directive(node) {
        if (node.name.value !== 'include' && node.name.value !== 'skip') return;
        for (const argument of node.arguments ?? []) {
          if (argument.value.kind === Kind.VARIABLE) found.add(argument.value.name.value);
        }
      },
    });
    names = [...found].sort();
    conditionVariables.set(document, names);
  }
  return names;
}

/**
 * The cache key of an operation's variables (only the ones that can change its cost, see
 * `hasArgumentCosts`), or undefined when they are too long to keep.
 */
function variantKey(
  schema: GraphQLSchema,
  document: DocumentNode,
  operationName: string | null | undefined,
  variables: Record<string, unknown> | null | undefined,
): string | undefined {
  let json = '';
  if (variables && Object.keys(variables).length > 0) {
    json = hasArgumentCosts(schema)
      ? JSON.stringify(variables)
      : JSON.stringify(conditionVariablesOf(document).map((name) => variables[name] ?? null));
  }
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
 * sent again with the same operation name and variables (those that can change its cost, see
 * `variantKey`) costs a map lookup, not another walk of it against the schema.
 */
export function complexityHooks(maxComplexity: number): RequestHooksFactory {
  const hooks: RequestHooks = {
    didResolveOperation(requestContext) {
      const { document, request, schema } = requestContext;
      const key = variantKey(schema, document, request.operationName, request.variables);
      let known = complexities.get(document);
      let complexity = key === undefined ? undefined : known?.get(key);
      if (complexity === undefined) {
        complexity = measure(requestContext);
        // Variables that did not fit ('skip') are not remembered when the key leaves some out: a
        // request with fitting ones under the same key must still be measured.
        if (key !== undefined && (complexity !== 'skip' || hasArgumentCosts(schema))) {
          if (!known) complexities.set(document, (known = new Map<string, number | 'skip'>()));
          if (known.size < MAX_CACHED_VARIANTS) known.set(key, complexity);
        }
      }
      const error = complexity === 'skip' ? undefined : limitError(complexity, maxComplexity);
      if (error) throw error;
    },
  };
  return () => hooks;
}

/** `complexityHooks` as a plugin of its own. */
export function complexityPlugin(maxComplexity: number): ApolloServerPlugin {
  return requestHooksPlugin(complexityHooks(maxComplexity));
}
