import { Counter, Histogram, Registry } from 'prom-client';

import type { ExecutionEngine, ExecutionObserver } from '@/common/graphql/compiled-execution';

import type { OperationType } from './graphql-operation-labels.util';
import { OperationNameCap } from './operation-name-cap';

/**
 * GraphQL operations by name, type and outcome, over HTTP (GraphqlOperationsPlugin) and graphql-ws
 * (counted when accepted or refused); durations over HTTP only, where an operation has an end.
 * And, as the ExecutionObserver of compiled execution (CompiledOperations), the HTTP operations
 * executed compiled or by graphql-js, and the compilations done or refused.
 * Plain, built by MetricsService, so whatever injects MetricsService reaches it.
 */
export class GraphqlOperationMetrics implements ExecutionObserver {
  private readonly operations: Counter<'operation' | 'type' | 'outcome'>;
  private readonly duration: Histogram<'operation' | 'type'>;
  private readonly names = new OperationNameCap({ maxNames: 200 });
  /** The label sets bound once: an execution counts on a hot path. */
  private readonly executions: Record<ExecutionEngine, Counter.Internal>;
  private readonly compilations: Record<'compiled' | 'refused', Counter.Internal>;

  constructor(registry: Registry) {
    this.operations = new Counter({
      name: 'leadscoring_graphql_operations_total',
      help: 'GraphQL operations, by operation name (the first 200 distinct, then "other"), type and outcome ("ok" or the first error\'s code).',
      labelNames: ['operation', 'type', 'outcome'],
      registers: [registry],
    });
    this.duration = new Histogram({
      name: 'leadscoring_graphql_operation_duration_seconds',
      help: 'Time to answer a GraphQL operation over HTTP, by operation name and type.',
      labelNames: ['operation', 'type'],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers: [registry],
    });
    const executions = new Counter({
      name: 'leadscoring_graphql_executions_total',
      help: 'GraphQL operations executed over HTTP while compiled execution is on (GRAPHQL_COMPILED_EXECUTION), by engine: "compiled" (graphql-jit, from an operation\'s second execution) or "graphql-js".',
      labelNames: ['engine'],
      registers: [registry],
    });
    this.executions = {
      compiled: executions.labels('compiled'),
      'graphql-js': executions.labels('graphql-js'),
    };
    const compilations = new Counter({
      name: 'leadscoring_graphql_compilations_total',
      help: 'Operations compiled by graphql-jit while compiled execution is on, by outcome: "compiled", or "refused" (a subscription, variables it would coerce otherwise than graphql-js, or a document it cannot compile: graphql-js executes those).',
      labelNames: ['outcome'],
      registers: [registry],
    });
    this.compilations = {
      compiled: compilations.labels('compiled'),
      refused: compilations.labels('refused'),
    };
  }

  executed(engine: ExecutionEngine): void {
    this.executions[engine].inc();
  }

  compiled(outcome: 'compiled' | 'refused'): void {
    this.compilations[outcome].inc();
  }

  record({
    name,
    type,
    outcome,
    seconds,
  }: {
    name: string | undefined;
    type: OperationType;
    outcome: string;
    /** Undefined for graphql-ws operations, counted when they start. */
    seconds?: number;
  }): void {
    const operation = this.names.label(name);
    this.operations.inc({ operation, type, outcome });
    if (seconds !== undefined) this.duration.observe({ operation, type }, seconds);
  }
}
