import { isRetryable, parseRetryAfterMs, RETRY_AFTER_MAX_MS, retryDelayMs } from './retry-policy';

const NOW = Date.parse('2026-06-01T12:00:00Z');
const opts = { baseMs: 100, maxMs: 1000, now: NOW };
const fixed = (r: number) => () => r;

describe('retryDelayMs', () => {
  it('full jitter over min(maxMs, baseMs × 2^(attempt − 1)), hand-worked with random 0.5', () => {
    // Ceilings 100, 200, 400, 800, 1000 (capped): floor(0.5 × (ceiling + 1)).
    expect(
      [1, 2, 3, 4, 5, 10].map((n) => retryDelayMs(n, { ...opts, random: fixed(0.5) })),
    ).toEqual([50, 100, 200, 400, 500, 500]);
  });

  it('spans [0, ceiling] from random 0 to random just below 1', () => {
    expect(retryDelayMs(3, { ...opts, random: fixed(0) })).toBe(0);
    expect(retryDelayMs(3, { ...opts, random: fixed(0.999999) })).toBe(400);
    expect(retryDelayMs(30, { ...opts, random: fixed(0.999999) })).toBe(1000);
  });

  it('stays within bounds for any attempt and random value', () => {
    for (let attempt = 1; attempt <= 100; attempt++) {
      for (const r of [0, 0.1, 0.37, 0.5, 0.9, 0.999999999]) {
        const delay = retryDelayMs(attempt, { ...opts, random: fixed(r) });
        expect(Number.isInteger(delay)).toBe(true);
        expect(delay).toBeGreaterThanOrEqual(0);
        expect(delay).toBeLessThanOrEqual(Math.min(1000, 100 * 2 ** (attempt - 1)));
      }
    }
  });

  it('treats odd inputs safely', () => {
    expect(retryDelayMs(0, { ...opts, random: fixed(0.5) })).toBe(50);
    expect(retryDelayMs(Number.NaN, { ...opts, random: fixed(0.5) })).toBe(50);
    expect(retryDelayMs(2, { ...opts, random: fixed(7) })).toBe(200);
    expect(retryDelayMs(2, { ...opts, random: fixed(Number.NaN) })).toBe(0);
    expect(retryDelayMs(2000, { baseMs: 0, maxMs: 1000, random: fixed(0.5) })).toBe(0);
  });

  it('waits at least Retry-After in seconds', () => {
    expect(retryDelayMs(1, { ...opts, random: fixed(0.5), retryAfter: '3' })).toBe(3000);
    expect(retryDelayMs(1, { ...opts, random: fixed(0.5), retryAfter: ' 0.25 ' })).toBe(250);
    // Less than the jitter: the jitter stands.
    expect(retryDelayMs(5, { ...opts, random: fixed(0.5), retryAfter: '0' })).toBe(500);
  });

  it('waits at least Retry-After as an HTTP date', () => {
    const in5s = new Date(NOW + 5000).toUTCString();
    expect(retryDelayMs(1, { ...opts, random: fixed(0.5), retryAfter: in5s })).toBe(5000);
    const past = new Date(NOW - 5000).toUTCString();
    expect(retryDelayMs(1, { ...opts, random: fixed(0.5), retryAfter: past })).toBe(50);
  });

  it('caps Retry-After at 60 s and ignores an unreadable one', () => {
    expect(retryDelayMs(1, { ...opts, random: fixed(0.5), retryAfter: '3600' })).toBe(
      RETRY_AFTER_MAX_MS,
    );
    expect(RETRY_AFTER_MAX_MS).toBe(60_000);
    for (const bad of ['soon', '-5', '', '1e3', null, undefined]) {
      expect(retryDelayMs(1, { ...opts, random: fixed(0.5), retryAfter: bad })).toBe(50);
    }
  });

  it("prefers OpenAI's retry-after-ms", () => {
    expect(
      retryDelayMs(1, { ...opts, random: fixed(0.5), retryAfter: '10', retryAfterMs: '1500' }),
    ).toBe(1500);
    expect(parseRetryAfterMs(null, NOW, 'x')).toBeNull();
    expect(parseRetryAfterMs('2', NOW, 'x')).toBe(2000);
  });
});

describe('isRetryable', () => {
  it('retries 429, 5xx, 408, 409, timeouts and connection errors', () => {
    for (const status of [408, 409, 429, 500, 502, 503, 504, 599]) {
      expect(isRetryable(status)).toBe(true);
    }
    expect(isRetryable(undefined, 'timeout')).toBe(true);
    expect(isRetryable(undefined, 'connection')).toBe(true);
  });

  it('does not retry client errors or an unknown failure', () => {
    for (const status of [400, 401, 403, 404, 422, 413, 200, 600]) {
      expect(isRetryable(status)).toBe(false);
    }
    expect(isRetryable(undefined)).toBe(false);
  });
});
