import { describe, expect, it } from '@jest/globals';

import {
  accountRequests,
  classifyAnswer,
  classifyError,
  Clock,
  dueTime,
  Outcome,
  runClosedLoop,
  runOpenLoop,
  timelineOf,
} from './load.util';

/** A clock the test moves; `stalls` makes a sleep end later than asked (a starved generator). */
function manualClock(stalls: Record<number, number> = {}): Clock & { t: number } {
  const clock = {
    t: 0,
    now: () => clock.t,
    sleepUntil: (ms: number) => {
      clock.t = Math.max(clock.t, ms) + (stalls[ms] ?? 0);
      return Promise.resolve();
    },
  };
  return clock;
}

const settle = () => new Promise((resolve) => setImmediate(resolve));

describe('open loop: latency from the scheduled send time', () => {
  it('spaces due times by 1/rate from the start', () => {
    expect([0, 1, 2, 3].map((i) => dueTime(1000, i, 200))).toEqual([1000, 1005, 1010, 1015]);
  });

  it('counts a late send in the latency, and failures apart from the throughput', async () => {
    // 10 per second for 0.5 s: due at 0, 100, 200, 300, 400 ms. The sleep until 100 ends at 350
    // (the generator stalled 250 ms), so requests 1, 2 and 3 all go out at 350.
    const clock = manualClock({ 100: 250 });
    const answers: ((outcome: Outcome) => void)[] = [];
    const sentAt: number[] = [];
    const send = () =>
      new Promise<Outcome>((resolve) => {
        sentAt.push(clock.t);
        answers.push(resolve);
      });
    const run = runOpenLoop(send, 10, 0.5, clock);
    await settle();
    expect(sentAt).toEqual([0, 350, 350, 350, 400]);

    const answer = async (i: number, at: number, outcome: Outcome) => {
      clock.t = at;
      answers[i](outcome);
      await settle();
    };
    await answer(0, 20, 'ok'); // due 0: 20 ms
    await answer(1, 360, 'ok'); // due 100, sent 350: 260 ms (10 ms from the send)
    await answer(2, 370, 'graphql'); // a failure: no latency, not in the throughput
    await answer(3, 380, 'ok'); // due 300: 80 ms
    await answer(4, 410, 'ok'); // due 400, on time: 10 ms
    const result = await run;

    expect(result.latenciesMs).toEqual([20, 260, 80, 10]);
    expect(result.sent).toBe(5);
    expect(result.succeeded).toBe(4);
    expect(result.failed).toBe(1);
    expect(result.failures).toEqual({ http: 0, graphql: 1, invalid: 0, timeout: 0, network: 0 });
    expect(result.seconds).toBeCloseTo(0.41, 10);
    expect(result.successesPerSecond).toBeCloseTo(4 / 0.41, 10);
    expect(result.maxSendLagMs).toBe(250);
  });
});

describe('closed loop', () => {
  it('sends the next request when the last answered, timed from its send', async () => {
    // One client, answers take 30 ms, 0.1 s: sends at 0, 30, 60 and 90, the last answered at 120.
    const clock = manualClock();
    const send = () => {
      clock.t += 30;
      return Promise.resolve<Outcome>('ok');
    };
    const result = await runClosedLoop(send, 1, 0.1, clock);
    expect(result.latenciesMs).toEqual([30, 30, 30, 30]);
    expect(result.seconds).toBeCloseTo(0.12, 10);
    expect(result.successesPerSecond).toBeCloseTo(4 / 0.12, 10);
    expect(result.maxSendLagMs).toBe(0);
  });
});

describe('accountRequests', () => {
  it('takes the window from the start to the last answer and counts each failure kind', () => {
    const result = accountRequests(
      [
        { dueMs: 1000, sentMs: 1000, doneMs: 1004, outcome: 'ok' },
        { dueMs: 1005, sentMs: 1007, doneMs: 6007, outcome: 'timeout' },
        { dueMs: 1010, sentMs: 1010, doneMs: 1011, outcome: 'http' },
        { dueMs: 1015, sentMs: 1015, doneMs: 1030, outcome: 'ok' },
      ],
      1000,
    );
    expect(result.latenciesMs).toEqual([4, 15]);
    expect(result.failures).toEqual({ http: 1, graphql: 0, invalid: 0, timeout: 1, network: 0 });
    expect(result.seconds).toBeCloseTo(5.007, 10);
    expect(result.successesPerSecond).toBeCloseTo(2 / 5.007, 10);
    expect(result.maxSendLagMs).toBe(2);
  });

  it('cuts the run into seconds by due time', () => {
    const ok = (dueMs: number, sentMs: number, doneMs: number) =>
      ({ dueMs, sentMs, doneMs, outcome: 'ok' }) as const;
    expect(
      timelineOf(
        [
          ok(0, 0, 4),
          ok(500, 500, 502),
          { dueMs: 900, sentMs: 900, doneMs: 5900, outcome: 'timeout' },
          ok(1000, 1300, 1310), // due in second 1, sent 300 ms late: 310 ms
          ok(2500, 2500, 2501),
        ],
        0,
      ),
    ).toEqual([
      { n: 2, p95: 4, failed: 1, maxSendLagMs: 0 },
      { n: 1, p95: 310, failed: 0, maxSendLagMs: 300 },
      { n: 1, p95: 1, failed: 0, maxSendLagMs: 0 },
    ]);
  });

  it('gives no throughput for no requests', () => {
    expect(accountRequests([], 0)).toMatchObject({ sent: 0, seconds: 0, successesPerSecond: 0 });
  });
});

describe('classifying answers', () => {
  const full = (data: unknown) => (data as { n: number }).n === 50;

  it.each<[number, unknown, Outcome]>([
    [200, { data: { n: 50 } }, 'ok'],
    [200, { data: { n: 49 } }, 'invalid'],
    [200, { data: null, errors: [{ message: 'x' }] }, 'graphql'],
    [200, { data: { n: 50 }, errors: [{ message: 'partial' }] }, 'graphql'],
    [200, {}, 'graphql'],
    [200, null, 'invalid'],
    [429, { errors: [{ message: 'slow down' }] }, 'http'],
    [503, null, 'http'],
  ])('status %d with %j is %s', (status, payload, outcome) => {
    expect(classifyAnswer(status, payload, full)).toBe(outcome);
  });

  it('tells the request timeout from other errors', () => {
    expect(classifyError(new DOMException('late', 'TimeoutError'))).toBe('timeout');
    expect(classifyError(new TypeError('fetch failed'))).toBe('network');
  });
});
