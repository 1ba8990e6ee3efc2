import type {
  ApolloServerPlugin,
  BaseContext,
  GraphQLRequestContextDidResolveOperation,
  GraphQLRequestContextWillSendResponse,
  GraphQLRequestListener,
} from '@apollo/server';

/**
 * What one of our plugins does for a request, synchronously: the two request hooks we use.
 * A hook that refuses the request throws (as a listener's hook may).
 */
export interface RequestHooks<TContext extends BaseContext = BaseContext> {
  readonly didResolveOperation?: (
    context: GraphQLRequestContextDidResolveOperation<TContext>,
  ) => void;
  readonly willSendResponse?: (context: GraphQLRequestContextWillSendResponse<TContext>) => void;
}

/** Called when a request starts: its hooks (a fresh object when they keep per-request state). */
export type RequestHooksFactory<TContext extends BaseContext = BaseContext> =
  () => RequestHooks<TContext>;

const DONE: Promise<void> = Promise.resolve();

/**
 * One Apollo plugin, with one request listener, for several sets of request hooks, which run in
 * the order given (a hook that throws stops the ones after it, as in Apollo's own loop).
 *
 * Apollo calls every hook of a request on every listener through an awaited `Promise.all`, whether
 * the listener defines the hook or not, and each listener's answer becomes a promise of its own.
 * With our four plugins as one listener, a `leads` request made ~225 promises at saturation
 * against ~270 as four (counted), and every promise pays async_hooks' promise hooks while the log
 * context is on (request-context.ts).
 */
export function requestHooksPlugin<TContext extends BaseContext = BaseContext>(
  ...factories: readonly RequestHooksFactory<TContext>[]
): ApolloServerPlugin<TContext> {
  return {
    requestDidStart() {
      const parts = factories.map((factory) => factory());
      const listener: GraphQLRequestListener<TContext> = {};
      if (parts.some((part) => part.didResolveOperation)) {
        listener.didResolveOperation = (context) => {
          for (const part of parts) part.didResolveOperation?.(context);
          return DONE;
        };
      }
      if (parts.some((part) => part.willSendResponse)) {
        listener.willSendResponse = (context) => {
          for (const part of parts) part.willSendResponse?.(context);
          return DONE;
        };
      }
      return Promise.resolve(listener);
    },
  };
}
