import type {
  GatewayExecutor,
  GatewayInterface,
  GatewaySchemaLoadOrUpdateCallback,
} from '@apollo/server-gateway-interface';
import {
  DocumentNode,
  execute,
  ExecutionResult,
  getOperationAST,
  getNamedType,
  GraphQLError,
  GraphQLInputType,
  GraphQLSchema,
  isInputObjectType,
  isNonNullType,
  OperationDefinitionNode,
  OperationTypeNode,
  typeFromAST,
} from 'graphql';
import { compileQuery, CompiledQuery, isCompiledQuery } from 'graphql-jit';

import { nonNullDefaultsFiller, VariablesFiller } from './input-defaults';

/**
 * A document is compiled the second time it is executed: the dashboard's and an API client's
 * operations repeat (Apollo's document store hands back the same parsed document for the same
 * text), while an operation sent once — a developer's query, a probe — is executed by graphql-js
 * and costs no compilation (the bench's page: 0.17 ms to compile once warm, about one execution of
 * it by graphql-js, and ~9 ms for a cold process's first; 200 compilations, median and max).
 */
export const COMPILE_ON_EXECUTION = 2;

type Variables = Readonly<Record<string, unknown>> | undefined;

/** What executed an operation: its compiled form, or graphql-js. */
export type ExecutionEngine = 'compiled' | 'graphql-js';

/**
 * Told of each execution and each compilation (GraphqlOperationMetrics counts them): how much of
 * the traffic runs compiled, and what graphql-jit refuses.
 */
export interface ExecutionObserver {
  executed(engine: ExecutionEngine): void;
  compiled(outcome: 'compiled' | 'refused'): void;
}

/** One operation of one parsed document: executed so far, and its compiled form once there. */
interface OperationEntry {
  executions: number;
  /** Undefined: not compiled yet; null: graphql-jit refused it (graphql-js executes it). */
  compiled?: Compiled | null;
}

interface Compiled {
  readonly query: CompiledQuery;
  /** Fills what graphql-jit would not (nonNullDefaultsFiller); undefined: nothing to fill. */
  readonly fill: VariablesFiller | undefined;
}

/**
 * Queries and mutations executed by code compiled for their selection (graphql-jit), not by
 * graphql-js walking the document for every field of every row.
 *
 * Why (measured): a page of 50 leads with five fields each costs graphql-js ~150 µs to execute and
 * serialize on this machine, and graphql-jit's compiled query ~35 µs (a probe of the same schema
 * and resolvers, 20,000 executions, medians of 3); graphql-js also allocates an argument map for
 * every field it resolves (~23 % of a `leads` request's allocations). The semantics are GraphQL's:
 * mutations' root fields in order, errors located at their field with the resolver's error as
 * `originalError` (so `formatError` sees the same errors), null propagation, variables coerced by
 * the operation's definitions (refused ones are handed to graphql-js, for its errors).
 * Subscriptions, operations whose variables graphql-jit would coerce otherwise
 * (`jitCoercesLikeGraphqlJs`) and whatever graphql-jit refuses to compile go to graphql-js.
 *
 * Compiled operations are kept per parsed document (a WeakMap): when Apollo's document store drops
 * a document, its compiled operations go with it, so their number is bounded by that store's.
 */
export class CompiledOperations {
  private readonly operations = new WeakMap<DocumentNode, Map<string, OperationEntry>>();
  /** Operations compiled so far (for tests and metrics). */
  compiledCount = 0;

  constructor(
    private readonly schema: GraphQLSchema,
    private readonly compileOn: number = COMPILE_ON_EXECUTION,
    private readonly observer?: ExecutionObserver,
  ) {}

  execute(
    document: DocumentNode,
    operationName: string | undefined,
    variables: Variables,
    contextValue: unknown,
  ): Promise<ExecutionResult> | ExecutionResult {
    const compiled = this.compiledFor(document, operationName);
    if (compiled) {
      const values = compiled.fill && variables ? compiled.fill(variables) : variables;
      const result = compiled.query.query(undefined, contextValue, values);
      if (result instanceof Promise) {
        this.observer?.executed('compiled');
        return result.then(withGraphqlErrors);
      }
      // Refused variables (an answer without `data`, before anything ran): graphql-js runs the
      // request, and answers with its errors, which name the variable's definition and the path
      // inside the value (Apollo answers them 400 BAD_USER_INPUT); graphql-jit's do neither.
      if (!('data' in result))
        return this.executeByGraphqlJs(document, operationName, variables, contextValue);
      this.observer?.executed('compiled');
      return withGraphqlErrors(result);
    }
    return this.executeByGraphqlJs(document, operationName, variables, contextValue);
  }

  private executeByGraphqlJs(
    document: DocumentNode,
    operationName: string | undefined,
    variables: Variables,
    contextValue: unknown,
  ): Promise<ExecutionResult> | ExecutionResult {
    this.observer?.executed('graphql-js');
    return execute({
      schema: this.schema,
      document,
      operationName,
      variableValues: variables,
      contextValue,
    });
  }

  private compiledFor(
    document: DocumentNode,
    operationName: string | undefined,
  ): Compiled | null | undefined {
    let byName = this.operations.get(document);
    if (!byName) {
      byName = new Map();
      this.operations.set(document, byName);
    }
    const key = operationName ?? '';
    let entry = byName.get(key);
    if (!entry) {
      entry = { executions: 0 };
      byName.set(key, entry);
    }
    if (entry.compiled !== undefined) return entry.compiled;
    entry.executions++;
    if (entry.executions < this.compileOn) return undefined;
    entry.compiled = this.compile(document, operationName);
    this.observer?.compiled(entry.compiled ? 'compiled' : 'refused');
    return entry.compiled;
  }

  private compile(document: DocumentNode, operationName: string | undefined): Compiled | null {
    const operation = getOperationAST(document, operationName);
    if (!operation || operation.operation === OperationTypeNode.SUBSCRIPTION) return null;
    if (!jitCoercesLikeGraphqlJs(this.schema, operation)) return null;
    const fill = nonNullDefaultsFiller(this.schema, operation);
    if (fill === null) return null;
    try {
      const compiled = compileQuery(this.schema, document, operationName);
      if (!isCompiledQuery(compiled)) return null;
      this.compiledCount++;
      return { query: compiled, fill };
    } catch {
      return null; // graphql-js executes it, and reports whatever is wrong with it
    }
  }
}

/**
 * Whether graphql-jit coerces this operation's variables as graphql-js does. It writes a nullable
 * input field's default into its code as JSON, so only defaults that JSON keeps as they are
 * (primitives, arrays and plain objects of them) are safe; an operation reaching another is
 * executed by graphql-js. (A non-null field's default, which graphql-jit 0.8 does not apply at all,
 * is filled in the variables before it coerces them: nonNullDefaultsFiller.)
 */
export function jitCoercesLikeGraphqlJs(
  schema: GraphQLSchema,
  operation: OperationDefinitionNode,
): boolean {
  const seen = new Set<string>();
  const safe = (type: GraphQLInputType): boolean => {
    const named = getNamedType(type);
    if (!isInputObjectType(named) || seen.has(named.name)) return true;
    seen.add(named.name);
    return Object.values(named.getFields()).every(
      (field) =>
        (field.defaultValue === undefined ||
          isNonNullType(field.type) ||
          keptByJson(field.defaultValue)) &&
        safe(field.type),
    );
  };
  return (operation.variableDefinitions ?? []).every((definition) => {
    const type = typeFromAST(schema, definition.type) as GraphQLInputType | undefined;
    return type !== undefined && safe(type);
  });
}

function keptByJson(value: unknown): boolean {
  if (value === null || ['string', 'boolean'].includes(typeof value)) return true;
  if (typeof value === 'number') return Number.isFinite(value);
  if (Array.isArray(value)) return value.every(keptByJson);
  if (typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype)
    return Object.values(value).every(keptByJson);
  return false;
}

/**
 * Apollo Server's way to execute operations by other means than graphql-js: a "gateway" that
 * hands it the schema and an executor. Apollo still parses, validates, runs the plugins and
 * formats the errors; only execution is ours. The schema is Nest's, handed over by
 * `transformSchema` (Nest builds it before the server starts).
 */
export class CompiledExecutionGateway implements GatewayInterface {
  private schema: GraphQLSchema | undefined;
  private operations: CompiledOperations | undefined;
  private readonly listeners = new Set<GatewaySchemaLoadOrUpdateCallback>();

  constructor(
    private readonly compileOn: number = COMPILE_ON_EXECUTION,
    private readonly observer?: ExecutionObserver,
  ) {}

  /** Nest's `transformSchema`: keeps the schema it built, unchanged. */
  readonly useSchema = (schema: GraphQLSchema): GraphQLSchema => {
    this.schema = schema;
    this.operations = new CompiledOperations(schema, this.compileOn, this.observer);
    return schema;
  };

  /** The operations' cache (undefined before the schema is built). */
  get compiled(): CompiledOperations | undefined {
    return this.operations;
  }

  load(): Promise<{ schema: GraphQLSchema; executor: GatewayExecutor }> {
    const schema = this.schema;
    const operations = this.operations;
    if (!schema || !operations)
      return Promise.reject(
        new Error('the GraphQL schema was not built before the server started'),
      );
    for (const listener of this.listeners) listener({ apiSchema: schema, coreSupergraphSdl: '' });
    const executor: GatewayExecutor = async (request) =>
      operations.execute(
        request.document,
        request.request.operationName ?? undefined,
        request.request.variables,
        request.context,
      );
    return Promise.resolve({ schema, executor });
  }

  onSchemaLoadOrUpdate(callback: GatewaySchemaLoadOrUpdateCallback): () => void {
    this.listeners.add(callback);
    return () => this.listeners.delete(callback);
  }

  stop(): Promise<void> {
    this.listeners.clear();
    return Promise.resolve();
  }
}

/**
 * graphql-jit's errors as graphql-js makes them. Its own error type has no `extensions` object when
 * the resolver's error had none, and Apollo reads `extensions.code` of every error; a GraphQLError
 * built from its message, path, locations and original error is what graphql-js would have given.
 */
function withGraphqlErrors(result: ExecutionResult): ExecutionResult {
  if (!result.errors?.length) return result;
  return {
    ...result,
    errors: result.errors.map((error) => {
      const rebuilt = new GraphQLError(error.message, {
        path: error.path,
        originalError: error.originalError ?? undefined,
        ...(error.extensions && { extensions: error.extensions }),
      });
      // graphql-js computes locations from the nodes, which graphql-jit keeps only as locations.
      (rebuilt as { locations?: GraphQLError['locations'] }).locations = error.locations;
      return rebuilt;
    }),
  };
}
