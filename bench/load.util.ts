/** HTTP load against a GraphQL endpoint: open loop at a fixed rate, or closed loop to saturation. */

const REQUEST_TIMEOUT_MS = 5_000;

export interface LoadResult {
  readonly latenciesMs: number[];
  readonly errors: number;
  readonly seconds: number;
  readonly requestsPerSecond: number;
}

async function timedPost(
  url: string,
  body: string,
  headers: Record<string, string>,
): Promise<{ ms: number; ok: boolean }> {
  const started = performance.now();
  try {
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body,
      // Past capacity a request times out and counts as an error, so a run over saturation ends.
      signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
    });
    const payload = (await response.json()) as { errors?: unknown };
    return { ms: performance.now() - started, ok: response.ok && !payload.errors };
  } catch {
    return { ms: performance.now() - started, ok: false };
  }
}

/** Sends `rate` requests per second for `seconds`, whatever the answers' speed (latency includes queueing). */
export async function openLoop(
  url: string,
  body: string,
  headers: Record<string, string>,
  rate: number,
  seconds: number,
): Promise<LoadResult> {
  const total = Math.round(rate * seconds);
  const latenciesMs: number[] = [];
  let errors = 0;
  const started = performance.now();
  const pending: Promise<void>[] = [];
  for (let i = 0; i < total; i++) {
    const due = started + (i * 1000) / rate;
    const wait = due - performance.now();
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
    pending.push(
      timedPost(url, body, headers).then(({ ms, ok }) => {
        latenciesMs.push(ms);
        if (!ok) errors += 1;
      }),
    );
  }
  await Promise.all(pending);
  const elapsed = (performance.now() - started) / 1000;
  return { latenciesMs, errors, seconds: elapsed, requestsPerSecond: total / elapsed };
}

/** `concurrency` clients each sending the next request as soon as the last one answered. */
export async function closedLoop(
  url: string,
  body: string,
  headers: Record<string, string>,
  concurrency: number,
  seconds: number,
): Promise<LoadResult> {
  const latenciesMs: number[] = [];
  let errors = 0;
  const started = performance.now();
  const until = started + seconds * 1000;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (performance.now() < until) {
        const { ms, ok } = await timedPost(url, body, headers);
        latenciesMs.push(ms);
        if (!ok) errors += 1;
      }
    }),
  );
  const elapsed = (performance.now() - started) / 1000;
  return { latenciesMs, errors, seconds: elapsed, requestsPerSecond: latenciesMs.length / elapsed };
}
