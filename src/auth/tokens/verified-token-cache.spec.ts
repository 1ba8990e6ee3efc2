import { VerifiedTokenCache } from './verified-token-cache';

const T0 = Date.UTC(2026, 11, 5, 9, 0, 0);
const EXP = T0 / 1000 + 900;

function token(exp = EXP) {
  return { userId: 'u1', exp };
}

describe('VerifiedTokenCache', () => {
  it('returns what was stored for the exact same token text only', () => {
    const cache = new VerifiedTokenCache({ maxEntries: 10, maxAgeMs: 60_000 });
    const value = token();
    cache.set('a.b.c', value, T0);

    expect(cache.get('a.b.c', T0 + 1)).toBe(value);
    expect(cache.get('a.b.C', T0 + 1)).toBeUndefined();
    expect(cache.get('a.b.c ', T0 + 1)).toBeUndefined();
  });

  it('forgets a token once the current second reaches its exp, as jsonwebtoken refuses it', () => {
    const cache = new VerifiedTokenCache({ maxEntries: 10, maxAgeMs: 3_600_000 });
    cache.set('t', token(), T0);

    // 899.999 s later the current second is exp - 1: still valid.
    expect(cache.get('t', T0 + 899_999)).toEqual(token());
    // At exp exactly it is expired, and stays forgotten.
    expect(cache.get('t', T0 + 900_000)).toBeUndefined();
    expect(cache.size).toBe(0);
    expect(cache.get('t', T0 + 1)).toBeUndefined();
  });

  it('reuses a verification for maxAgeMs at most, even when the token lives longer', () => {
    const cache = new VerifiedTokenCache({ maxEntries: 10, maxAgeMs: 60_000 });
    cache.set('t', token(), T0);

    expect(cache.get('t', T0 + 59_999)).toBeDefined();
    expect(cache.get('t', T0 + 60_000)).toBeUndefined();
  });

  it('a token stored again starts a new age', () => {
    const cache = new VerifiedTokenCache({ maxEntries: 10, maxAgeMs: 60_000 });
    cache.set('t', token(), T0);
    cache.set('t', token(), T0 + 50_000);

    expect(cache.get('t', T0 + 100_000)).toBeDefined();
    expect(cache.size).toBe(1);
  });

  it('holds maxEntries at most, dropping the oldest stored first', () => {
    const cache = new VerifiedTokenCache({ maxEntries: 3, maxAgeMs: 60_000 });
    for (const name of ['a', 'b', 'c', 'd']) cache.set(name, token(), T0);

    expect(cache.size).toBe(3);
    expect(cache.get('a', T0)).toBeUndefined();
    expect(['b', 'c', 'd'].map((name) => cache.get(name, T0) !== undefined)).toEqual([
      true,
      true,
      true,
    ]);
  });

  it('stores nothing with maxEntries 0 (the cache turned off)', () => {
    const cache = new VerifiedTokenCache({ maxEntries: 0, maxAgeMs: 60_000 });
    cache.set('t', token(), T0);

    expect(cache.size).toBe(0);
    expect(cache.get('t', T0)).toBeUndefined();
  });

  it('clear forgets every token', () => {
    const cache = new VerifiedTokenCache({ maxEntries: 10, maxAgeMs: 60_000 });
    cache.set('a', token(), T0);
    cache.set('b', token(), T0);
    cache.clear();

    expect(cache.size).toBe(0);
    expect(cache.get('a', T0)).toBeUndefined();
  });
});
