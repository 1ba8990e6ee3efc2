import {
  BreakerState,
  breakerDecision,
  CLOSED_BREAKER,
  onFailure,
  onProbe,
  onSuccess,
} from './circuit-breaker';

const cooldown = { cooldownMs: 30_000 };
const threshold = { failureThreshold: 3 };

describe('circuit breaker', () => {
  it('closed: allows calls and counts consecutive failures below the threshold', () => {
    expect(breakerDecision(CLOSED_BREAKER, 0, cooldown)).toBe('ALLOW');
    const once = onFailure(CLOSED_BREAKER, 1000, threshold);
    expect(once).toEqual({ state: 'CLOSED', consecutiveFailures: 1, openedAt: null });
    const twice = onFailure(once, 2000, threshold);
    expect(twice).toEqual({ state: 'CLOSED', consecutiveFailures: 2, openedAt: null });
    expect(breakerDecision(twice, 2000, cooldown)).toBe('ALLOW');
  });

  it('a success resets the count', () => {
    const twice = onFailure(onFailure(CLOSED_BREAKER, 1000, threshold), 2000, threshold);
    expect(onSuccess(twice)).toEqual(CLOSED_BREAKER);
    expect(onFailure(onSuccess(twice), 3000, threshold).consecutiveFailures).toBe(1);
  });

  it('opens at the threshold, rejects while cooling, probes after the cooldown', () => {
    let state: BreakerState = CLOSED_BREAKER;
    for (const t of [1000, 2000, 3000]) state = onFailure(state, t, threshold);
    expect(state).toEqual({ state: 'OPEN', consecutiveFailures: 3, openedAt: 3000 });
    expect(breakerDecision(state, 3000, cooldown)).toBe('REJECT');
    expect(breakerDecision(state, 32_999, cooldown)).toBe('REJECT');
    expect(breakerDecision(state, 33_000, cooldown)).toBe('PROBE');
  });

  it('half-open: one probe; others rejected; its success closes the breaker', () => {
    const open: BreakerState = { state: 'OPEN', consecutiveFailures: 3, openedAt: 3000 };
    const probing = onProbe(open, 33_000);
    expect(probing).toEqual({ state: 'HALF_OPEN', consecutiveFailures: 3, openedAt: 33_000 });
    expect(breakerDecision(probing, 33_001, cooldown)).toBe('REJECT');
    expect(onSuccess(probing)).toEqual(CLOSED_BREAKER);
    expect(breakerDecision(onSuccess(probing), 33_002, cooldown)).toBe('ALLOW');
  });

  it('half-open: its failure opens the breaker again at once, with a new openedAt', () => {
    const probing: BreakerState = { state: 'HALF_OPEN', consecutiveFailures: 3, openedAt: 33_000 };
    const reopened = onFailure(probing, 34_000, threshold);
    expect(reopened).toEqual({ state: 'OPEN', consecutiveFailures: 4, openedAt: 34_000 });
    expect(breakerDecision(reopened, 63_999, cooldown)).toBe('REJECT');
    expect(breakerDecision(reopened, 64_000, cooldown)).toBe('PROBE');
  });

  it('half-open: a probe that never reports is given up after a cooldown', () => {
    const probing: BreakerState = { state: 'HALF_OPEN', consecutiveFailures: 3, openedAt: 33_000 };
    expect(breakerDecision(probing, 62_999, cooldown)).toBe('REJECT');
    expect(breakerDecision(probing, 63_000, cooldown)).toBe('PROBE');
  });

  it('open: a late failure is counted but does not restart the cooldown', () => {
    const open: BreakerState = { state: 'OPEN', consecutiveFailures: 3, openedAt: 3000 };
    expect(onFailure(open, 10_000, threshold)).toEqual({
      state: 'OPEN',
      consecutiveFailures: 4,
      openedAt: 3000,
    });
  });

  it('a threshold of 1 (or less) opens on the first failure; corrupt states do not block for ever', () => {
    expect(onFailure(CLOSED_BREAKER, 5, { failureThreshold: 1 }).state).toBe('OPEN');
    expect(onFailure(CLOSED_BREAKER, 5, { failureThreshold: 0 }).state).toBe('OPEN');
    expect(
      breakerDecision({ state: 'OPEN', consecutiveFailures: 9, openedAt: null }, 0, cooldown),
    ).toBe('PROBE');
    expect(
      breakerDecision(
        { state: 'BROKEN' as 'OPEN', consecutiveFailures: 0, openedAt: null },
        0,
        cooldown,
      ),
    ).toBe('ALLOW');
  });
});
