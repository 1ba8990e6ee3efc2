/**
 * The OpenAI circuit breaker as a pure state machine. The app keeps the state (in Redis, shared by
 * every process) and asks these functions what to do and what the next state is.
 *
 *   CLOSED    calls go through; consecutive failures are counted, and at the threshold it opens.
 *   OPEN      calls are rejected (the fallback answers) until the cooldown has passed since
 *             openedAt; then one call is let through as a probe and the state becomes HALF_OPEN.
 *   HALF_OPEN the probe is in flight: other calls are rejected. Its success closes the breaker, its
 *             failure opens it again at once. A probe that never reports (its process died) is
 *             given up after another cooldown: a new probe is allowed.
 *
 * In HALF_OPEN, `openedAt` is when the probe started (see `onProbe`).
 */

export type BreakerStateName = 'CLOSED' | 'OPEN' | 'HALF_OPEN';

export interface BreakerState {
  readonly state: BreakerStateName;
  readonly consecutiveFailures: number;
  /** OPEN: when it opened; HALF_OPEN: when the probe started; CLOSED: null. */
  readonly openedAt: number | null;
}

export type BreakerDecision = 'ALLOW' | 'REJECT' | 'PROBE';

export const CLOSED_BREAKER: BreakerState = {
  state: 'CLOSED',
  consecutiveFailures: 0,
  openedAt: null,
};

function cooledDown(state: BreakerState, now: number, cooldownMs: number): boolean {
  // An OPEN or HALF_OPEN state without a time (corrupt) is treated as cooled down.
  return state.openedAt === null || now - state.openedAt >= cooldownMs;
}

/**
 * What to do with a call now. PROBE: make the call as the one trial, after storing
 * `onProbe(state, now)` (atomically, compare-and-set, so only one process probes).
 */
export function breakerDecision(
  state: BreakerState,
  now: number,
  opts: { cooldownMs: number },
): BreakerDecision {
  switch (state.state) {
    case 'CLOSED':
      return 'ALLOW';
    case 'OPEN':
    case 'HALF_OPEN':
      return cooledDown(state, now, opts.cooldownMs) ? 'PROBE' : 'REJECT';
    default:
      // An unknown stored state: behave as closed rather than block for ever.
      return 'ALLOW';
  }
}

/** The state once a probe is let through: HALF_OPEN, probing since `now`. */
export function onProbe(state: BreakerState, now: number): BreakerState {
  return { state: 'HALF_OPEN', consecutiveFailures: state.consecutiveFailures, openedAt: now };
}

/** After a successful call: closed, no failures. */
export function onSuccess(_state: BreakerState): BreakerState {
  return CLOSED_BREAKER;
}

/**
 * After a failed call (one that counts: the caller decides, e.g. not a 400 of its own making).
 * CLOSED: one more consecutive failure, OPEN (openedAt now) when they reach failureThreshold
 * (at least 1). HALF_OPEN: the probe failed, OPEN again at once with a new openedAt. OPEN: a late
 * failure of a call let through before it opened is counted, the cooldown is not restarted.
 */
export function onFailure(
  state: BreakerState,
  now: number,
  opts: { failureThreshold: number },
): BreakerState {
  const failures = (Number.isFinite(state.consecutiveFailures) ? state.consecutiveFailures : 0) + 1;
  switch (state.state) {
    case 'HALF_OPEN':
      return { state: 'OPEN', consecutiveFailures: failures, openedAt: now };
    case 'OPEN':
      return { state: 'OPEN', consecutiveFailures: failures, openedAt: state.openedAt ?? now };
    default: {
      const threshold = Math.max(Math.floor(opts.failureThreshold) || 1, 1);
      return failures >= threshold
        ? { state: 'OPEN', consecutiveFailures: failures, openedAt: now }
        : { state: 'CLOSED', consecutiveFailures: failures, openedAt: null };
    }
  }
}
