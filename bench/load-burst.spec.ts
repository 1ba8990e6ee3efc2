import { describe, expect, it } from '@jest/globals';

import { classifyRestAnswer, Clock, graphqlSenderEach, Outcome, runBurst } from './load.util';

const settle = () => new Promise((resolve) => setImmediate(resolve));

describe('burst: every request sent at once, timed from the burst start', () => {
  it('sends all before any answer and measures each from the common start', async () => {
    const clock: Clock & { t: number } = {
      t: 1000,
      now: () => clock.t,
      sleepUntil: () => Promise.resolve(),
    };
    const answers: ((outcome: Outcome) => void)[] = [];
    const sentAt: number[] = [];
    const send = () =>
      new Promise<Outcome>((resolve) => {
        sentAt.push(clock.t);
        clock.t += 1; // building each request takes the generator 1 ms
        answers.push(resolve);
      });
    const run = runBurst(send, 4, clock);
    await settle();
    expect(sentAt).toEqual([1000, 1001, 1002, 1003]);

    const answer = async (i: number, at: number, outcome: Outcome) => {
      clock.t = at;
      answers[i](outcome);
      await settle();
    };
    await answer(2, 1020, 'ok');
    await answer(0, 1030, 'ok');
    await answer(3, 1050, 'http');
    await answer(1, 1090, 'ok');
    const result = await run;

    expect(result.latenciesMs).toEqual([20, 30, 90]);
    expect(result.sent).toBe(4);
    expect(result.failed).toBe(1);
    expect(result.failures.http).toBe(1);
    expect(result.maxSendLagMs).toBe(3);
    expect(result.seconds).toBeCloseTo(0.09, 10);
  });
});

describe('classifyRestAnswer', () => {
  const full = (body: unknown) => (body as { data?: unknown[] }).data?.length === 50;
  const page = (n: number) => ({ data: Array.from({ length: n }, () => ({})), meta: {} });

  it.each<[number, unknown, Outcome]>([
    [200, page(50), 'ok'],
    [200, page(10), 'invalid'],
    [200, null, 'invalid'],
    [200, 'text', 'invalid'],
    [401, { message: 'Unauthorized' }, 'http'],
    [503, page(50), 'http'],
  ])('status %d is %s', (status, payload, outcome) => {
    expect(classifyRestAnswer(status, payload, full)).toBe(outcome);
  });
});

describe('graphqlSenderEach', () => {
  it('posts a body of its own for every call, in send order', async () => {
    const bodies: string[] = [];
    const realFetch = globalThis.fetch;
    globalThis.fetch = ((_url: string, init: { body: string }) => {
      bodies.push(init.body);
      return Promise.resolve(new Response(JSON.stringify({ data: { ok: true } })));
    }) as unknown as typeof fetch;
    try {
      const send = graphqlSenderEach('http://127.0.0.1:1/graphql', (i) => `body-${i}`, {});
      expect(await Promise.all([send(), send(), send()])).toEqual(['ok', 'ok', 'ok']);
      expect(bodies).toEqual(['body-0', 'body-1', 'body-2']);
    } finally {
      globalThis.fetch = realFetch;
    }
  });
});
