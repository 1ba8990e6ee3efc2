import {
  ApolloServerPluginLandingPageLocalDefault,
  ApolloServerPluginLandingPageProductionDefault,
} from '@apollo/server/plugin/landingPage/default';
import { ApolloServerPluginCacheControlDisabled } from '@apollo/server/plugin/disabled';
import { ApolloDriverConfig } from '@nestjs/apollo';
import type { GraphQLWsSubscriptionsConfig } from '@nestjs/graphql';
import { NoSchemaIntrospectionCustomRule } from 'graphql';

import type { WsSessions } from './ws/ws-sessions.service';
import { ConnectedAppConfig } from '@/config/app-config';
import { GraphqlOperationsPlugin } from '@/metrics/graphql-operations.plugin';
import { withOperationMetrics } from '@/metrics/graphql-ws-operations';

import { CompiledExecutionGateway } from './compiled-execution';
import { DegradedContext, degradedResponseHooks } from './degraded-response';
import { formatGraphqlError } from './format-graphql-error';
import { aliasLimitRule } from './limits/alias-limit.rule';
import { complexityHooks } from './limits/complexity.plugin';
import { depthLimitRule } from './limits/depth-limit.rule';
import { noStoreHooks } from './no-store.plugin';
import { requestHooksPlugin } from './request-hooks';
import { graphqlWsServer, WsExtra } from './ws/graphql-ws-server';

export const GRAPHQL_PATH = '/graphql';

export function buildGraphqlOptions(
  config: ConnectedAppConfig,
  sessions: WsSessions,
): ApolloDriverConfig {
  const production = config.env === 'production';
  const limits = config.graphql;
  const introspection = !production;
  const validationRules = [depthLimitRule(limits.maxDepth), aliasLimitRule(limits.maxAliases)];
  const ws = graphqlWsServer({
    path: GRAPHQL_PATH,
    sessions,
    limits: {
      // Apollo adds its own introspection ban over HTTP; graphql's equivalent over WebSocket.
      validationRules: introspection
        ? validationRules
        : [...validationRules, NoSchemaIntrospectionCustomRule],
      maxComplexity: limits.maxComplexity,
    },
  });
  // Execution by compiled queries (CompiledOperations): Apollo's way in is a gateway holding the
  // schema Nest builds (`transformSchema` hands it over) and an executor.
  const compiled = limits.compiledExecution
    ? new CompiledExecutionGateway(undefined, sessions.operationMetrics)
    : undefined;
  return {
    ...(compiled && { gateway: compiled, transformSchema: compiled.useSchema }),
    path: GRAPHQL_PATH,
    // The committed schema.gql is written by `npm run schema:generate`, not by every boot.
    autoSchemaFile: true,
    sortSchema: true,
    playground: false,
    introspection,
    csrfPrevention: true,
    allowBatchedHttpRequests: limits.maxBatch > 1,
    validationRules,
    plugins: [
      // Ours as one request listener (see requestHooksPlugin), in this order. WsSessions carries
      // the metrics: this factory's injections are fixed in AppModule.
      requestHooksPlugin<DegradedContext>(
        new GraphqlOperationsPlugin(sessions.operationMetrics).hooks,
        complexityHooks(limits.maxComplexity),
        degradedResponseHooks(),
        noStoreHooks(),
      ),
      ApolloServerPluginCacheControlDisabled(),
      ws.schemaPlugin,
      production
        ? ApolloServerPluginLandingPageProductionDefault({ footer: false })
        : ApolloServerPluginLandingPageLocalDefault({ footer: false, embed: true }),
    ],
    subscriptions: {
      // Nest's type names a few hooks; all of them (onError too) reach graphql-ws' useServer.
      'graphql-ws': withOperationMetrics(ws.options, sessions) as GraphQLWsSubscriptionsConfig,
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
