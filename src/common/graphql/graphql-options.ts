import {
  ApolloServerPluginLandingPageLocalDefault,
  ApolloServerPluginLandingPageProductionDefault,
} from '@apollo/server/plugin/landingPage/default';
import { ApolloDriverConfig } from '@nestjs/apollo';
import type { Context as WsContext } from 'graphql-ws';

import type { AuthUser } from '@/auth/auth-user';
import type { AccessTokenService } from '@/auth/tokens/access-token.service';
import { ConnectedAppConfig } from '@/config/app-config';

import { formatGraphqlError } from './format-graphql-error';
import { aliasLimitRule } from './limits/alias-limit.rule';
import { complexityPlugin } from './limits/complexity.plugin';
import { depthLimitRule } from './limits/depth-limit.rule';

type WsExtra = { user?: AuthUser };

/** `connectionParams.authorization` ("Bearer …") or `connectionParams.token`. */
function tokenFrom(params: Readonly<Record<string, unknown>> | undefined): string | undefined {
  const raw = params?.authorization ?? params?.Authorization ?? params?.token;
  if (typeof raw !== 'string') return undefined;
  return raw.startsWith('Bearer ') ? raw.slice('Bearer '.length) : raw;
}

export const GRAPHQL_PATH = '/graphql';

export function buildGraphqlOptions(
  config: ConnectedAppConfig,
  accessTokens: AccessTokenService,
): ApolloDriverConfig {
  const production = config.env === 'production';
  const limits = config.graphql;
  return {
    path: GRAPHQL_PATH,
    // The committed schema.gql is written by `npm run schema:generate`, not by every boot.
    autoSchemaFile: true,
    sortSchema: true,
    playground: false,
    introspection: !production,
    csrfPrevention: true,
    allowBatchedHttpRequests: limits.maxBatch > 1,
    validationRules: [depthLimitRule(limits.maxDepth), aliasLimitRule(limits.maxAliases)],
    plugins: [
      complexityPlugin(limits.maxComplexity),
      production
        ? ApolloServerPluginLandingPageProductionDefault({ footer: false })
        : ApolloServerPluginLandingPageLocalDefault({ footer: false, embed: true }),
    ],
    subscriptions: {
      'graphql-ws': {
        path: GRAPHQL_PATH,
        // Authenticated once, at connect time: without a valid token the socket closes with 4403.
        onConnect: async (context: WsContext<Record<string, unknown> | undefined, unknown>) => {
          const token = tokenFrom(context.connectionParams);
          if (!token) return false;
          try {
            (context.extra as WsExtra).user = await accessTokens.verify(token);
            return true;
          } catch {
            return false;
          }
        },
      },
    },
    formatError: formatGraphqlError,
    context: ({ req, res, extra }: { req?: unknown; res?: unknown; extra?: WsExtra }) => ({
      // Subscriptions have no HTTP request: a stand-in carries the user proven at connect time.
      req: req ?? { user: extra?.user },
      res,
      extra,
    }),
  };
}
