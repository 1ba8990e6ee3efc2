import type { ApolloServerPlugin } from '@apollo/server';

import { RequestHooks, RequestHooksFactory, requestHooksPlugin } from './request-hooks';

/**
 * `Cache-Control: no-store` on every GraphQL answer over HTTP, as Apollo's cache-control plugin
 * sent when no field carries a cache hint (none of ours does). That plugin is turned off
 * (`ApolloServerPluginCacheControlDisabled`): it wrapped every field resolver to collect hints,
 * a cost on each of the hundreds of fields a page of leads resolves.
 */
export function noStoreHooks(): RequestHooksFactory {
  const hooks: RequestHooks = {
    willSendResponse({ response }) {
      if (!response.http.headers.has('cache-control')) {
        response.http.headers.set('cache-control', 'no-store');
      }
    },
  };
  return () => hooks;
}

/** `noStoreHooks` as a plugin of its own. */
export function noStorePlugin(): ApolloServerPlugin {
  return requestHooksPlugin(noStoreHooks());
}
