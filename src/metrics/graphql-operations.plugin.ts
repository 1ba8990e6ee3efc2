import { performance } from 'node:perf_hooks';

import type {
  ApolloServerPlugin,
  BaseContext,
  GraphQLRequestContext,
  GraphQLRequestListener,
} from '@apollo/server';

import {
  RequestHooks,
  RequestHooksFactory,
  requestHooksPlugin,
} from '@/common/graphql/request-hooks';

import type { GraphqlOperationMetrics } from './graphql-operation-metrics';
import { describeOperation, operationOutcome } from './graphql-operation-labels.util';

/**
 * Counts and times every GraphQL operation served over HTTP, parse and validation failures
 * included (Apollo calls `willSendResponse` for those too). The outcome is read from the errors
 * as the client gets them, after `formatError` has given each its stable code.
 */
export class GraphqlOperationsPlugin implements ApolloServerPlugin {
  constructor(private readonly metrics: GraphqlOperationMetrics) {}

  /** Its hooks for one request (`requestHooksPlugin`): the clock starts when they are made. */
  readonly hooks: RequestHooksFactory = (): RequestHooks => {
    const started = performance.now();
    const metrics = this.metrics;
    return {
      willSendResponse({ operation, document, request, response }) {
        const { body } = response;
        const errors =
          body.kind === 'single' ? body.singleResult.errors : body.initialResult.errors;
        metrics.record({
          ...describeOperation({ operation, document, operationName: request.operationName }),
          outcome: operationOutcome(errors),
          seconds: (performance.now() - started) / 1000,
        });
      },
    };
  };

  private readonly alone = requestHooksPlugin(this.hooks);

  requestDidStart(
    context: GraphQLRequestContext<BaseContext>,
  ): Promise<GraphQLRequestListener<BaseContext> | void> {
    return this.alone.requestDidStart!(context);
  }
}
