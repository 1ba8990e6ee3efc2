/**
 * HTTP load against a GraphQL endpoint: open loop at a fixed rate, or closed loop to saturation.
 *
 * Open loop: request i is due at `start + i / rate`, whatever happened to the others, and its
 * latency runs from that due time to the end of its answer. A generator that falls behind (a
 * busy event loop, a starved core) sends late, and the lateness is part of the latency, as it would
 * be for a client that wanted an answer at that time; measuring from the actual send would hide it
 * (coordinated omission). Closed loop: each client sends as soon as its last answer came, so there
 * is no schedule and latency runs from the send; it measures throughput.
 *
 * Only successful requests give latencies. Failures (non-2xx, GraphQL errors, an answer that fails
 * the caller's check, timeouts, network errors) are counted by kind and left out of the throughput.
 */

export const REQUEST_TIMEOUT_MS = 5_000;

export type FailureKind = 'http' | 'graphql' | 'invalid' | 'timeout' | 'network';
export type Outcome = 'ok' | FailureKind;
export const FAILURE_KINDS: readonly FailureKind[] = [
  'http',
  'graphql',
  'invalid',
  'timeout',
  'network',
];

/** One request: when it was due, when it went out and when its answer ended (ms, one clock). */
export interface RequestRecord {
  readonly dueMs: number;
  readonly sentMs: number;
  readonly doneMs: number;
  readonly outcome: Outcome;
}

export interface LoadResult {
  /** Successful requests only: from the due time (open loop) or the send (closed loop). */
  readonly latenciesMs: number[];
  readonly sent: number;
  readonly succeeded: number;
  readonly failed: number;
  readonly failures: Record<FailureKind, number>;
  /** From the start of the run to the end of its last answer. */
  readonly seconds: number;
  /** Successful requests per second of `seconds`; failures do not count. */
  readonly successesPerSecond: number;
  /** The latest a request went out after its due time (open loop; 0 for closed loop). */
  readonly maxSendLagMs: number;
  /** Per second of the run (by due time): where in the run the slow answers and late sends were. */
  readonly timeline: SecondFigures[];
}

export interface SecondFigures {
  /** Successful requests due in this second. */
  readonly n: number;
  /** Their p95 latency (nearest rank), null if none succeeded. */
  readonly p95: number | null;
  readonly failed: number;
  readonly maxSendLagMs: number;
}

/** The run cut into seconds by due time, for finding a stall (the machine's or the server's). */
export function timelineOf(records: readonly RequestRecord[], startMs: number): SecondFigures[] {
  const seconds: { latencies: number[]; failed: number; maxSendLagMs: number }[] = [];
  for (const record of records) {
    const at = Math.max(0, Math.floor((record.dueMs - startMs) / 1000));
    while (seconds.length <= at) seconds.push({ latencies: [], failed: 0, maxSendLagMs: 0 });
    const second = seconds[at];
    if (record.outcome === 'ok') second.latencies.push(record.doneMs - record.dueMs);
    else second.failed += 1;
    second.maxSendLagMs = Math.max(second.maxSendLagMs, record.sentMs - record.dueMs);
  }
  return seconds.map(({ latencies, failed, maxSendLagMs }) => {
    const sorted = [...latencies].sort((a, b) => a - b);
    const rank = Math.ceil(0.95 * sorted.length) - 1;
    return { n: sorted.length, p95: sorted.length > 0 ? sorted[rank] : null, failed, maxSendLagMs };
  });
}

/** The due time of request `index` of an open loop started at `startMs` at `rate` per second. */
export function dueTime(startMs: number, index: number, rate: number): number {
  return startMs + (index * 1000) / rate;
}

/** The figures of a run from its requests' records. */
export function accountRequests(records: readonly RequestRecord[], startMs: number): LoadResult {
  const failures = Object.fromEntries(FAILURE_KINDS.map((kind) => [kind, 0])) as Record<
    FailureKind,
    number
  >;
  const latenciesMs: number[] = [];
  let endMs = startMs;
  let maxSendLagMs = 0;
  for (const record of records) {
    endMs = Math.max(endMs, record.doneMs);
    maxSendLagMs = Math.max(maxSendLagMs, record.sentMs - record.dueMs);
    if (record.outcome === 'ok') latenciesMs.push(record.doneMs - record.dueMs);
    else failures[record.outcome] += 1;
  }
  const seconds = (endMs - startMs) / 1000;
  return {
    latenciesMs,
    sent: records.length,
    succeeded: latenciesMs.length,
    failed: records.length - latenciesMs.length,
    failures,
    seconds,
    successesPerSecond: seconds > 0 ? latenciesMs.length / seconds : 0,
    maxSendLagMs,
    timeline: timelineOf(records, startMs),
  };
}

/** How an answer ends: a non-2xx status, GraphQL errors or no data, or data that fails `check`. */
export function classifyAnswer(
  status: number,
  payload: unknown,
  check?: (data: unknown) => boolean,
): Outcome {
  if (status < 200 || status > 299) return 'http';
  const body = payload as { data?: unknown; errors?: unknown } | null;
  if (body === null || typeof body !== 'object') return 'invalid';
  if (body.errors !== undefined || body.data === undefined || body.data === null) return 'graphql';
  if (check && !check(body.data)) return 'invalid';
  return 'ok';
}

/** A thrown fetch: the request's own timeout, or anything else on the way (refused, reset). */
export function classifyError(error: unknown): Outcome {
  // By name: a DOMException from another realm (a test's) is not `instanceof Error`.
  const name =
    typeof error === 'object' && error !== null ? (error as { name?: unknown }).name : '';
  return name === 'TimeoutError' ? 'timeout' : 'network';
}

export interface Clock {
  now(): number;
  sleepUntil(ms: number): Promise<void>;
}

export const realClock: Clock = {
  now: () => performance.now(),
  sleepUntil: (ms) => {
    const wait = ms - performance.now();
    return wait > 0 ? new Promise((resolve) => setTimeout(resolve, wait)) : Promise.resolve();
  },
};

/** `send` must not throw: it answers how its request ended. */
export type Send = () => Promise<Outcome>;

/**
 * Sends `rate` requests per second for `seconds`, whatever the answers' speed. A request whose
 * due time has passed goes out at once (the generator catches up in a burst) and its latency
 * still runs from its due time.
 */
export async function runOpenLoop(
  send: Send,
  rate: number,
  seconds: number,
  clock: Clock = realClock,
): Promise<LoadResult> {
  const total = Math.round(rate * seconds);
  const startMs = clock.now();
  const records: RequestRecord[] = [];
  const pending: Promise<void>[] = [];
  for (let i = 0; i < total; i++) {
    const dueMs = dueTime(startMs, i, rate);
    if (clock.now() < dueMs) await clock.sleepUntil(dueMs);
    const sentMs = clock.now();
    pending.push(
      send().then((outcome) => {
        records.push({ dueMs, sentMs, doneMs: clock.now(), outcome });
      }),
    );
  }
  await Promise.all(pending);
  return accountRequests(records, startMs);
}

/** `concurrency` clients each sending the next request as soon as the last one answered. */
export async function runClosedLoop(
  send: Send,
  concurrency: number,
  seconds: number,
  clock: Clock = realClock,
): Promise<LoadResult> {
  const startMs = clock.now();
  const until = startMs + seconds * 1000;
  const records: RequestRecord[] = [];
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (clock.now() < until) {
        const sentMs = clock.now();
        const outcome = await send();
        records.push({ dueMs: sentMs, sentMs, doneMs: clock.now(), outcome });
      }
    }),
  );
  return accountRequests(records, startMs);
}

/** One POST of `body`, classified; `check` looks at the answer's `data`. */
export function graphqlSender(
  url: string,
  body: string,
  headers: Record<string, string>,
  check?: (data: unknown) => boolean,
): Send {
  return async () => {
    try {
      const { status, payload } = await fetchJson(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...headers },
        body,
      });
      return classifyAnswer(status, payload, check);
    } catch (error) {
      return classifyError(error);
    }
  };
}

/**
 * One request and its answer's status and JSON body (null when the body is not JSON). Past
 * capacity a request times out and counts as a failure, so a run over saturation ends.
 */
async function fetchJson(
  url: string,
  init: RequestInit,
): Promise<{ status: number; payload: unknown }> {
  const response = await fetch(url, { ...init, signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS) });
  const text = await response.text();
  try {
    return { status: response.status, payload: JSON.parse(text) as unknown };
  } catch {
    return { status: response.status, payload: null };
  }
}

export function openLoop(
  url: string,
  body: string,
  headers: Record<string, string>,
  rate: number,
  seconds: number,
  check?: (data: unknown) => boolean,
): Promise<LoadResult> {
  return runOpenLoop(graphqlSender(url, body, headers, check), rate, seconds);
}

export function closedLoop(
  url: string,
  body: string,
  headers: Record<string, string>,
  concurrency: number,
  seconds: number,
  check?: (data: unknown) => boolean,
): Promise<LoadResult> {
  return runClosedLoop(graphqlSender(url, body, headers, check), concurrency, seconds);
}

/**
 * How a REST answer ends: a non-2xx status, a body that is not a JSON object, or one that fails
 * `check` (which sees the whole body: REST has no `data`/`errors` envelope to look into).
 */
export function classifyRestAnswer(
  status: number,
  payload: unknown,
  check?: (body: unknown) => boolean,
): Outcome {
  if (status < 200 || status > 299) return 'http';
  if (payload === null || typeof payload !== 'object') return 'invalid';
  if (check && !check(payload)) return 'invalid';
  return 'ok';
}

/** One GET of `url`, classified as a REST answer; `check` looks at the parsed body. */
export function restGetSender(
  url: string,
  headers: Record<string, string>,
  check?: (body: unknown) => boolean,
): Send {
  return async () => {
    try {
      const { status, payload } = await fetchJson(url, { headers });
      return classifyRestAnswer(status, payload, check);
    } catch (error) {
      return classifyError(error);
    }
  };
}

/**
 * Like `graphqlSender`, but request `i` (0, 1, 2, … in send order) posts `bodyOf(i)`: a mutation
 * whose every call must differ (an idempotency key).
 */
export function graphqlSenderEach(
  url: string,
  bodyOf: (index: number) => string,
  headers: Record<string, string>,
  check?: (data: unknown) => boolean,
): Send {
  let index = 0;
  return () => graphqlSender(url, bodyOf(index++), headers, check)();
}

/**
 * `count` requests all sent at once, every one timed from the burst's start (its common due
 * time), so that the last one to leave the generator carries its wait in its latency.
 */
export async function runBurst(
  send: Send,
  count: number,
  clock: Clock = realClock,
): Promise<LoadResult> {
  const startMs = clock.now();
  const records: RequestRecord[] = [];
  const pending: Promise<void>[] = [];
  for (let i = 0; i < count; i++) {
    const sentMs = clock.now();
    pending.push(
      send().then((outcome) => {
        records.push({ dueMs: startMs, sentMs, doneMs: clock.now(), outcome });
      }),
    );
  }
  await Promise.all(pending);
  return accountRequests(records, startMs);
}
