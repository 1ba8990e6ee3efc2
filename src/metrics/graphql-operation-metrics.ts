import { Counter, Histogram, Registry } from 'prom-client';

import type { OperationType } from './graphql-operation-labels.util';
import { OperationNameCap } from './operation-name-cap';

/**
 * GraphQL operations by name, type and outcome, over HTTP (GraphqlOperationsPlugin) and graphql-ws
 * (counted when accepted or refused); durations over HTTP only, where an operation has an end.
 * Plain, built by MetricsService, so whatever injects MetricsService reaches it.
 */
export class GraphqlOperationMetrics {
  private readonly operations: Counter<'operation' | 'type' | 'outcome'>;
  private readonly duration: Histogram<'operation' | 'type'>;
  private readonly names = new OperationNameCap({ maxNames: 200 });

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
