import type { ExecutionArgs, GraphQLError } from 'graphql';
import type WebSocket from 'ws';

import type { GraphqlWsOptions } from '@/common/graphql/ws/graphql-ws-server';
import { ErrorCode } from '@/common/errors/error-code';

import type { GraphqlOperationMetrics } from './graphql-operation-metrics';
import { describeOperation, operationOutcome } from './graphql-operation-labels.util';

/** What the wrapper needs of WsSessions: where to count, and its per-socket subscriptions. */
export interface WsOperationTracking {
  readonly operationMetrics: GraphqlOperationMetrics;
  subscriptionStarted(socket: WebSocket, id: string): void;
  subscriptionEnded(socket: WebSocket, id: string): void;
}

/**
 * Apollo's plugins never see graphql-ws operations: this counts each one when `onSubscribe`
 * accepts or refuses it (a refusal before its document is read has type `unknown`), and tells
 * WsSessions which subscriptions run until graphql-ws' `onComplete` (called however one ends,
 * its socket closing included) or their socket's close, which drops them all.
 */
export function withOperationMetrics(
  options: GraphqlWsOptions,
  tracking: WsOperationTracking,
): GraphqlWsOptions {
  const { onSubscribe, onComplete } = options;
  const metrics = tracking.operationMetrics;
  return {
    ...options,
    onSubscribe: async (ctx, id, payload) => {
      let result: ExecutionArgs | readonly GraphQLError[] | void;
      try {
        result = await onSubscribe?.(ctx, id, payload);
      } catch (error) {
        metrics.record({ name: undefined, type: 'unknown', outcome: ErrorCode.INTERNAL });
        throw error;
      }
      if (!result) return result;
      if (isErrors(result)) {
        metrics.record({ name: undefined, type: 'unknown', outcome: operationOutcome(result) });
        return result;
      }
      const labels = describeOperation(result);
      metrics.record({ ...labels, outcome: 'ok' });
      if (labels.type === 'subscription') tracking.subscriptionStarted(ctx.extra.socket, id);
      return result;
    },
    onComplete: async (ctx, id, payload) => {
      tracking.subscriptionEnded(ctx.extra.socket, id);
      await onComplete?.(ctx, id, payload);
    },
  };
}

function isErrors(
  result: ExecutionArgs | readonly GraphQLError[],
): result is readonly GraphQLError[] {
  return Array.isArray(result);
}
