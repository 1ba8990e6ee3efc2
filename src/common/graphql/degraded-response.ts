import type { RequestHooks, RequestHooksFactory } from './request-hooks';

/** The per-request GraphQL context, as far as degraded answers go. */
export interface DegradedContext {
  degraded?: Set<string>;
}

/** Records that this request's answer is served from cached data, and why. */
export function markDegraded(context: DegradedContext, reason: string | undefined): void {
  if (reason === undefined) return;
  (context.degraded ??= new Set()).add(reason);
}

/**
 * Adds `extensions.degraded: { reasons }` to a response some resolver marked (markDegraded):
 * clients can tell a complete answer from one served from cache because a dependency was slow.
 */
export function degradedResponseHooks(): RequestHooksFactory<DegradedContext> {
  const hooks: RequestHooks<DegradedContext> = {
    willSendResponse({ contextValue, response }) {
      const reasons = contextValue.degraded;
      if (!reasons || reasons.size === 0 || response.body.kind !== 'single') return;
      response.body.singleResult.extensions = {
        ...response.body.singleResult.extensions,
        degraded: { reasons: [...reasons] },
      };
    },
  };
  return () => hooks;
}
