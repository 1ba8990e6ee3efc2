import type { ApolloServerPlugin } from '@apollo/server';
import type { GraphQLSchema } from 'graphql';
import type { ServerOptions } from 'graphql-ws';
import type { Extra } from 'graphql-ws/use/ws';

import type { AuthUser } from '@/auth/auth-user';
import { formatGraphqlError } from '@/common/graphql/format-graphql-error';

import { OperationLimits, prepareOperation } from './prepare-operation';
import { WsSessions } from './ws-sessions.service';

/** What each graphql-ws hook finds in `ctx.extra`: the socket, and the user proven at connect time. */
export type WsExtra = Extra & { user?: AuthUser };

export type GraphqlWsOptions = ServerOptions<Record<string, unknown> | undefined, WsExtra> & {
  path: string;
};

export interface GraphqlWsServer {
  /** For `subscriptions['graphql-ws']`: Nest hands every hook to graphql-ws' `useServer`. */
  readonly options: GraphqlWsOptions;
  /** For Apollo's `plugins`: graphql-ws hooks are not given the schema, Apollo's plugins are. */
  readonly schemaPlugin: ApolloServerPlugin;
}

/** `connectionParams.authorization` ("Bearer …") or `connectionParams.token`. */
export function tokenFrom(
  params: Readonly<Record<string, unknown>> | undefined,
): string | undefined {
  const raw = params?.authorization ?? params?.Authorization ?? params?.token;
  if (typeof raw !== 'string') return undefined;
  return raw.startsWith('Bearer ') ? raw.slice('Bearer '.length) : raw;
}

/**
 * The graphql-ws side of the API, held to what HTTP requests are held to: authenticated at
 * connect time and for as long as the socket stays open (WsSessions); each operation held to the
 * socket's subscription cap, parsed, validated and measured (`prepareOperation`), then counted
 * against the user's rate limit, before it runs. Refusals answer an `error` message for that
 * operation with the same `extensions` as over HTTP.
 */
export function graphqlWsServer({
  path,
  sessions,
  limits,
}: {
  path: string;
  sessions: WsSessions;
  limits: OperationLimits;
}): GraphqlWsServer {
  let schema: GraphQLSchema | undefined;
  return {
    schemaPlugin: {
      serverWillStart(service) {
        schema = service.schema;
        return Promise.resolve();
      },
    },
    options: {
      path,
      onConnect: async (ctx) => {
        const user = await sessions.open(ctx.extra.socket, tokenFrom(ctx.connectionParams));
        if (!user) return false;
        ctx.extra.user = user;
        return true;
      },
      onSubscribe: async (ctx, _id, payload) => {
        // Read before any await: graphql-ws has already entered this operation in the list.
        const operationsOnSocket = Object.keys(ctx.subscriptions).length;
        const user = ctx.extra.user;
        // graphql-ws refuses operations before the connection is acknowledged: never undefined.
        if (!user || !schema) throw new Error('operation before authentication or schema');
        const overCap = sessions.socketCapError(operationsOnSocket);
        if (overCap) return [overCap];
        const prepared = prepareOperation(schema, payload, limits);
        if (!('document' in prepared)) return prepared;
        // As over HTTP, where the limit is a guard: only operations that would run are counted.
        const limited = await sessions.budgetError(user);
        return limited ? [limited] : prepared;
      },
      onError: (_ctx, _id, _payload, errors) =>
        errors.map((error) => formatGraphqlError(error.toJSON(), error)),
      onClose: (ctx) => sessions.closed(ctx.extra.socket),
    },
  };
}
