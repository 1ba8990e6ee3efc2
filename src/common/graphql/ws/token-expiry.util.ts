/** setTimeout fires at once for delays above 2^31-1 ms (~24.8 days): longer waits are re-armed. */
export const MAX_TIMER_DELAY_MS = 2 ** 31 - 1;

export type ExpiryCheck =
  { readonly expired: true } | { readonly expired: false; readonly checkAgainInMs: number };

/** Whether a token expiring at `expSeconds` (JWT `exp`) has expired at `nowMs`, else when to look again. */
export function checkTokenExpiry(expSeconds: number, nowMs: number): ExpiryCheck {
  const leftMs = expSeconds * 1000 - nowMs;
  if (leftMs <= 0) return { expired: true };
  return { expired: false, checkAgainInMs: Math.min(leftMs, MAX_TIMER_DELAY_MS) };
}
