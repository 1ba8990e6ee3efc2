import {
  ApolloServerPluginLandingPageLocalDefault,
  ApolloServerPluginLandingPageProductionDefault,
} from '@apollo/server/plugin/landingPage/default';
import { ApolloDriverConfig } from '@nestjs/apollo';

import { ConnectedAppConfig } from '@/config/app-config';

import { formatGraphqlError } from './format-graphql-error';

export const GRAPHQL_PATH = '/graphql';

export function buildGraphqlOptions(config: ConnectedAppConfig): ApolloDriverConfig {
  const production = config.env === 'production';
  return {
    path: GRAPHQL_PATH,
    // The committed schema.gql is written by `npm run schema:generate`, not by every boot.
    autoSchemaFile: true,
    sortSchema: true,
    playground: false,
    introspection: !production,
    csrfPrevention: true,
    plugins: [
      production
        ? ApolloServerPluginLandingPageProductionDefault({ footer: false })
        : ApolloServerPluginLandingPageLocalDefault({ footer: false, embed: true }),
    ],
    subscriptions: {
      'graphql-ws': { path: GRAPHQL_PATH },
    },
    formatError: formatGraphqlError,
    context: ({ req, res, extra }: { req?: unknown; res?: unknown; extra?: unknown }) => ({
      req,
      res,
      extra,
    }),
  };
}
