import {
  ApolloClient,
  ApolloLink,
  CombinedGraphQLErrors,
  HttpLink,
  InMemoryCache,
} from '@apollo/client';
import { SetContextLink } from '@apollo/client/link/context';
import { ErrorLink } from '@apollo/client/link/error';
import { GraphQLWsLink } from '@apollo/client/link/subscriptions';
import { getMainDefinition } from '@apollo/client/utilities';
import { Kind, OperationTypeNode } from 'graphql';
import { createClient, type Client } from 'graphql-ws';
import { Observable } from 'rxjs';

import type { SessionStore } from '../auth/session';

export interface ApiClient {
  apollo: ApolloClient;
  ws: Client;
}

function wsUrl(path: string): string {
  const { protocol, host } = window.location;
  return `${protocol === 'https:' ? 'wss' : 'ws'}://${host}${path}`;
}

function isUnauthenticated(error: unknown): boolean {
  return (
    CombinedGraphQLErrors.is(error) &&
    error.errors.some((e) => e.extensions?.code === 'UNAUTHENTICATED')
  );
}

/**
 * Queries and mutations over HTTP, subscriptions over graphql-ws, both on the API's own origin
 * (`/graphql`). Every request carries a current access token; an UNAUTHENTICATED answer renews
 * the session once and retries, so an expired token never costs the user the page.
 */
export function createApiClient(session: SessionStore, path = '/graphql'): ApiClient {
  const ws = createClient({
    url: wsUrl(path),
    lazy: true,
    // The token is read at every (re)connect, so a renewed session reconnects with the new one.
    connectionParams: async () => {
      const token = await session.accessToken().catch(() => undefined);
      return token ? { authorization: `Bearer ${token}` } : {};
    },
    retryAttempts: Number.POSITIVE_INFINITY,
    shouldRetry: () => session.current.status === 'active',
  });
  // A closed session closes the socket; signing in again opens a new one with the new token.
  session.subscribe(() => {
    if (session.current.status !== 'active') void ws.dispose();
  });

  const auth = new SetContextLink(async (prev) => {
    const token = await session.accessToken().catch(() => undefined);
    return token
      ? {
          headers: {
            ...(prev.headers as Record<string, string>),
            authorization: `Bearer ${token}`,
          },
        }
      : {};
  });

  const renewOnce = new ErrorLink(({ error, operation, forward }) => {
    if (!isUnauthenticated(error) || operation.getContext().renewed) return;
    if (session.current.status !== 'active') return;
    return new Observable<ApolloLink.Result>((observer) => {
      let inner: { unsubscribe(): void } | undefined;
      session
        .renew()
        .then((token) => {
          operation.setContext(({ headers }: { headers?: Record<string, string> }) => ({
            renewed: true,
            headers: { ...headers, authorization: `Bearer ${token}` },
          }));
          inner = forward(operation).subscribe(observer);
        })
        .catch((renewError: unknown) => observer.error(renewError));
      return () => inner?.unsubscribe();
    });
  });

  const http = ApolloLink.from([renewOnce, auth, new HttpLink({ uri: path })]);
  const link = ApolloLink.split(
    ({ query }) => {
      const definition = getMainDefinition(query);
      return (
        definition.kind === Kind.OPERATION_DEFINITION &&
        definition.operation === OperationTypeNode.SUBSCRIPTION
      );
    },
    new GraphQLWsLink(ws),
    http,
  );

  const apollo = new ApolloClient({
    link,
    cache: new InMemoryCache(),
    defaultOptions: { watchQuery: { fetchPolicy: 'cache-and-network' } },
  });
  return { apollo, ws };
}
