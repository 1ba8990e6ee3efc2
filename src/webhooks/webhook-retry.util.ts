/**
 * When a failed delivery is tried again: exponential backoff with equal jitter inside a window
 * (24 h by default) counted from the delivery's first attempt; an attempt that would start past
 * the window is not made and the delivery is dead-lettered. Pure: pass `random` to fix it.
 */
export interface RetryPolicy {
  readonly baseDelayMs: number;
  readonly maxDelayMs: number;
  readonly windowMs: number;
}

/** The wait before retry `n` (1 for the first) without jitter: min(max, base · 2^(n−1)). */
export function nominalDelayMs(n: number, policy: RetryPolicy): number {
  const exponent = Math.min(Math.max(Math.floor(n), 1) - 1, 52);
  return Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** exponent);
}

/**
 * The wait before retry `n` with equal jitter: half the nominal delay plus a uniform share of the
 * other half, in whole ms. Receivers that failed together do not all come back at once, and the
 * wait still grows with every failure (full jitter could draw ~0 every time).
 */
export function retryDelayMs(n: number, policy: RetryPolicy, random: () => number): number {
  const nominal = nominalDelayMs(n, policy);
  const r = Math.min(Math.max(random(), 0), 1);
  return Math.floor(nominal / 2 + (r * nominal) / 2);
}

/**
 * The wait before the next attempt after `failedAttempts` failures, or null when that attempt
 * would start more than `windowMs` after `windowStartedAt` (then the delivery is dead-lettered).
 * A receiver's Retry-After (429, 503) lengthens the wait, up to the policy's longest delay.
 */
export function nextRetryDelayMs({
  failedAttempts,
  windowStartedAt,
  now,
  policy,
  random = Math.random,
  retryAfterMs = null,
}: {
  failedAttempts: number;
  windowStartedAt: number;
  now: number;
  policy: RetryPolicy;
  random?: () => number;
  retryAfterMs?: number | null;
}): number | null {
  let delay = retryDelayMs(failedAttempts, policy, random);
  if (retryAfterMs !== null && retryAfterMs > delay)
    delay = Math.min(retryAfterMs, policy.maxDelayMs);
  return now + delay - windowStartedAt > policy.windowMs ? null : delay;
}

/**
 * The most attempts a window can hold: every wait at its shortest (half the nominal delay). Bull
 * gets this many (plus a margin for engine failures), so its count never ends a delivery before
 * the window does.
 */
export function maxAttemptsWithin(policy: RetryPolicy): number {
  let attempts = 1;
  let elapsed = 0;
  for (let n = 1; attempts < 10_000; n++) {
    elapsed += Math.floor(nominalDelayMs(n, policy) / 2);
    if (elapsed > policy.windowMs) break;
    attempts++;
  }
  return attempts;
}
