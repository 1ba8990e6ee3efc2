import { ApolloServer, BaseContext, GraphQLRequestListener } from '@apollo/server';
import { GraphQLError } from 'graphql';

import { RequestHooks, requestHooksPlugin } from './request-hooks';

describe('requestHooksPlugin', () => {
  it('gives Apollo one listener with only the hooks some part defines', async () => {
    const plugin = requestHooksPlugin(
      () => ({ willSendResponse: () => undefined }),
      () => ({}),
    );
    const listener = (await plugin.requestDidStart!(
      {} as never,
    )) as GraphQLRequestListener<BaseContext>;

    expect(Object.keys(listener)).toEqual(['willSendResponse']);
  });

  describe('on a real server', () => {
    const calls: string[] = [];
    let starts = 0;
    const recorder = (name: string) => (): RequestHooks => {
      starts += 1;
      const request = starts;
      return {
        didResolveOperation: ({ operationName }) => {
          calls.push(`${name} resolved ${operationName} #${request}`);
        },
        willSendResponse: ({ response }) => {
          calls.push(`${name} sends #${request}`);
          response.http.headers.set(`x-${name}`, String(request));
        },
      };
    };
    const refuser = (): RequestHooks => ({
      didResolveOperation: ({ operationName }) => {
        if (operationName === 'Refused')
          throw new GraphQLError('refused', { extensions: { code: 'BAD_USER_INPUT' } });
      },
    });
    const server = new ApolloServer({
      typeDefs: 'type Query { a: Int }',
      resolvers: { Query: { a: () => 1 } },
      plugins: [requestHooksPlugin(recorder('first'), refuser, recorder('last'))],
    });
    beforeAll(() => server.start());
    afterAll(() => server.stop());
    beforeEach(() => {
      calls.length = 0;
      starts = 0;
    });

    it('runs every part in order, with hooks made afresh for each request', async () => {
      const response = await server.executeOperation({ query: 'query Ok { a }' });
      await server.executeOperation({ query: 'query Ok { a }' });

      expect(calls).toEqual([
        'first resolved Ok #1',
        'last resolved Ok #2',
        'first sends #1',
        'last sends #2',
        'first resolved Ok #3',
        'last resolved Ok #4',
        'first sends #3',
        'last sends #4',
      ]);
      expect(response.http.headers.get('x-first')).toBe('1');
      expect(response.http.headers.get('x-last')).toBe('2');
    });

    it('stops at a part that refuses the request, whose error is the answer', async () => {
      const response = await server.executeOperation({ query: 'query Refused { a }' });

      expect(response.body.kind === 'single' && response.body.singleResult.errors).toEqual([
        expect.objectContaining({ message: 'refused' }),
      ]);
      expect(calls).toEqual(['first resolved Refused #1', 'first sends #1', 'last sends #2']);
    });
  });
});
