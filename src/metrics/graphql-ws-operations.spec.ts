import { ExecutionArgs, GraphQLError, parse } from 'graphql';
import type { Context } from 'graphql-ws';
import { Registry } from 'prom-client';
import type WebSocket from 'ws';

import type { GraphqlWsOptions, WsExtra } from '@/common/graphql/ws/graphql-ws-server';

import { GraphqlOperationMetrics } from './graphql-operation-metrics';
import { withOperationMetrics } from './graphql-ws-operations';

type Ctx = Context<Record<string, unknown> | undefined, WsExtra>;

function makeTracking(registry: Registry) {
  const running = new Set<string>();
  return {
    running,
    operationMetrics: new GraphqlOperationMetrics(registry),
    subscriptionStarted: (_socket: WebSocket, id: string) => void running.add(id),
    subscriptionEnded: (_socket: WebSocket, id: string) => void running.delete(id),
  };
}

function makeOptions(answer: (query: string) => ExecutionArgs | readonly GraphQLError[]) {
  const completed: string[] = [];
  const options: GraphqlWsOptions = {
    path: '/graphql',
    onSubscribe: (_ctx, _id, payload) => answer(payload.query),
    onComplete: (_ctx, id) => void completed.push(id),
  };
  return { options, completed };
}

const ctx = { extra: { socket: {} as WebSocket } } as Ctx;
const accept = (query: string) => ({ schema: undefined, document: parse(query) }) as never;

async function counts(registry: Registry) {
  const metric = registry.getSingleMetric('leadscoring_graphql_operations_total');
  return (await metric!.get()).values.map(({ labels, value }) => ({ labels, value }));
}

describe('withOperationMetrics', () => {
  it('counts an accepted subscription and tracks it until onComplete', async () => {
    const registry = new Registry();
    const tracking = makeTracking(registry);
    const { options, completed } = makeOptions(accept);
    const sut = withOperationMetrics(options, tracking);

    await sut.onSubscribe!(ctx, '1', { query: 'subscription Live { changed }' });
    await sut.onSubscribe!(ctx, '2', { query: 'query Me { me }' });

    expect(await counts(registry)).toEqual([
      { labels: { operation: 'Live', type: 'subscription', outcome: 'ok' }, value: 1 },
      { labels: { operation: 'Me', type: 'query', outcome: 'ok' }, value: 1 },
    ]);
    expect([...tracking.running]).toEqual(['1']);

    await sut.onComplete!(ctx, '1', { query: '' });
    expect(tracking.running.size).toBe(0);
    expect(completed).toEqual(['1']);
  });

  it('counts a refusal by its code, without a name or type it never read', async () => {
    const registry = new Registry();
    const tracking = makeTracking(registry);
    const refusal = [new GraphQLError('slow down', { extensions: { code: 'RATE_LIMITED' } })];
    const sut = withOperationMetrics(makeOptions(() => refusal).options, tracking);

    expect(await sut.onSubscribe!(ctx, '1', { query: 'subscription Live { changed }' })).toBe(
      refusal,
    );
    expect(await counts(registry)).toEqual([
      { labels: { operation: 'anonymous', type: 'unknown', outcome: 'RATE_LIMITED' }, value: 1 },
    ]);
    expect(tracking.running.size).toBe(0);
  });

  it('counts a hook that throws as an internal error and lets it through', async () => {
    const registry = new Registry();
    const options: GraphqlWsOptions = {
      path: '/graphql',
      onSubscribe: () => Promise.reject(new Error('redis gone')),
    };
    const sut = withOperationMetrics(options, makeTracking(registry));

    await expect(sut.onSubscribe!(ctx, '1', { query: '{ me }' })).rejects.toThrow('redis gone');
    expect(await counts(registry)).toEqual([
      {
        labels: { operation: 'anonymous', type: 'unknown', outcome: 'INTERNAL_SERVER_ERROR' },
        value: 1,
      },
    ]);
  });
});
