import {
  dueExpiryAction,
  isOverrideActive,
  nextOverride,
  overrideInputProblems,
  ScoreOverride,
  shownScore,
} from './score-override.util';

const NOW = new Date('2025-03-15T12:00:00.000Z');
const later = (ms: number): Date => new Date(NOW.getTime() + ms);

function makeOverride(overrides: Partial<ScoreOverride> = {}): ScoreOverride {
  return {
    score: 90,
    reason: 'CEO asked for a demo',
    setBy: 'u1',
    setAt: later(-60_000),
    expiresAt: null,
    ...overrides,
  };
}

describe('isOverrideActive / shownScore', () => {
  it('lasts until expiresAt, exclusive; forever without one', () => {
    expect(isOverrideActive(makeOverride(), NOW)).toBe(true);
    expect(isOverrideActive(makeOverride({ expiresAt: later(1) }), NOW)).toBe(true);
    expect(isOverrideActive(makeOverride({ expiresAt: NOW }), NOW)).toBe(false);
    expect(isOverrideActive(null, NOW)).toBe(false);
    expect(isOverrideActive(undefined, NOW)).toBe(false);
  });

  it('shows the override while it lasts, the model score after', () => {
    expect(shownScore(42, makeOverride(), NOW)).toBe(90);
    expect(shownScore(42, makeOverride({ expiresAt: later(-1) }), NOW)).toBe(42);
    expect(shownScore(42, null, NOW)).toBe(42);
  });
});

describe('nextOverride', () => {
  const active = makeOverride();
  const expired = makeOverride({ expiresAt: later(-1) });
  const fresh = makeOverride({ score: 10, setAt: NOW });

  it.each([
    ['no override, a rescoring', undefined, undefined, null, null],
    ['an active one, a rescoring', active, undefined, active, null],
    ['an expired one, a rescoring', expired, undefined, null, 'EXPIRED'],
    ['none, set', undefined, { kind: 'SET', override: fresh }, fresh, 'SET'],
    ['an active one, set again', active, { kind: 'SET', override: fresh }, fresh, 'SET'],
    ['an active one, cleared', active, { kind: 'CLEAR' }, null, 'CLEARED'],
    ['an expired one, cleared', expired, { kind: 'CLEAR' }, null, 'EXPIRED'],
    ['none, cleared', null, { kind: 'CLEAR' }, null, null],
  ] as const)('%s', (_name, before, action, override, change) => {
    expect(nextOverride(before, action, NOW)).toEqual({ override, change });
  });
});

describe('overrideInputProblems', () => {
  const valid = { score: 75, reason: 'Met at the trade fair' };

  it('accepts 0 to 100, a reason, and a future expiry or none', () => {
    expect(overrideInputProblems(valid, NOW)).toEqual([]);
    expect(overrideInputProblems({ ...valid, score: 0 }, NOW)).toEqual([]);
    expect(overrideInputProblems({ ...valid, score: 100, expiresAt: later(1) }, NOW)).toEqual([]);
    expect(overrideInputProblems({ ...valid, expiresAt: null }, NOW)).toEqual([]);
    expect(overrideInputProblems({ ...valid, reason: 'x'.repeat(500) }, NOW)).toEqual([]);
  });

  it.each([
    [{ score: -0.01 }, 'score'],
    [{ score: 100.01 }, 'score'],
    [{ score: Number.NaN }, 'score'],
    [{ reason: '' }, 'reason'],
    [{ reason: '   ' }, 'reason'],
    [{ reason: 'x'.repeat(501) }, 'reason'],
    [{ expiresAt: NOW }, 'expiresAt'],
    [{ expiresAt: later(-1000) }, 'expiresAt'],
    [{ expiresAt: new Date('nope') }, 'expiresAt'],
  ])('refuses %j (%s)', (change, path) => {
    expect(overrideInputProblems({ ...valid, ...change }, NOW).map((p) => p.path)).toEqual([path]);
  });

  it('lists every problem at once', () => {
    expect(
      overrideInputProblems({ score: 101, reason: '', expiresAt: later(-1) }, NOW).map(
        (p) => p.path,
      ),
    ).toEqual(['score', 'reason', 'expiresAt']);
  });
});

describe('dueExpiryAction (the expiry sweep, per due entry)', () => {
  const T = 'tenant-a';
  it('drops an entry that stands for nothing: no score, another tenant, no override, no expiry', () => {
    expect(dueExpiryAction(T, undefined, NOW)).toEqual({ kind: 'DROP' });
    expect(
      dueExpiryAction(T, { tenantId: 'tenant-b', override: makeOverride({ expiresAt: NOW }) }, NOW),
    ).toEqual({ kind: 'DROP' });
    expect(dueExpiryAction(T, { tenantId: T }, NOW)).toEqual({ kind: 'DROP' });
    expect(dueExpiryAction(T, { tenantId: T, override: null }, NOW)).toEqual({ kind: 'DROP' });
    expect(dueExpiryAction(T, { tenantId: T, override: makeOverride() }, NOW)).toEqual({
      kind: 'DROP',
    });
  });

  it('moves it to the expiry of an override still active (set again), expires a lapsed one', () => {
    expect(
      dueExpiryAction(T, { tenantId: T, override: makeOverride({ expiresAt: later(1) }) }, NOW),
    ).toEqual({ kind: 'MOVE', expiresAt: later(1) });
    // Lapsed at its expiry exactly, as isOverrideActive says.
    expect(
      dueExpiryAction(T, { tenantId: T, override: makeOverride({ expiresAt: NOW }) }, NOW),
    ).toEqual({ kind: 'EXPIRE' });
    expect(
      dueExpiryAction(T, { tenantId: T, override: makeOverride({ expiresAt: later(-1) }) }, NOW),
    ).toEqual({ kind: 'EXPIRE' });
  });
});
