/**
 * When to retry an OpenAI call, and how long to wait: exponential backoff with full jitter, at
 * least what the server asks for in Retry-After (capped). Pure: pass `now` and `random` to fix them.
 */

/** The longest wait a Retry-After header can impose (a longer ask is cut to this). */
export const RETRY_AFTER_MAX_MS = 60_000;

export interface RetryDelayOptions {
  readonly baseMs: number;
  /** The cap of the exponential delay (Retry-After may ask for more, up to RETRY_AFTER_MAX_MS). */
  readonly maxMs: number;
  /** The Retry-After header: seconds, or an HTTP date. */
  readonly retryAfter?: string | null;
  /** OpenAI's retry-after-ms header (milliseconds), preferred to retryAfter when readable. */
  readonly retryAfterMs?: string | null;
  /** Epoch ms, for an HTTP date in Retry-After. Default Date.now(). */
  readonly now?: number;
  /** In [0, 1). Default Math.random. */
  readonly random?: () => number;
}

/**
 * How long the server asks us to wait, in ms (not capped), or null when the headers are absent
 * or unreadable. Seconds may have decimals; a date in the past asks for 0.
 */
export function parseRetryAfterMs(
  retryAfter: string | null | undefined,
  now: number,
  retryAfterMs?: string | null,
): number | null {
  if (typeof retryAfterMs === 'string' && /^\s*\d+(\.\d+)?\s*$/.test(retryAfterMs)) {
    return Math.ceil(Number(retryAfterMs));
  }
  if (typeof retryAfter !== 'string' || retryAfter.trim() === '') return null;
  const value = retryAfter.trim();
  if (/^\d+(\.\d+)?$/.test(value)) return Math.ceil(Number(value) * 1000);
  // An HTTP date (IMF-fixdate, e.g. "Wed, 21 Oct 2015 07:28:00 GMT"); not a bare number.
  if (!/[A-Za-z]/.test(value)) return null;
  const at = Date.parse(value);
  if (Number.isNaN(at)) return null;
  return Math.max(Math.ceil(at - now), 0);
}

/**
 * The wait before retry number `attempt` (1 for the first retry): a whole number of ms drawn
 * uniformly from [0, min(maxMs, baseMs * 2^(attempt - 1))] by `random`, raised to the server's
 * Retry-After when there is one, that raised to at most RETRY_AFTER_MAX_MS.
 */
export function retryDelayMs(attempt: number, opts: RetryDelayOptions): number {
  const n = Number.isFinite(attempt) ? Math.max(Math.floor(attempt), 1) : 1;
  const base = Number.isFinite(opts.baseMs) ? Math.max(opts.baseMs, 0) : 0;
  const max = Number.isFinite(opts.maxMs) ? Math.max(opts.maxMs, 0) : 0;
  // 2^52 is past any cap; the bound keeps base * 2^(n-1) finite.
  const ceiling = Math.min(max, base * 2 ** Math.min(n - 1, 52));
  const draw = (opts.random ?? Math.random)();
  const r = Number.isFinite(draw) ? Math.min(Math.max(draw, 0), 1) : 0;
  const jittered = Math.min(Math.floor(r * (ceiling + 1)), Math.floor(ceiling));
  const asked = parseRetryAfterMs(opts.retryAfter, opts.now ?? Date.now(), opts.retryAfterMs);
  if (asked === null) return jittered;
  return Math.max(jittered, Math.min(asked, RETRY_AFTER_MAX_MS));
}

const NOT_RETRYABLE = new Set([400, 401, 403, 404, 422]);

/**
 * Whether a failed call is worth retrying: timeouts, connection errors, 408, 409, 429 and 5xx
 * yes; 400, 401, 403, 404, 422 and any other status no (a call with neither a status nor a kind
 * is not retried).
 */
export function isRetryable(status: number | undefined, kind?: 'timeout' | 'connection'): boolean {
  if (kind === 'timeout' || kind === 'connection') return true;
  if (typeof status !== 'number' || !Number.isInteger(status)) return false;
  if (NOT_RETRYABLE.has(status)) return false;
  return status === 408 || status === 409 || status === 429 || (status >= 500 && status <= 599);
}
