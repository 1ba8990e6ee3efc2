import { createHash, randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';

/** The header a caller may set to correlate its logs with ours; echoed on every response. */
export const REQUEST_ID_HEADER = 'x-request-id';
const ACCEPTED_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/** The caller's request id when it is sane (short, no spaces or markup), else a new UUID. */
export function requestIdFor(incoming: string | string[] | undefined): string {
  const value = Array.isArray(incoming) ? incoming[0] : incoming;
  return value !== undefined && ACCEPTED_ID.test(value) ? value : randomUUID();
}

const MAX_REMEMBERED_USER_REFS = 10_000;
const userRefs = new Map<string, string>();

/**
 * A stable stand-in for a user id in logs: the same user gives the same reference (so one user's
 * requests can be followed), but the line does not carry the id itself, which other stores key
 * personal data by.
 */
export function anonymisedUserRef(tenantId: string, userId: string): string {
  const key = `${tenantId}\u0000${userId}`;
  let ref = userRefs.get(key);
  if (ref === undefined) {
    ref = createHash('sha256').update(key).digest('hex').slice(0, 16);
    // The active users of a while: a hash per request line was a cost of every request.
    if (userRefs.size >= MAX_REMEMBERED_USER_REFS) userRefs.clear();
    userRefs.set(key, ref);
  }
  return ref;
}

const OPERATION_NAME = /^\s*(?:query|mutation|subscription)\s+([_A-Za-z][_0-9A-Za-z]*)/;

/**
 * The GraphQL operation a request ran: its `operationName`, else the name in the document's first
 * line (`query Leads { … }`), else undefined (an anonymous operation, or not GraphQL). A batch
 * names its operations joined by commas.
 */
export function graphqlOperationName(body: unknown): string | undefined {
  if (Array.isArray(body)) {
    const names = body.map((one) => graphqlOperationName(one) ?? 'anonymous');
    return names.length > 0 ? names.join(',') : undefined;
  }
  if (body === null || typeof body !== 'object') return undefined;
  const { operationName, query } = body as { operationName?: unknown; query?: unknown };
  if (typeof operationName === 'string' && operationName.length > 0)
    return operationName.slice(0, 100);
  if (typeof query !== 'string') return undefined;
  return OPERATION_NAME.exec(query.slice(0, 200))?.[1];
}

interface LoggedRequest extends IncomingMessage {
  readonly originalUrl?: string;
  readonly body?: unknown;
  readonly user?: { readonly tenantId: string; readonly userId: string };
}

/**
 * The fields of the one line logged when a response finishes: method, path (never the query
 * string, which can carry tokens), status, and who and what when known.
 */
export function finishedRequestFields(
  req: IncomingMessage,
  res: ServerResponse,
): Record<string, unknown> {
  const request = req as LoggedRequest;
  const url = request.originalUrl ?? request.url ?? '';
  const queryAt = url.indexOf('?');
  const fields: Record<string, unknown> = {
    method: request.method,
    path: queryAt === -1 ? url : url.slice(0, queryAt),
    status: res.statusCode,
  };
  if (request.user) {
    fields.tenantId = request.user.tenantId;
    fields.user = anonymisedUserRef(request.user.tenantId, request.user.userId);
  }
  const operation = graphqlOperationName(request.body);
  if (operation !== undefined) fields.operation = operation;
  return fields;
}
