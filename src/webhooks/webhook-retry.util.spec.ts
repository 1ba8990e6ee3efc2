import {
  maxAttemptsWithin,
  nextRetryDelayMs,
  nominalDelayMs,
  retryDelayMs,
} from './webhook-retry.util';

const policy = { baseDelayMs: 1_000, maxDelayMs: 8_000, windowMs: 10_000 };
const fixed = (r: number) => () => r;

describe('nominalDelayMs', () => {
  it('doubles from the base delay up to the cap', () => {
    expect([1, 2, 3, 4, 5, 6].map((n) => nominalDelayMs(n, policy))).toEqual([
      1_000, 2_000, 4_000, 8_000, 8_000, 8_000,
    ]);
  });

  it('treats n below 1 as the first retry and stays finite for huge n', () => {
    expect(nominalDelayMs(0, policy)).toBe(1_000);
    expect(nominalDelayMs(10_000, policy)).toBe(8_000);
  });
});

describe('retryDelayMs (equal jitter)', () => {
  it('draws from [nominal/2, nominal]', () => {
    // Retry 3: nominal 4,000 ms → 2,000 + r · 2,000.
    expect(retryDelayMs(3, policy, fixed(0))).toBe(2_000);
    expect(retryDelayMs(3, policy, fixed(0.25))).toBe(2_500);
    expect(retryDelayMs(3, policy, fixed(0.999))).toBe(3_998);
    expect(retryDelayMs(3, policy, fixed(1))).toBe(4_000);
  });

  it('clamps a random draw outside [0, 1]', () => {
    expect(retryDelayMs(1, policy, fixed(-3))).toBe(500);
    expect(retryDelayMs(1, policy, fixed(7))).toBe(1_000);
  });
});

describe('nextRetryDelayMs', () => {
  const base = { windowStartedAt: 100_000, policy, random: fixed(0.5) };

  it('waits the jittered delay while the next attempt starts within the window', () => {
    // After 2 failures, 3,000 ms into the window: retry 2 is 1,000 + 0.5 · 1,000 = 1,500 ms.
    expect(nextRetryDelayMs({ ...base, failedAttempts: 2, now: 103_000 })).toBe(1_500);
  });

  it('dead-letters when the next attempt would start past the window', () => {
    // Retry 4 waits 4,000 + 0.5 · 4,000 = 6,000 ms: 5,000 + 6,000 > 10,000.
    expect(nextRetryDelayMs({ ...base, failedAttempts: 4, now: 105_000 })).toBeNull();
    // Exactly at the window's end is still inside.
    expect(nextRetryDelayMs({ ...base, failedAttempts: 4, now: 104_000 })).toBe(6_000);
  });

  it('waits as long as Retry-After asks, up to the longest delay', () => {
    expect(
      nextRetryDelayMs({ ...base, failedAttempts: 1, now: 100_000, retryAfterMs: 5_000 }),
    ).toBe(5_000);
    expect(
      nextRetryDelayMs({ ...base, failedAttempts: 1, now: 100_000, retryAfterMs: 60_000 }),
    ).toBe(8_000);
    // A shorter ask than the backoff changes nothing.
    expect(nextRetryDelayMs({ ...base, failedAttempts: 1, now: 100_000, retryAfterMs: 10 })).toBe(
      750,
    );
  });
});

describe('maxAttemptsWithin', () => {
  it('counts the attempts that fit when every wait is at its shortest', () => {
    // Shortest waits 500, 1,000, 2,000, 4,000, 4,000: cumulative 500, 1,500, 3,500, 7,500,
    // 11,500 → four retries within 10,000 ms, five attempts.
    expect(maxAttemptsWithin(policy)).toBe(5);
  });

  it('holds the defaults: 30 s doubling to 1 h over 24 h', () => {
    // Shortest waits 15, 30, 60, 120, 240, 480, 960 s (1,905 s), then 1,800 s each:
    // 46 more fit in the remaining 84,495 s → 53 retries, 54 attempts.
    expect(
      maxAttemptsWithin({ baseDelayMs: 30_000, maxDelayMs: 3_600_000, windowMs: 86_400_000 }),
    ).toBe(54);
  });
});
