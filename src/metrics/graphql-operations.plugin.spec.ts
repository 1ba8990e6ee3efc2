import { ApolloServer } from '@apollo/server';
import { GraphQLError } from 'graphql';
import { Registry } from 'prom-client';

import { formatGraphqlError } from '@/common/graphql/format-graphql-error';

import { GraphqlOperationMetrics } from './graphql-operation-metrics';
import { GraphqlOperationsPlugin } from './graphql-operations.plugin';

const typeDefs = `
  type Query { me: String, secret: String }
  type Mutation { touch: Boolean }
`;
const resolvers = {
  Query: {
    me: () => 'me',
    secret: () => {
      throw new GraphQLError('no', { extensions: { code: 'FORBIDDEN' } });
    },
  },
  Mutation: { touch: () => true },
};

async function values(registry: Registry, name: string) {
  const metric = registry.getSingleMetric(name);
  if (!metric) throw new Error(`${name} is not registered`);
  return (await metric.get()).values;
}

describe('GraphqlOperationsPlugin', () => {
  let registry: Registry;
  let server: ApolloServer;

  beforeEach(async () => {
    registry = new Registry();
    server = new ApolloServer({
      typeDefs,
      resolvers,
      formatError: formatGraphqlError,
      plugins: [new GraphqlOperationsPlugin(new GraphqlOperationMetrics(registry))],
    });
    await server.start();
  });

  afterEach(() => server.stop());

  it('counts operations by name, type and outcome, and times them by name and type', async () => {
    await server.executeOperation({ query: 'query Me { me }' });
    await server.executeOperation({ query: 'query Me { me }' });
    await server.executeOperation({ query: 'query Secret { secret }' });
    await server.executeOperation({ query: 'mutation { touch }' });

    expect(await values(registry, 'leadscoring_graphql_operations_total')).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          labels: { operation: 'Me', type: 'query', outcome: 'ok' },
          value: 2,
        }),
        expect.objectContaining({
          labels: { operation: 'Secret', type: 'query', outcome: 'FORBIDDEN' },
          value: 1,
        }),
        expect.objectContaining({
          labels: { operation: 'anonymous', type: 'mutation', outcome: 'ok' },
          value: 1,
        }),
      ]),
    );
    const counts = (await values(registry, 'leadscoring_graphql_operation_duration_seconds'))
      .filter(
        (v) =>
          (v as { metricName?: string }).metricName ===
          'leadscoring_graphql_operation_duration_seconds_count',
      )
      .map(({ labels, value }) => ({ labels, value }));
    expect(counts).toEqual(
      expect.arrayContaining([
        { labels: { operation: 'Me', type: 'query' }, value: 2 },
        { labels: { operation: 'anonymous', type: 'mutation' }, value: 1 },
      ]),
    );
  });

  it('names an invalid operation from its document, and an unparsable one unknown', async () => {
    await server.executeOperation({ query: 'query Broken { nope }' });
    await server.executeOperation({ query: 'query Half {' });

    expect(await values(registry, 'leadscoring_graphql_operations_total')).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          labels: { operation: 'Broken', type: 'query', outcome: 'BAD_USER_INPUT' },
          value: 1,
        }),
        expect.objectContaining({
          labels: { operation: 'anonymous', type: 'unknown', outcome: 'BAD_USER_INPUT' },
          value: 1,
        }),
      ]),
    );
  });
});
