import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginCacheControlDisabled } from '@apollo/server/plugin/disabled';

import { noStorePlugin } from './no-store.plugin';
import { requestHooksPlugin } from './request-hooks';

describe('noStorePlugin', () => {
  const server = new ApolloServer({
    typeDefs: 'type Query { a: Int }',
    resolvers: { Query: { a: () => 1 } },
    plugins: [
      requestHooksPlugin(() => ({
        willSendResponse: ({ operationName, response }) => {
          if (operationName === 'Cached') response.http.headers.set('cache-control', 'max-age=60');
        },
      })),
      noStorePlugin(),
      // As in the app (graphql-options.ts): Apollo's own plugin would set the header otherwise.
      ApolloServerPluginCacheControlDisabled(),
    ],
  });
  beforeAll(() => server.start());
  afterAll(() => server.stop());

  it('marks a GraphQL answer no-store', async () => {
    const response = await server.executeOperation({ query: 'query Plain { a }' });

    expect(response.http.headers.get('cache-control')).toBe('no-store');
  });

  it('keeps a Cache-Control header something before it set', async () => {
    const response = await server.executeOperation({ query: 'query Cached { a }' });

    expect(response.http.headers.get('cache-control')).toBe('max-age=60');
  });
});
