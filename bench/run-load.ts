/**
 * `npm run bench:load`: the load part of issue 14, on local engines and loopback only, with the
 * built app as its own process (`dist/main.js`, NODE_ENV=production, role all: api and worker).
 *
 * 1. Warm-up: WARMUP seconds of the mixed load (`leads` at 100 RPS + `recordInteractions` at 50/s).
 * 2. Seed 000's burst: 100 `GET /leads/scoring?limit=50` all in flight together, each timed from
 *    the burst's start.
 * 3. SECONDS of `leads` at 100 RPS and `recordInteractions` at 50/s (one event each, every key
 *    distinct), both open loop and timed from each request's scheduled send (load.util.ts), with a
 *    `rescoreLeads` batch job started as the phase begins.
 * The RSS of every process (the app, the MongoDB engine, redis-server, this generator) is read from
 * /proc/<pid>/status every second; its growth runs from the end of the warm-up to the end.
 *
 * Everything is bounded: request counts, every wait and the whole run (BENCH_MAX_MINUTES); the app
 * and the engines are stopped on the way out, on failure and on SIGINT/SIGTERM too.
 * Results: bench/results/load-<date>.json, load-latest.json and a Markdown table on stdout.
 * Environment: BENCH_LEADS (10000), BENCH_SECONDS (60), BENCH_WARMUP_SECONDS (15),
 * BENCH_MAX_MINUTES (15), BENCH_STRICT (1: exit 3 when a goal is missed).
 */
import { ChildProcess, spawn } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join, resolve } from 'node:path';

import Redis from 'ioredis';

import { loadConfig } from '../src/config/load-config';
import {
  benchAppEnv,
  benchGql,
  registerBenchTenant,
  seedLeads,
  waitForHealth,
} from './bench-setup.util';
import { findFreePort, guardChild, stopChild } from '../src/local-engines/child-process.util';
import { StartedEngines, startLocalEngines } from '../src/local-engines/local-engines';
import {
  FAILURE_KINDS,
  graphqlSender,
  graphqlSenderEach,
  LoadResult,
  restGetSender,
  runBurst,
  runOpenLoop,
} from './load.util';
import { rankingKeys } from '../src/scoring/ranking/ranking-keys';

import { parseVmRssKb, RssFigures, RssSample, summarizeRss } from './rss.util';
import { round, summarize } from './stats.util';

// Compiled to .data/bench-build/bench/: the project is three folders up.
const ROOT = resolve(__dirname, '..', '..', '..');

function bounded(name: string, fallback: number, min: number, max: number): number {
  const raw = process.env[name];
  const value = raw === undefined || raw === '' ? fallback : Number(raw);
  if (!Number.isFinite(value) || value < min || value > max) {
    throw new Error(`${name} must be a number from ${min} to ${max} (got ${raw})`);
  }
  return value;
}

const LEADS = Math.round(bounded('BENCH_LEADS', 10_000, 100, 1_000_000));
const SECONDS = bounded('BENCH_SECONDS', 60, 1, 600);
const WARMUP_SECONDS = bounded('BENCH_WARMUP_SECONDS', 15, 1, 600);
const MAX_MINUTES = bounded('BENCH_MAX_MINUTES', 15, 1, 120);
const STRICT = process.env.BENCH_STRICT === '1';

const LEADS_RPS = 100;
const INTERACTIONS_PER_SECOND = 50;
const BURST = 100;
const PAGE = 50;
const CHUNK = 1000;
/** Past the end of the phase, how long the batch job may still take before it counts as unfinished. */
const BATCH_GRACE_MS = 120_000;
const BATCH_POLL_MS = 250;
const RSS_INTERVAL_MS = 1000;
const RSS_GROWTH_GOAL_PCT = 10;

const LEADS_QUERY = JSON.stringify({
  query: `{ leads(limit: ${PAGE}) { total items { id leadId name score tier } } }`,
});
const RECORD_MUTATION =
  'mutation($input: RecordInteractionsInput!) { recordInteractions(input: $input) { accepted duplicates } }';

function log(message: string): void {
  process.stdout.write(`[bench:load] ${message}\n`);
}

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** Reads the RSS of named processes every second (at most `maxSamples` times each). */
class RssSampler {
  readonly samples = new Map<string, RssSample[]>();
  readonly commands = new Map<string, string>();
  private timer: NodeJS.Timeout | undefined;
  private count = 0;

  constructor(
    private readonly pids: ReadonlyMap<string, number>,
    private readonly startMs: number,
    private readonly maxSamples: number,
  ) {
    for (const [name, pid] of pids) {
      this.samples.set(name, []);
      this.commands.set(name, readProc(pid, 'comm')?.trim() ?? '?');
    }
  }

  start(): void {
    this.sample();
    this.timer = setInterval(() => {
      if (this.count >= this.maxSamples) this.stop();
      else this.sample();
    }, RSS_INTERVAL_MS);
  }

  /** Reads every process now; answers the time of the reading (ms since the run's start). */
  sample(): number {
    const atMs = performance.now() - this.startMs;
    this.count += 1;
    for (const [name, pid] of this.pids) {
      const status = readProc(pid, 'status');
      this.samples.get(name)?.push({ atMs, kb: status === null ? null : parseVmRssKb(status) });
    }
    return atMs;
  }

  stop(): void {
    clearInterval(this.timer);
    this.timer = undefined;
  }
}

function readProc(pid: number, file: string): string | null {
  try {
    return readFileSync(`/proc/${pid}/${file}`, 'utf8');
  } catch {
    return null;
  }
}

/** This process's memory in MB (its heap tells retained records from uncollected garbage). */
function generatorMemory() {
  const m = process.memoryUsage();
  const mb = (bytes: number) => round(bytes / 1024 / 1024, 1);
  return {
    rssMb: mb(m.rss),
    heapUsedMb: mb(m.heapUsed),
    heapTotalMb: mb(m.heapTotal),
    externalMb: mb(m.external),
  };
}

/** One open-loop or burst run's figures, without the raw latencies. */
function figures(result: LoadResult) {
  const s = summarize(result.latenciesMs);
  return {
    p50: round(s.p50, 1),
    p95: round(s.p95, 1),
    p99: round(s.p99, 1),
    max: round(
      result.latenciesMs.reduce((m, x) => Math.max(m, x), 0),
      1,
    ),
    okPerSecond: round(result.successesPerSecond, 1),
    sent: result.sent,
    succeeded: result.succeeded,
    errors: result.failed,
    failures: result.failures,
    maxSendLagMs: round(result.maxSendLagMs, 1),
    seconds: round(result.seconds, 2),
    p95PerSecond: result.timeline.map((t) => (t.p95 === null ? null : round(t.p95, 0))),
    failedPerSecond: result.timeline.map((t) => t.failed),
  };
}
type Figures = ReturnType<typeof figures>;

function failureText(f: Figures): string {
  const kinds = FAILURE_KINDS.filter((kind) => f.failures[kind] > 0).map(
    (kind) => `${f.failures[kind]} ${kind}`,
  );
  return kinds.length > 0 ? `${f.errors} errors: ${kinds.join(', ')}` : '0 errors';
}

interface BatchFigures {
  jobId?: string;
  status: string;
  completed: boolean;
  processed?: number;
  total?: number;
  changed?: number;
  error?: string | null;
  /** From the job's start to its end, by the app's own timestamps. */
  runSeconds?: number;
  /** From the job's creation to its start (waiting in the queue). */
  queuedSeconds?: number;
  /** From the mutation's send to the poll that saw it finished (≤ BATCH_POLL_MS late). */
  wallSeconds?: number;
  pollErrors: number;
}

/** Starts a rescoring of every lead and follows it until it ends or `deadlineMs` passes. */
async function runBatchJob(url: string, token: string, deadlineMs: number): Promise<BatchFigures> {
  const sent = performance.now();
  let jobId: string;
  try {
    const job = await benchGql<{ rescoreLeads: { id: string } }>(
      url,
      'mutation { rescoreLeads { id } }',
      {},
      token,
    );
    jobId = job.rescoreLeads.id;
  } catch (error) {
    return { status: 'NOT_STARTED', completed: false, error: String(error), pollErrors: 0 };
  }
  type JobState = {
    status: string;
    processed: number;
    total: number;
    changed: number;
    error: string | null;
    createdAt: string;
    startedAt: string | null;
    finishedAt: string | null;
  };
  let last: JobState | undefined;
  let pollErrors = 0;
  while (performance.now() < deadlineMs) {
    try {
      last = (
        await benchGql<{ scoringJob: JobState }>(
          url,
          'query($id: ID!) { scoringJob(jobId: $id) { status processed total changed error createdAt startedAt finishedAt } }',
          { id: jobId },
          token,
        )
      ).scoringJob;
    } catch {
      pollErrors += 1;
    }
    if (last && (last.status === 'COMPLETED' || last.status === 'FAILED')) {
      const at = (iso: string | null) => (iso ? new Date(iso).getTime() : NaN);
      return {
        jobId,
        status: last.status,
        completed: last.status === 'COMPLETED',
        processed: last.processed,
        total: last.total,
        changed: last.changed,
        error: last.error,
        runSeconds: round((at(last.finishedAt) - at(last.startedAt)) / 1000, 2),
        queuedSeconds: round((at(last.startedAt) - at(last.createdAt)) / 1000, 2),
        wallSeconds: round((performance.now() - sent) / 1000, 2),
        pollErrors,
      };
    }
    await sleep(BATCH_POLL_MS);
  }
  return {
    jobId,
    status: `${last?.status ?? 'UNKNOWN'} (still running at the deadline)`,
    completed: false,
    processed: last?.processed,
    total: last?.total,
    pollErrors,
  };
}

let appChild: ChildProcess | undefined;
let engines: StartedEngines | undefined;
let sampler: RssSampler | undefined;
let shuttingDown: Promise<void> | undefined;

/** Stops what this run started (the app by its pid, then the engines); safe to call twice. */
function shutdown(): Promise<void> {
  shuttingDown ??= (async () => {
    sampler?.stop();
    if (appChild) await stopChild(appChild, 5_000).catch(() => undefined);
    if (engines) await engines.stop().catch(() => undefined);
  })();
  return shuttingDown;
}

async function main(): Promise<number> {
  const runStart = performance.now();
  const loadBefore = loadavg().map((x) => round(x));
  log(`load average before: ${loadBefore.join(' ')} (${cpus().length} cpus)`);
  const config = loadConfig({
    ...process.env,
    NODE_ENV: 'test',
    MONGODB_URI: process.env.MONGODB_URI,
    REDIS_URL: process.env.REDIS_URL,
  });
  engines = await startLocalEngines({ config, persistent: false, env: process.env });
  engines.descriptions.forEach((line) => log(line));

  const mongoUri = `${engines.mongoUri}/bench_load_${Date.now()}`;
  const port = await findFreePort();
  appChild = spawn(process.execPath, [join(ROOT, 'dist', 'main.js')], {
    env: benchAppEnv({ port, mongoUri, redisUrl: engines.redisUrl }),
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  // If this process is killed outright, the app goes too (as the engines do).
  if (appChild.pid !== undefined) guardChild(appChild.pid);
  const url = `http://127.0.0.1:${port}`;
  await waitForHealth(url, appChild);
  log(`app ready at ${url} (pid ${appChild.pid})`);

  const { token, tenantId } = await registerBenchTenant(url, 'Load');

  // Seeding through the API as run-bench does: leads in chunks, one interaction each.
  const seedSeconds = await seedLeads({ url, token, count: LEADS, chunk: CHUNK });
  log(`seeded ${LEADS} leads with one interaction each in ${round(seedSeconds, 1)} s`);

  // The ranking index: the first read asks a worker to build it; wait (at most 5 min) until ready.
  const redis = new Redis(engines.redisUrl, { lazyConnect: true, maxRetriesPerRequest: 3 });
  await redis.connect();
  const indexStarted = performance.now();
  try {
    await benchGql(url, '{ leads(limit: 1) { total } }', {}, token);
    while ((await redis.exists(rankingKeys(`bench:ranking:{${tenantId}}`).ready)) !== 1) {
      if (performance.now() - indexStarted > 300_000) throw new Error('ranking index not built');
      await sleep(100);
    }
  } finally {
    await redis.quit();
  }
  const indexSeconds = (performance.now() - indexStarted) / 1000;
  log(`ranking index of ${LEADS} leads built in ${round(indexSeconds, 2)} s`);

  // RSS of every process, from here to the end (bounded: the run's own maximum).
  const pids = new Map<string, number>();
  if (appChild.pid !== undefined) pids.set('app (dist/main.js)', appChild.pid);
  if (engines.mongo?.pid !== undefined) pids.set('MongoDB engine', engines.mongo.pid);
  if (engines.redis?.pid !== undefined) pids.set('redis-server', engines.redis.pid);
  pids.set('load generator', process.pid);
  const t0 = performance.now();
  sampler = new RssSampler(pids, t0, Math.ceil(MAX_MINUTES * 60) + 10);
  sampler.start();

  const auth = { authorization: `Bearer ${token}` };
  const pageSize = Math.min(PAGE, LEADS);
  const fullPage = (data: unknown): boolean =>
    (data as { leads?: { items?: unknown[] } }).leads?.items?.length === pageSize;
  const acceptedOne = (data: unknown): boolean =>
    (data as { recordInteractions?: { accepted?: number } }).recordInteractions?.accepted === 1;
  const leadsSend = graphqlSender(`${url}/graphql`, LEADS_QUERY, auth, fullPage);
  /** One event on a lead spread over the seeded ones, its key unique to the phase and index. */
  const interactionsSend = (phase: string) =>
    graphqlSenderEach(
      `${url}/graphql`,
      (i) =>
        JSON.stringify({
          query: RECORD_MUTATION,
          variables: {
            input: {
              interactions: [
                {
                  leadId: `B-${(i * 7919 + (phase === 'warm-up' ? 0 : 17)) % LEADS}`,
                  type: i % 3 === 0 ? 'EMAIL_OPEN' : 'WEBSITE_VISIT',
                  secondsSpent: i % 3 === 0 ? undefined : 30 + (i % 10) * 30,
                  occurredAt: new Date().toISOString(),
                  idempotencyKey: `load-${phase}-${i}`,
                },
              ],
            },
          },
        }),
      auth,
      acceptedOne,
    );

  // 1. Warm-up.
  log(
    `warm-up: ${WARMUP_SECONDS} s of leads at ${LEADS_RPS} RPS + interactions at ${INTERACTIONS_PER_SECOND}/s`,
  );
  const [warmLeads, warmInteractions] = await Promise.all([
    runOpenLoop(leadsSend, LEADS_RPS, WARMUP_SECONDS),
    runOpenLoop(interactionsSend('warm-up'), INTERACTIONS_PER_SECOND, WARMUP_SECONDS),
  ]);
  const warmupEndMs = sampler.sample();
  const generatorAtWarmupEnd = generatorMemory();
  const warmup = { leads: figures(warmLeads), interactions: figures(warmInteractions) };
  log(
    `  leads ${warmup.leads.p50}/${warmup.leads.p95}/${warmup.leads.p99} ms, ${failureText(warmup.leads)}`,
  );

  // 2. The burst of concurrent scoring requests (REST, as in seed 000).
  const burstResult = figures(
    await runBurst(
      restGetSender(`${url}/leads/scoring?limit=${PAGE}`, auth, (body) => {
        const page = body as { data?: unknown[] };
        return Array.isArray(page.data) && page.data.length === pageSize;
      }),
      BURST,
    ),
  );
  log(
    `burst of ${BURST}: ${burstResult.p50}/${burstResult.p95}/${burstResult.p99} ms, all answered in ${burstResult.seconds} s, ${failureText(burstResult)}`,
  );

  // 3. The sustained phase, with a batch rescoring started as it begins.
  log(
    `sustained: ${SECONDS} s of leads at ${LEADS_RPS} RPS + interactions at ${INTERACTIONS_PER_SECOND}/s + rescoreLeads`,
  );
  const phaseStart = performance.now();
  const batch = runBatchJob(url, token, phaseStart + SECONDS * 1000 + BATCH_GRACE_MS);
  const [phaseLeads, phaseInteractions] = await Promise.all([
    runOpenLoop(leadsSend, LEADS_RPS, SECONDS),
    runOpenLoop(interactionsSend('sustained'), INTERACTIONS_PER_SECOND, SECONDS),
  ]);
  const endMs = sampler.sample();
  const generatorAtEnd = generatorMemory();
  const batchFigures = await batch;
  sampler.stop();
  const sustained = { leads: figures(phaseLeads), interactions: figures(phaseInteractions) };
  log(
    `  leads ${sustained.leads.p50}/${sustained.leads.p95}/${sustained.leads.p99} ms, ${failureText(sustained.leads)}`,
  );
  log(
    `  interactions ${sustained.interactions.p50}/${sustained.interactions.p95}/${sustained.interactions.p99} ms, ${failureText(sustained.interactions)}`,
  );
  log(`  batch rescoring: ${batchFigures.status}, ${batchFigures.runSeconds ?? '?'} s`);

  const rss: Record<string, RssFigures & { pid: number; command: string }> = {};
  for (const [name, pid] of pids) {
    // Readings after the end of the phase (while the batch was followed) are left out.
    const samples = (sampler.samples.get(name) ?? []).filter((s) => s.atMs <= endMs);
    rss[name] = {
      pid,
      command: sampler.commands.get(name) ?? '?',
      ...summarizeRss(samples, warmupEndMs),
    };
  }

  const goalsMissed: string[] = [];
  const errorRows: [string, Figures][] = [
    ['warm-up leads', warmup.leads],
    ['warm-up interactions', warmup.interactions],
    ['burst', burstResult],
    ['leads', sustained.leads],
    ['interactions', sustained.interactions],
  ];
  for (const [name, f] of errorRows) {
    if (f.errors > 0) goalsMissed.push(`${name}: ${failureText(f)}`);
  }
  if (!batchFigures.completed) goalsMissed.push(`batch rescoring: ${batchFigures.status}`);
  for (const [name, f] of Object.entries(rss)) {
    if (f.growthPct === null) goalsMissed.push(`${name}: RSS not measured`);
    else if (f.growthPct >= RSS_GROWTH_GOAL_PCT)
      goalsMissed.push(`${name}: RSS grew ${round(f.growthPct, 1)} % after warm-up`);
  }
  const loadAfter = loadavg().map((x) => round(x));

  const results = {
    date: new Date().toISOString(),
    machine: { node: process.version, cpus: cpus().length, loadBefore, loadAfter },
    engines: engines.descriptions,
    leads: LEADS,
    seedSeconds: round(seedSeconds, 1),
    rankingIndexBuildSeconds: round(indexSeconds, 2),
    latencyFrom:
      'open loop: each request’s scheduled send time; burst: the burst’s start (all sent at once)',
    warmup: { seconds: WARMUP_SECONDS, ...warmup },
    burst: { requests: BURST, endpoint: `GET /leads/scoring?limit=${PAGE}`, ...burstResult },
    sustained: {
      seconds: SECONDS,
      leadsRps: LEADS_RPS,
      interactionsPerSecond: INTERACTIONS_PER_SECOND,
      ...sustained,
      batchRescoring: { startedAt: 'the phase start', ...batchFigures },
    },
    rss: {
      intervalMs: RSS_INTERVAL_MS,
      growthFrom: 'end of warm-up to end of the sustained phase',
      processes: rss,
      /** The generator's own heap: what it keeps (its records) against garbage not yet collected. */
      generatorMemory: { warmupEnd: generatorAtWarmupEnd, end: generatorAtEnd },
    },
    goals: { errors: 0, rssGrowthPct: `< ${RSS_GROWTH_GOAL_PCT}` },
    goalsMissed,
    totalSeconds: round((performance.now() - runStart) / 1000, 1),
  };
  const dir = join(ROOT, 'bench', 'results');
  mkdirSync(dir, { recursive: true });
  writeFileSync(
    join(dir, `load-${results.date.slice(0, 10)}.json`),
    JSON.stringify(results, null, 2),
  );
  writeFileSync(join(dir, 'load-latest.json'), JSON.stringify(results, null, 2));

  const ms = (x: number) => `${round(x, 1)} ms`;
  const pct = (x: number | null) => (x === null ? '–' : `${x >= 0 ? '+' : ''}${round(x, 1)} %`);
  const mbText = (x: number | null) => (x === null ? '–' : `${round(x, 1)} MB`);
  const latencyRow = (what: string, f: Figures, goal: string, extra = '') =>
    `| ${what} | ${ms(f.p50)} / ${ms(f.p95)} / ${ms(f.p99)} | ${f.succeeded} of ${f.sent} ok, ${failureText(f)}${extra} | ${goal} |`;
  const batchText = batchFigures.completed
    ? `${batchFigures.status}: ${batchFigures.processed} leads in ${batchFigures.runSeconds} s (queued ${batchFigures.queuedSeconds} s), ${batchFigures.changed} changed`
    : `${batchFigures.status}${batchFigures.error ? `: ${batchFigures.error}` : ''}`;
  const table = [
    `| measure (${LEADS.toLocaleString('en')} leads; loopback; load avg ${loadBefore[0]} → ${loadAfter[0]} on ${cpus().length} cpus) | p50 / p95 / p99 | requests | goal |`,
    '|---|---|---|---|',
    latencyRow(
      `warm-up ${WARMUP_SECONDS} s: leads at ${LEADS_RPS} RPS`,
      warmup.leads,
      '',
      `, max send lag ${ms(warmup.leads.maxSendLagMs)}`,
    ),
    latencyRow(
      `warm-up ${WARMUP_SECONDS} s: recordInteractions at ${INTERACTIONS_PER_SECOND}/s`,
      warmup.interactions,
      '',
    ),
    latencyRow(
      `burst: ${BURST} concurrent GET /leads/scoring?limit=${PAGE}, from the burst start`,
      burstResult,
      '0 errors',
      `, last answer at ${ms(burstResult.seconds * 1000)}`,
    ),
    latencyRow(
      `${SECONDS} s: leads at ${LEADS_RPS} RPS, from the scheduled send`,
      sustained.leads,
      '0 errors',
      `, max send lag ${ms(sustained.leads.maxSendLagMs)}`,
    ),
    latencyRow(
      `${SECONDS} s: recordInteractions at ${INTERACTIONS_PER_SECOND}/s (1 event each), same time`,
      sustained.interactions,
      '0 errors',
    ),
    `| ${SECONDS} s: rescoreLeads batch started at the phase start | | ${batchText} | completes |`,
    '',
    '| process (RSS from /proc/<pid>/status, every 1 s) | end of warm-up | end | max after warm-up | growth (end / peak) | goal |',
    '|---|---|---|---|---|---|',
    ...Object.entries(rss).map(
      ([name, f]) =>
        `| ${name} (pid ${f.pid}, ${f.command}) | ${mbText(f.warmupEndMb)} | ${mbText(f.endMb)} | ${mbText(f.maxAfterWarmupMb)} | ${pct(f.growthPct)} / ${pct(f.peakGrowthPct)} | < ${RSS_GROWTH_GOAL_PCT} % |`,
    ),
  ].join('\n');
  process.stdout.write(`\n${table}\n\n`);
  const g = (m: ReturnType<typeof generatorMemory>) =>
    `rss ${m.rssMb} MB, heap ${m.heapUsedMb} used of ${m.heapTotalMb} MB, external ${m.externalMb} MB`;
  process.stdout.write(
    `load generator memory: end of warm-up ${g(generatorAtWarmupEnd)}; end ${g(generatorAtEnd)}\n\n`,
  );
  if (goalsMissed.length > 0) {
    process.stdout.write(`goals missed:\n${goalsMissed.map((g) => `- ${g}`).join('\n')}\n\n`);
  }
  process.stdout.write(
    `load average after: ${loadAfter.join(' ')}; written to bench/results/load-latest.json\n`,
  );
  return STRICT && goalsMissed.length > 0 ? 3 : 0;
}

// The whole run is bounded; a signal or the deadline stops the app and the engines before exiting.
const deadline = setTimeout(() => {
  process.stderr.write(`[bench:load] over ${MAX_MINUTES} min: stopping\n`);
  void shutdown().finally(() => process.exit(2));
}, MAX_MINUTES * 60_000);
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    process.stderr.write(`[bench:load] ${signal}: stopping\n`);
    void shutdown().finally(() => process.exit(130));
  });
}
// Last resort (an exit from elsewhere): the app by its pid; the engines have their own watchdogs.
process.once('exit', () => {
  if (appChild?.pid !== undefined && appChild.exitCode === null && appChild.signalCode === null) {
    try {
      process.kill(appChild.pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
});

void main()
  .then(
    async (code) => {
      await shutdown();
      return code;
    },
    async (error: unknown) => {
      process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
      await shutdown();
      return 1;
    },
  )
  .then((code) => {
    clearTimeout(deadline);
    process.exit(code);
  });
