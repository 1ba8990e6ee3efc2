import { AsyncLocalStorage } from 'node:async_hooks';

/** What a line logged while serving a request names of it. */
export interface RequestLogContext {
  readonly requestId: string;
}

/**
 * The request being served, for the lines logged while serving it (`Logging.http` runs each
 * request in it; the root logger's mixin reads it). A store of one field instead of a child
 * logger per request (nestjs-pino's `runInContext`): pino serializes and redacts a child's
 * bindings when it is made, for lines most requests never log (side by side at saturation: server
 * CPU per `leads` request 0.956 → 0.940 ms, medians of 6 runs, within their spread).
 *
 * The context itself has a price on Node 20: once an AsyncLocalStorage is in use, every promise
 * of the process runs async_hooks' promise hooks: without the context (and the child), a `leads`
 * request cost 0.92 ms of server CPU at saturation against 1.00 (medians of 8 and 12 runs), about
 * 6 % for the context alone. Node 22's AsyncContextFrame drops that cost; until then, the request
 * id on every line logged while serving a request (slow commands, errors) is kept.
 */
export const requestLogContext = new AsyncLocalStorage<RequestLogContext>();
