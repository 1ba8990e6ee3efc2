import { inspect, types } from 'node:util';

/**
 * An Error of any realm. `instanceof Error` is false for errors Node's core makes (a socket's
 * ECONNRESET, a file's ENOENT) when the code runs in another realm than Node's own: under Jest,
 * whose sandbox has its own `Error`. `isNativeError` reads the object itself, not its prototype.
 */
export function isError(value: unknown): value is Error {
  return value instanceof Error || types.isNativeError(value);
}

/**
 * `value` as an Error of this realm, which is what GraphQL execution needs to see a thrown value
 * as an error: a native error of another realm is copied (name, message, stack, own fields such
 * as `code`, the original as `cause`), any other thrown value is described in a new Error.
 */
export function asError(value: unknown): Error {
  if (value instanceof Error) return value;
  if (types.isNativeError(value)) {
    const copy = new Error(value.message, { cause: value });
    Object.assign(copy, value);
    copy.name = value.name;
    copy.stack = value.stack;
    return copy;
  }
  return new Error(`non-Error thrown: ${inspect(value, { depth: 2, breakLength: Infinity })}`, {
    cause: value,
  });
}
