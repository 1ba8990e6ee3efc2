/**
 * `npm run bench`: the lead-scoring benchmarks of issue 4, on local engines, with the app as a
 * separate process (built `dist/main.js`, role all) and the load generated from this process.
 * Load figures are those of one run, the median of the repeats by p95 (at a fixed rate) or by
 * throughput (at saturation), never medians of each figure taken across runs; latency at a fixed
 * rate runs from each request's scheduled send time (see load.util.ts). They go to
 * bench/results/<date>.json, latest.json and a Markdown table on stdout. Environment: BENCH_LEADS (100000), BENCH_SECONDS (10), BENCH_REPEATS (3),
 * BENCH_PROFILE_DIR (a CPU profile of the app), BENCH_APP_NODE_FLAGS (Node flags for the app), BENCH_LOG_LEVEL (the app's LOG_LEVEL, default log),
 * BENCH_TRACING=1 (the app traces, exporting OTLP to a local sink that discards the spans),
 * BENCH_INGEST_BATCHES (10: calls of 1,000 events per ingestion round and acknowledgement, one round per repeat),
 * BENCH_ONLY=saturation (only the `leads` runs at saturation, ours then bare: no 200 RPS runs,
 * delivery, batch rescoring or batch-score), BENCH_ONLY=batch (only batch rescoring against raw
 * bulkWrite) or BENCH_ONLY=ingestion (only ingestion against raw insertMany): figures on stdout,
 * bench/results left as they are.
 * With BENCH_PROFILE_DIR, bench-windows.json there gives the time span of each load run and batch
 * rescoring against the app, for `bench/profile-summary.ts --label saturated` (or `batch`, `ingestion`).
 */
import { ChildProcess, spawn } from 'node:child_process';
import { mkdirSync, openSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';

import { createClient } from 'graphql-ws';
import Redis from 'ioredis';
import mongoose from 'mongoose';
import WebSocket from 'ws';

import { loadConfig } from '../src/config/load-config';
import { leadRefFor } from '../src/leads/lead-snapshot.util';
import { rankingKeys } from '../src/scoring/ranking/ranking-keys';

import { BATCH_SCORE_SIZE, timeBatchScore } from './batch-score.util';
import { INGEST_BATCH, timeIngestion } from './ingestion.util';
import {
  benchAppEnv,
  benchGql,
  compactEngineHeap,
  registerBenchTenant,
  seedLeads,
  sizeBenchEngineHeap,
  waitForHealth,
} from './bench-setup.util';
import { findFreePort, waitForOutput } from '../src/local-engines/child-process.util';
import { startLocalEngines } from '../src/local-engines/local-engines';
import { scoreEngagement } from '../src/scoring/scorer/score-engagement.util';
import { closedLoop, FAILURE_KINDS, LoadResult, openLoop } from './load.util';
import { OtlpSink, startOtlpSink } from './otlp-sink.util';
import { processCpuMs, withProcessCpu } from './process-cpu.util';
import { ProfileWindows } from './profile-windows.util';
import { stageMsPer1k, stageSecondsOf } from './stage-metrics.util';
import { Delivery, median, medianRun, round, summarize, summarizeDeliveries } from './stats.util';

// Compiled to .data/bench-build/bench/ (or BENCH_BUILD_DIR, a folder in .data/): the project is
// three folders up.
const ROOT = resolve(__dirname, '..', '..', '..');
/** The app's log (its stdout) of the last run, for what the figures do not say: errors, slow commands. */
const APP_LOG = join(ROOT, '.data', 'bench-logs', 'run-bench-app.log');
const LEADS = Number(process.env.BENCH_LEADS ?? 100_000);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const REPEATS = Number(process.env.BENCH_REPEATS ?? 3);
const TRACING = process.env.BENCH_TRACING === '1';
const ONLY = process.env.BENCH_ONLY;
if (ONLY !== undefined && !['saturation', 'batch', 'ingestion'].includes(ONLY)) {
  throw new Error(`BENCH_ONLY=${ONLY}: only "saturation", "batch" and "ingestion" are known`);
}
const SATURATION_ONLY = ONLY === 'saturation';
/** Parts a BENCH_ONLY run skips: the load runs, delivery, batch rescoring, batch-score. */
const LOAD_RUNS = ONLY === undefined || SATURATION_ONLY;
const FULL = ONLY === undefined;
/** The monotonic clock in microseconds, as V8 stamps a CPU profile's samples (in any process). */
const RATE = 200;
const SATURATION_CONCURRENCY = 32;
const CHUNK = 1000;
const LIVE_EVENTS = 200;
const DELIVERY_WAIT_MS = 5_000;
const BATCH_SCORE_RUNS = 30;
/** BENCH_APP_NODE_FLAGS: Node flags for the app (e.g. `--max-semi-space-size=32`), space-separated. */
const APP_NODE_FLAGS = (process.env.BENCH_APP_NODE_FLAGS ?? '').split(' ').filter(Boolean);
/** recordInteractions calls of INGEST_BATCH events per ingestion round (BENCH_INGEST_BATCHES). */
const INGEST_BATCHES = Number(process.env.BENCH_INGEST_BATCHES ?? 10);
const LEADS_QUERY = JSON.stringify({
  query: '{ leads(limit: 50) { total items { id leadId name score tier } } }',
});

function log(message: string): void {
  process.stdout.write(`[bench] ${message}\n`);
}

async function spawnReady(
  command: string,
  args: string[],
  env: NodeJS.ProcessEnv,
  ready: RegExp,
  what: string,
): Promise<{ child: ChildProcess; match: RegExpMatchArray }> {
  const child = spawn(command, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
  const match = await waitForOutput(child, ready, { timeoutMs: 60_000, what });
  child.stdout?.resume();
  child.stderr?.resume();
  return { child, match };
}

/**
 * One run's figures: percentiles of its successful requests, its throughput and its failures;
 * with `cpuMs` (the server's CPU time over the run), its CPU time per successful request.
 */
function loadFigures(result: LoadResult, cpuMs?: number) {
  const s = summarize(result.latenciesMs);
  return {
    p50: s.p50,
    p95: s.p95,
    p99: s.p99,
    /** Successful requests per second. */
    rps: result.successesPerSecond,
    sent: result.sent,
    succeeded: result.succeeded,
    errors: result.failed,
    failures: result.failures,
    maxSendLagMs: result.maxSendLagMs,
    /** The server process's CPU ms (user + system) per successful request, where /proc exists. */
    cpuMsPerRequest:
      cpuMs === undefined ? undefined : round(cpuMs / Math.max(1, result.succeeded), 3),
    timeline: result.timeline,
  };
}
type LoadFigures = ReturnType<typeof loadFigures>;

/** The reported run (the median by `key`), its index and every run's figures. */
function pickRun(runs: LoadFigures[], key: 'p95' | 'rps') {
  const { index, run } = medianRun(runs, key);
  return { ...run, run: index + 1, medianBy: key, runs };
}

/** Medians over the runs of each server's CPU ms per request, when measured. */
function cpuPerRequest(ours: LoadFigures[], bare: LoadFigures[]) {
  const of = (runs: LoadFigures[]) => runs.map((run) => run.cpuMsPerRequest ?? NaN);
  const figures = { ours: round(median(of(ours)), 3), bare: round(median(of(bare)), 3) };
  return Number.isFinite(figures.ours) && Number.isFinite(figures.bare) ? figures : undefined;
}

function failureText(f: LoadFigures): string {
  const kinds = FAILURE_KINDS.filter((kind) => f.failures[kind] > 0).map(
    (kind) => `${f.failures[kind]} ${kind}`,
  );
  return kinds.length > 0 ? `${f.errors} failed: ${kinds.join(', ')}` : '0 failed';
}

async function main(): Promise<void> {
  const config = loadConfig({
    ...process.env,
    NODE_ENV: 'test',
    MONGODB_URI: process.env.MONGODB_URI,
    REDIS_URL: process.env.REDIS_URL,
  });
  const heap = sizeBenchEngineHeap();
  if (heap) log(`mongo-java-server heap: ${heap} (JAVA_TOOL_OPTIONS=-Xmx… sets another)`);
  const engines = await startLocalEngines({ config, persistent: false, env: process.env });
  engines.descriptions.forEach((line) => log(line));
  const children: ChildProcess[] = [];
  let otlpSink: OtlpSink | undefined;
  try {
    if (TRACING) {
      otlpSink = await startOtlpSink();
      log(`tracing on: spans exported over OTLP to ${otlpSink.url}, discarded there`);
    }
    const mongoUri = `${engines.mongoUri}/bench_${Date.now()}`;
    const port = await findFreePort();
    // BENCH_PROFILE_DIR: a V8 CPU profile of the app, written there when it stops.
    const profileDir = process.env.BENCH_PROFILE_DIR
      ? resolve(process.env.BENCH_PROFILE_DIR)
      : undefined;
    const profile = [
      ...APP_NODE_FLAGS,
      ...(profileDir ? ['--cpu-prof', '--cpu-prof-dir', profileDir] : []),
    ];
    /** The load runs against the app, for reading its profile of them alone. */
    const windows = new ProfileWindows();
    const timed = <T>(label: string, run: () => Promise<T>): Promise<T> =>
      windows.timed(label, run);
    // The app as compiled with this bench (src/ beside bench/ in its build), not dist/: another
    // `npm run build` in the same checkout may replace dist/ while this runs.
    mkdirSync(dirname(APP_LOG), { recursive: true });
    const appChild = spawn(
      process.execPath,
      [...profile, join(__dirname, '..', 'src', 'main.js')],
      {
        env: {
          ...benchAppEnv({ port, mongoUri, redisUrl: engines.redisUrl }),
          ...(otlpSink ? { OTEL_EXPORTER_OTLP_ENDPOINT: otlpSink.url } : {}),
        },
        stdio: ['ignore', openSync(APP_LOG, 'w'), 'inherit'],
      },
    );
    children.push(appChild);
    const url = `http://127.0.0.1:${port}`;
    await waitForHealth(url, appChild);
    log(`app ready at ${url}`);

    const { token, tenantId } = await registerBenchTenant(url, 'Bench');

    // Seeding through the API, as a customer's import would.
    const seedSeconds = await seedLeads({
      url,
      token,
      count: LEADS,
      chunk: CHUNK,
      onProgress: (seeded) => {
        if ((seeded / CHUNK) % 10 === 1 || seeded === CHUNK)
          log(`seeded ${seeded} / ${LEADS} leads`);
      },
    });
    log(`seeded ${LEADS} leads with one interaction each in ${round(seedSeconds, 1)} s`);

    // The tenant's ranking index: the first read finds it incomplete and asks a worker to build it.
    const redis = new Redis(engines.redisUrl);
    const indexStarted = performance.now();
    await benchGql(url, '{ leads(limit: 1) { total } }', {}, token);
    while ((await redis.exists(rankingKeys(`bench:ranking:{${tenantId}}`).ready)) !== 1) {
      if (performance.now() - indexStarted > 300_000) throw new Error('ranking index not built');
      await new Promise((r) => setTimeout(r, 100));
    }
    const indexSeconds = (performance.now() - indexStarted) / 1000;
    await redis.quit();
    log(`ranking index of ${LEADS} leads built in ${round(indexSeconds, 2)} s`);

    // Scorer alone.
    const scorerRuns: number[] = [];
    const params = {
      weights: [0.4, 0.35, 0.25] as const,
      caps: [10, 20, 600] as const,
      halfLifeDays: 7,
    };
    const nowDate = new Date();
    for (let r = 0; r < 5; r++) {
      const n = 1_000_000;
      const started = performance.now();
      let sink = 0;
      for (let k = 0; k < n; k++) {
        sink += scoreEngagement(
          {
            emailOpens: k % 13,
            websiteVisits: k % 29,
            timeSpentSeconds: k % 700,
            lastActivityAt: new Date(nowDate.getTime() - (k % 40) * 3_600_000),
          },
          params,
          nowDate,
        ).score;
      }
      scorerRuns.push(n / ((performance.now() - started) / 1000));
      if (sink < 0) log('impossible');
    }

    // The bare graphql-js baseline on the same data.
    const bare = await spawnReady(
      process.execPath,
      [join(__dirname, 'bare-graphql-server.js'), tenantId, engines.redisUrl, 'bench'],
      process.env,
      /READY port=(\d+)/,
      'bare server',
    );
    children.push(bare.child);
    const bareUrl = `http://127.0.0.1:${bare.match[1]}/graphql`;
    const auth = { authorization: `Bearer ${token}` };

    // A page counts as a success only if it is full (both servers read the same index).
    const pageSize = Math.min(50, LEADS);
    const fullPage = (data: unknown): boolean =>
      (data as { leads?: { items?: unknown[] } }).leads?.items?.length === pageSize;

    // Warm-up, then the measured runs.
    await closedLoop(`${url}/graphql`, LEADS_QUERY, auth, 4, 2, fullPage);
    await closedLoop(bareUrl, LEADS_QUERY, {}, 4, 2, fullPage);
    const oursAtRate: LoadFigures[] = [],
      bareAtRate: LoadFigures[] = [],
      oursSaturated: LoadFigures[] = [],
      bareSaturated: LoadFigures[] = [];
    const describeRun = (f: LoadFigures) =>
      `p50/p95/p99 ${round(f.p50, 1)}/${round(f.p95, 1)}/${round(f.p99, 1)} ms, ${round(f.rps)} ok/s, ${failureText(f)}, max send lag ${round(f.maxSendLagMs, 1)} ms${f.cpuMsPerRequest === undefined ? '' : `, server CPU ${f.cpuMsPerRequest} ms/request`}`;
    for (let r = 0; r < (LOAD_RUNS ? REPEATS : 0); r++) {
      if (!SATURATION_ONLY) {
        oursAtRate.push(
          loadFigures(
            await timed(`ours at ${RATE} RPS, run ${r + 1}`, () =>
              openLoop(`${url}/graphql`, LEADS_QUERY, auth, RATE, SECONDS, fullPage),
            ),
          ),
        );
        bareAtRate.push(
          loadFigures(await openLoop(bareUrl, LEADS_QUERY, {}, RATE, SECONDS, fullPage)),
        );
      }
      const ours = await withProcessCpu(appChild.pid, () =>
        timed(`ours saturated, run ${r + 1}`, () =>
          closedLoop(
            `${url}/graphql`,
            LEADS_QUERY,
            auth,
            SATURATION_CONCURRENCY,
            SECONDS,
            fullPage,
          ),
        ),
      );
      oursSaturated.push(loadFigures(ours.result, ours.cpuMs));
      const theirs = await withProcessCpu(bare.child.pid, () =>
        closedLoop(bareUrl, LEADS_QUERY, {}, SATURATION_CONCURRENCY, SECONDS, fullPage),
      );
      bareSaturated.push(loadFigures(theirs.result, theirs.cpuMs));
      log(`load run ${r + 1}/${REPEATS} done`);
      if (!SATURATION_ONLY) {
        log(`  ours at ${RATE} RPS: ${describeRun(oursAtRate[r])}`);
        log(
          `    p95 per second: ${oursAtRate[r].timeline.map((t) => round(t.p95 ?? NaN, 0)).join(' ')} ms`,
        );
        log(
          `    send lag per second: ${oursAtRate[r].timeline.map((t) => round(t.maxSendLagMs, 0)).join(' ')} ms`,
        );
        log(`  bare at ${RATE} RPS: ${describeRun(bareAtRate[r])}`);
      }
      log(`  ours saturated: ${describeRun(oursSaturated[r])}`);
      log(`  bare saturated: ${describeRun(bareSaturated[r])}`);
    }
    const saveWindows = (): void => windows.save(profileDir);
    saveWindows();
    if (SATURATION_ONLY) {
      const oursSat = pickRun(oursSaturated, 'rps');
      const baseSat = pickRun(bareSaturated, 'rps');
      const ratios = oursSaturated.map((run, r) => round(run.rps / bareSaturated[r].rps));
      const cpu = cpuPerRequest(oursSaturated, bareSaturated);
      process.stdout.write(
        [
          '',
          `| leads query at saturation (${SATURATION_CONCURRENCY} clients, ${LEADS.toLocaleString('en')} leads, ${REPEATS} runs of ${SECONDS} s): ok req/s, p95 | ours | bare |`,
          '|---|---|---|',
          `| the median run by req/s | ${round(oursSat.rps)} req/s, ${round(oursSat.p95, 1)} ms (${failureText(oursSat)}) | ${round(baseSat.rps)} req/s, ${round(baseSat.p95, 1)} ms (${failureText(baseSat)}) |`,
          `| ratio ours / bare: of the medians, of each run's pair | ${round(oursSat.rps / baseSat.rps)} | ${ratios.join(', ')} |`,
          ...(cpu
            ? [`| server CPU per request, median of the runs | ${cpu.ours} ms | ${cpu.bare} ms |`]
            : []),
          '',
        ].join('\n'),
      );
      return;
    }

    // Interaction -> leadScoreChanged delivery: one interaction at a time, each on its own lead,
    // timed from the mutation's send to its event's arrival. An event that has not arrived within
    // DELIVERY_WAIT_MS counts as undelivered (and as late if it arrives afterwards).
    const liveLeads = Array.from({ length: LIVE_EVENTS }, (_, k) => `B-${(k * 7919) % LEADS}`);
    const measured = new Set(liveLeads);
    let sentinelIndex = LEADS - 1;
    while (sentinelIndex > 0 && measured.has(`B-${sentinelIndex}`)) sentinelIndex -= 1;
    const sentinelLead = `B-${sentinelIndex}`;
    const deliveries: Delivery[] = [];
    const expired = new Set<string>();
    let lateArrivals = 0;
    let subscribed = false;
    if (FULL) {
      const client = createClient({
        url: `ws://127.0.0.1:${port}/graphql`,
        webSocketImpl: WebSocket,
        connectionParams: auth,
      });
      const waiting = new Map<string, (at: number) => void>();
      const dispose = client.subscribe<{ leadScoreChanged: { leadId: string } }>(
        { query: 'subscription { leadScoreChanged { leadId score } }' },
        {
          next: (value) => {
            const at = performance.now();
            const leadId = value.data?.leadScoreChanged.leadId ?? '';
            const resolveAt = waiting.get(leadId);
            if (resolveAt) resolveAt(at);
            else if (expired.delete(leadId)) lateArrivals += 1;
          },
          error: () => undefined,
          complete: () => undefined,
        },
      );
      const record = (leadId: string, key: string) =>
        benchGql(
          url,
          'mutation($input: RecordInteractionsInput!) { recordInteractions(input: $input) { accepted } }',
          {
            input: {
              interactions: [
                {
                  leadId,
                  type: 'WEBSITE_VISIT',
                  secondsSpent: 600,
                  occurredAt: new Date().toISOString(),
                  idempotencyKey: key,
                },
              ],
            },
          },
          token,
        );
      /** Sends one interaction and waits for its lead's event: its delay, or NaN. */
      const deliver = async (leadId: string, key: string, waitMs: number): Promise<number> => {
        const arrived = new Promise<number>((resolveAt) => waiting.set(leadId, resolveAt));
        let timer: NodeJS.Timeout | undefined;
        try {
          const sent = performance.now();
          await record(leadId, key);
          const at = await Promise.race([
            arrived,
            new Promise<number>((r) => (timer = setTimeout(() => r(NaN), waitMs))),
          ]);
          return at - sent;
        } finally {
          clearTimeout(timer);
          waiting.delete(leadId);
        }
      };
      // The subscription is live once an event on a lead outside the measured ones arrives.
      for (let attempt = 0; attempt < 20 && !subscribed; attempt++) {
        subscribed = !Number.isNaN(await deliver(sentinelLead, `live-sentinel-${attempt}`, 500));
      }
      if (!subscribed) log('no sentinel event arrived within 10 s: measuring anyway');
      for (let k = 0; k < LIVE_EVENTS; k++) {
        const leadId = liveLeads[k];
        try {
          const ms = await deliver(leadId, `live-${k}`, DELIVERY_WAIT_MS);
          if (Number.isNaN(ms)) {
            deliveries.push('undelivered');
            expired.add(leadId);
          } else deliveries.push({ ms });
        } catch {
          deliveries.push('send-failed');
        }
      }
      // Late arrivals of the last few: one more wait before closing.
      if (expired.size > 0) await new Promise((r) => setTimeout(r, DELIVERY_WAIT_MS));
      dispose();
      await client.dispose();
    }

    // Batch rescoring against a raw driver bulkWrite of the same documents, interleaved so that
    // drift on the machine touches both; medians of the repeats.
    const runBatchJob = async (): Promise<{ rate: number; processed: number; status: string }> => {
      const job = await benchGql<{ rescoreLeads: { id: string } }>(
        url,
        'mutation { rescoreLeads { id } }',
        {},
        token,
      );
      for (;;) {
        const { scoringJob: state } = await benchGql<{
          scoringJob: { status: string; processed: number; startedAt: string; finishedAt: string };
        }>(
          url,
          'query($id: ID!) { scoringJob(jobId: $id) { status processed startedAt finishedAt } }',
          { id: job.rescoreLeads.id },
          token,
        );
        if (state.status === 'COMPLETED' || state.status === 'FAILED') {
          const seconds =
            (new Date(state.finishedAt).getTime() - new Date(state.startedAt).getTime()) / 1000;
          return {
            rate: state.processed / seconds,
            processed: state.processed,
            status: state.status,
          };
        }
        await new Promise((r) => setTimeout(r, 200));
      }
    };
    const connection = await mongoose.createConnection(mongoUri).asPromise();
    const collection = connection.db!.collection('leadScores');
    const rawBulkWrite = async (): Promise<number> => {
      const docs = await collection
        .find({ tenantId: new mongoose.Types.ObjectId(tenantId) })
        .toArray();
      const started = performance.now();
      for (let i = 0; i < docs.length; i += CHUNK) {
        await collection.bulkWrite(
          docs.slice(i, i + CHUNK).map((doc) => ({
            replaceOne: {
              filter: { _id: doc._id },
              replacement: { ...doc, computedAt: new Date() },
              upsert: true,
            },
          })),
          { ordered: false },
        );
      }
      return docs.length / ((performance.now() - started) / 1000);
    };
    const batchRuns: { rate: number; processed: number; status: string }[] = [];
    const rawRuns: number[] = [];
    // CPU ms per 1,000 leads of each run: the app's, the engine's (its GC threads included) and
    // Redis's, steadier than the rates on a machine whose two cores the three share.
    const batchCpu: { app?: number; engine?: number; rawEngine?: number; redis?: number }[] = [];
    // Each run's wall ms per 1,000 leads in each scoring stage (the app's stage histograms).
    const batchStages: Record<string, number>[] = [];
    const per1k = (ms: number | undefined, leads: number) =>
      ms === undefined ? undefined : round((ms / leads) * 1000, 1);
    // Each run of a pair starts from a compacted engine heap (compactEngineHeap), outside the
    // timings and CPU figures.
    const compact = async (): Promise<void> => {
      const started = performance.now();
      if (!compactEngineHeap(engines.mongo?.pid)) return;
      log(`engine heap compacted in ${Math.round(performance.now() - started)} ms`);
      // This process stood still meanwhile (jcmd runs synchronously): a kept-alive socket the app
      // closed in that time (after 5 s idle) is seen closed only once the event loop turns, and
      // the next request sent on it fails ("fetch failed" after a 4.8 s compaction, 2026-12-06).
      await new Promise((resolve) => setTimeout(resolve, 50));
    };
    const batchRepeats = FULL || ONLY === 'batch' ? REPEATS : 0;
    // A warm-up pair first, outside the figures (as the load runs have theirs). The first
    // rescoring after seeding used to be the slowest run of every bench: on 464f22a its app and
    // engine spent 127 and 122 ms of CPU per 1,000 leads against 70–74 and 82–86 on the two runs
    // after it (its code paths' first optimisation, heaps full of the seeding's garbage), and
    // raw's first bulkWrite was as often the slowest of its own. Its window is labelled without
    // "batch", so `profile-summary --label batch` reads the measured runs only.
    let batchWarmup: { leadsPerSecond: number; rawBulkWritePerSecond: number } | undefined;
    if (batchRepeats > 0) {
      await compact();
      const warm = await timed('warm-up rescoring', runBatchJob);
      await compact();
      const rawWarm = await rawBulkWrite();
      batchWarmup = {
        leadsPerSecond: Math.round(warm.rate),
        rawBulkWritePerSecond: Math.round(rawWarm),
      };
      log(
        `batch warm-up, not counted: ${batchWarmup.leadsPerSecond} leads/s, raw ${batchWarmup.rawBulkWritePerSecond} docs/s`,
      );
    }
    for (let r = 0; r < batchRepeats; r++) {
      await compact();
      const engineBefore = processCpuMs(engines.mongo?.pid);
      const redisBefore = processCpuMs(engines.redis?.pid);
      const stagesBefore = await stageSecondsOf(url);
      const job = await withProcessCpu(appChild.pid, () =>
        timed(`batch rescoring, run ${r + 1}`, runBatchJob),
      );
      const engineAfter = processCpuMs(engines.mongo?.pid);
      const redisAfter = processCpuMs(engines.redis?.pid);
      const stages = stageMsPer1k(stagesBefore, await stageSecondsOf(url), job.result.processed);
      batchStages.push(Object.fromEntries(stages));
      batchRuns.push(job.result);
      await compact();
      const raw = await withProcessCpu(engines.mongo?.pid, rawBulkWrite);
      rawRuns.push(raw.result);
      batchCpu.push({
        app: per1k(job.cpuMs, job.result.processed),
        engine:
          engineBefore === undefined || engineAfter === undefined
            ? undefined
            : per1k(engineAfter - engineBefore, job.result.processed),
        rawEngine: per1k(raw.cpuMs, job.result.processed),
        redis:
          redisBefore === undefined || redisAfter === undefined
            ? undefined
            : per1k(redisAfter - redisBefore, job.result.processed),
      });
      log(
        `batch run ${r + 1}/${REPEATS}: ${Math.round(batchRuns[r].rate)} leads/s, raw ${Math.round(rawRuns[r])} docs/s; CPU ms per 1,000: app ${batchCpu[r].app}, engine ${batchCpu[r].engine}, Redis ${batchCpu[r].redis}, raw's engine ${batchCpu[r].rawEngine}; wall ms per 1,000 by stage (two chunks overlap): ${stages.map(([stage, ms]) => `${stage} ${ms}`).join(', ')}`,
      );
    }
    saveWindows();
    if (ONLY === 'batch') {
      await connection.close();
      process.stdout.write(
        `\n| batch rescoring (${LEADS.toLocaleString('en')} leads, ${REPEATS} runs) | leads/s | raw bulkWrite docs/s | ratio | CPU ms per 1,000: app / engine / raw's engine |\n|---|---|---|---|---|\n` +
          batchRuns
            .map(
              (run, r) =>
                `| run ${r + 1} | ${Math.round(run.rate)} | ${Math.round(rawRuns[r])} | ${round(run.rate / rawRuns[r])} | ${batchCpu[r].app} / ${batchCpu[r].engine} / ${batchCpu[r].rawEngine} |\n`,
            )
            .join('') +
          `| median | ${Math.round(median(batchRuns.map((run) => run.rate)))} | ${Math.round(median(rawRuns))} | ${round(median(batchRuns.map((run) => run.rate)) / median(rawRuns))} | ${median(batchCpu.map((c) => c.app ?? NaN))} / ${median(batchCpu.map((c) => c.engine ?? NaN))} / ${median(batchCpu.map((c) => c.rawEngine ?? NaN))} |\n`,
      );
      return;
    }

    // REST batch-score of 100 leads, one call at a time: on fresh scores (one read), then on
    // scores made stale first (each one recomputed and written within the refresh budget).
    const leadIdsFrom = (first: number) => (run: number) =>
      Array.from(
        { length: BATCH_SCORE_SIZE },
        (_, j) => `B-${(first + run * BATCH_SCORE_SIZE + j) % LEADS}`,
      );
    const ageScores = async (leadIds: string[]) => {
      await collection.updateMany(
        { _id: { $in: leadIds.map((leadId) => leadRefFor(tenantId, leadId)) } },
        { $set: { computedAt: new Date(Date.now() - 86_400_000) } },
      );
    };
    await timeBatchScore({ url, token, runs: 3, leadIdsOf: leadIdsFrom(0) });
    const batchScore = {
      leads: BATCH_SCORE_SIZE,
      fresh: await timeBatchScore({
        url,
        token,
        runs: BATCH_SCORE_RUNS,
        leadIdsOf: leadIdsFrom(0),
      }),
      stale: await timeBatchScore({
        url,
        token,
        runs: BATCH_SCORE_RUNS,
        leadIdsOf: leadIdsFrom(Math.floor(LEADS / 2)),
        prepare: ageScores,
      }),
    };
    log(
      `batch-score of ${BATCH_SCORE_SIZE}: fresh p50/p95 ${round(batchScore.fresh.p50, 1)}/${round(batchScore.fresh.p95, 1)} ms, stale ${round(batchScore.stale.p50, 1)}/${round(batchScore.stale.p95, 1)} ms`,
    );
    // Ingestion: recordInteractions in batches of 1,000 events for leads that exist, against a
    // raw insertMany of the same event documents on the same engine (issue 16), interleaved.
    // Profile windows per step (`--label "ingestion, LOGGED calls"`, "APPLIED calls", "LOGGED
    // apply", "raw"; `--label ingestion` all of them).
    const ingestion = await timeIngestion({
      timed,
      url,
      token,
      tenantId,
      db: connection.db!,
      leadIds: Array.from({ length: LEADS }, (_, i) => `B-${i}`),
      rounds: REPEATS,
      batches: INGEST_BATCHES,
    });
    saveWindows();
    log(
      `ingestion: ${Math.round(ingestion.eventsPerSecond)} events/s acknowledged LOGGED, applied ${Math.round(ingestion.appliedEventsPerSecond)}, APPLIED ${Math.round(ingestion.syncEventsPerSecond)}; raw insertMany ${Math.round(ingestion.rawEventsPerSecond)} events/s (runs ${ingestion.runs.map(Math.round).join(', ')} / ${ingestion.appliedRuns.map(Math.round).join(', ')} / ${ingestion.syncRuns.map(Math.round).join(', ')} / ${ingestion.rawRuns.map(Math.round).join(', ')})`,
    );
    await connection.close();
    if (ONLY === 'ingestion') {
      process.stdout.write(
        `\n| ingestion (${INGEST_BATCH} events a call, median of ${REPEATS} rounds) | events/s | / raw insertMany |\n|---|---|---|\n| acknowledged LOGGED | ${Math.round(ingestion.eventsPerSecond)} | ${round(ingestion.ratio)} |\n| LOGGED, until applied | ${Math.round(ingestion.appliedEventsPerSecond)} | ${round(ingestion.appliedRatio)} |\n| acknowledged APPLIED | ${Math.round(ingestion.syncEventsPerSecond)} | ${round(ingestion.syncRatio)} |\n| raw insertMany | ${Math.round(ingestion.rawEventsPerSecond)} | 1 |\n`,
      );
      return;
    }
    const batchRate = median(batchRuns.map((run) => run.rate));
    const rawRate = median(rawRuns);
    const finished = {
      processed: batchRuns[0].processed,
      status: batchRuns.every((run) => run.status === 'COMPLETED') ? 'COMPLETED' : 'FAILED',
    };

    const ours = pickRun(oursAtRate, 'p95');
    const base = pickRun(bareAtRate, 'p95');
    const oursSat = pickRun(oursSaturated, 'rps');
    const baseSat = pickRun(bareSaturated, 'rps');
    const saturationCpu = cpuPerRequest(oursSaturated, bareSaturated);
    const delivery = summarizeDeliveries(deliveries);
    const results = {
      date: new Date().toISOString(),
      machine: { node: process.version, cpus: (await import('node:os')).cpus().length },
      engines: engines.descriptions,
      leads: LEADS,
      seconds: SECONDS,
      repeats: REPEATS,
      tracing: otlpSink ? { on: true, otlpExports: otlpSink.stats() } : { on: false },
      seedSeconds: round(seedSeconds, 1),
      rankingIndexBuildSeconds: round(indexSeconds, 2),
      leadsQuery: {
        latencyFrom: 'scheduled send time (open loop)',
        at200rps: { ours, bare: base, p95Ratio: round(ours.p95 / base.p95) },
        saturation: {
          concurrency: SATURATION_CONCURRENCY,
          ours: oursSat,
          bare: baseSat,
          rpsRatio: round(oursSat.rps / baseSat.rps),
          cpuMsPerRequest: saturationCpu,
        },
      },
      interactionToSubscriber: {
        n: delivery.delivered,
        ...delivery,
        lateArrivals,
        waitMs: DELIVERY_WAIT_MS,
        subscribed,
      },
      batchRescoring: {
        leads: finished.processed,
        status: finished.status,
        leadsPerSecond: batchRate,
        rawBulkWritePerSecond: rawRate,
        ratio: round(batchRate / rawRate),
        runs: batchRuns.map((run) => Math.round(run.rate)),
        rawRuns: rawRuns.map(Math.round),
        cpuMsPer1k: batchCpu,
        stageMsPer1k: batchStages,
        warmup: batchWarmup,
      },
      ingestion: {
        batch: INGEST_BATCH,
        eventsPerRound: ingestion.eventsPerRound,
        eventsPerSecond: ingestion.eventsPerSecond,
        appliedEventsPerSecond: ingestion.appliedEventsPerSecond,
        syncEventsPerSecond: ingestion.syncEventsPerSecond,
        rawInsertManyPerSecond: ingestion.rawEventsPerSecond,
        ratio: round(ingestion.ratio),
        appliedRatio: round(ingestion.appliedRatio),
        syncRatio: round(ingestion.syncRatio),
        runs: ingestion.runs.map(Math.round),
        appliedRuns: ingestion.appliedRuns.map(Math.round),
        syncRuns: ingestion.syncRuns.map(Math.round),
        rawRuns: ingestion.rawRuns.map(Math.round),
      },
      scorer: { scoresPerSecond: median(scorerRuns) },
      batchScore: { ...batchScore, runs: BATCH_SCORE_RUNS, goalMs: 200 },
    };
    const dir = join(ROOT, 'bench', 'results');
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, `${results.date.slice(0, 10)}.json`), JSON.stringify(results, null, 2));
    writeFileSync(join(dir, 'latest.json'), JSON.stringify(results, null, 2));

    const ms = (x: number) => `${round(x, 1)} ms`;
    const runOf = (f: { run: number }) => `run ${f.run} of ${REPEATS}`;
    const table = [
      `| measure (${LEADS.toLocaleString('en')} leads, ${REPEATS} runs of ${SECONDS} s${otlpSink ? ', tracing on' : ''}; each load row is one run, the median by p95 or by req/s) | result | goal |`,
      '|---|---|---|',
      `| leads query at ${RATE} RPS, from the scheduled send: p50 / p95 / p99 | ${ms(ours.p50)} / ${ms(ours.p95)} / ${ms(ours.p99)} (${runOf(ours)}; ${round(ours.rps)} ok/s of ${ours.sent} sent, ${failureText(ours)}; max send lag ${ms(ours.maxSendLagMs)}) | p95 ≤ 50 ms |`,
      `| bare graphql-js, same query and data, at ${RATE} RPS: p50 / p95 / p99 | ${ms(base.p50)} / ${ms(base.p95)} / ${ms(base.p99)} (${runOf(base)}; ${failureText(base)}) | |`,
      `| p95 ratio ours / bare | ${round(ours.p95 / base.p95)}× | |`,
      `| leads query at saturation (${SATURATION_CONCURRENCY} clients): ok req/s, p95 | ${round(oursSat.rps)} req/s, ${ms(oursSat.p95)} (${runOf(oursSat)}; ${failureText(oursSat)}) | |`,
      `| bare graphql-js at saturation: ok req/s, p95 | ${round(baseSat.rps)} req/s, ${ms(baseSat.p95)} (${runOf(baseSat)}; ${failureText(baseSat)}) | |`,
      `| saturation throughput ratio ours / bare | ${round(oursSat.rps / baseSat.rps)} | |`,
      ...(saturationCpu
        ? [
            `| server CPU per request at saturation, ours / bare (medians of the runs) | ${saturationCpu.ours} / ${saturationCpu.bare} ms | |`,
          ]
        : []),
      `| interaction → leadScoreChanged: p50 / p95 | ${ms(delivery.p50)} / ${ms(delivery.p95)} (${delivery.delivered} of ${delivery.sent} delivered within ${DELIVERY_WAIT_MS / 1000} s, ${delivery.undelivered} undelivered${lateArrivals > 0 ? ` (${lateArrivals} arrived later)` : ''}${delivery.failedSends > 0 ? `, ${delivery.failedSends} sends failed` : ''}) | p95 ≤ 30 ms |`,
      `| batch rescoring | ${Math.round(batchRate).toLocaleString('en')} leads/s | ≥ 5,000 leads/s |`,
      `| raw driver bulkWrite of the same documents | ${Math.round(rawRate).toLocaleString('en')} docs/s | |`,
      `| batch / raw bulkWrite | ${Math.round((batchRate / rawRate) * 100)} % | ≥ 70 % |`,
      `| ingestion: recordInteractions, ${INGEST_BATCH.toLocaleString('en')} events a call for existing leads, acknowledged LOGGED | ${Math.round(ingestion.eventsPerSecond).toLocaleString('en')} events/s | |`,
      `| the same calls until applied (the app's backlog empty) | ${Math.round(ingestion.appliedEventsPerSecond).toLocaleString('en')} events/s (${Math.round(ingestion.appliedRatio * 100)} % of raw) | |`,
      `| acknowledged APPLIED (answered once applied) | ${Math.round(ingestion.syncEventsPerSecond).toLocaleString('en')} events/s (${Math.round(ingestion.syncRatio * 100)} % of raw) | |`,
      `| raw driver insertMany of the same event documents | ${Math.round(ingestion.rawEventsPerSecond).toLocaleString('en')} events/s | |`,
      `| ingestion acknowledged LOGGED / raw insertMany | ${Math.round(ingestion.ratio * 100)} % | ≥ 50 % |`,
      `| scorer alone | ${Math.round(median(scorerRuns)).toLocaleString('en')} scores/s | |`,
      `| REST batch-score of ${BATCH_SCORE_SIZE} leads, fresh scores: p50 / p95 (${batchScore.fresh.n} calls) | ${ms(batchScore.fresh.p50)} / ${ms(batchScore.fresh.p95)}${batchScore.fresh.failedCalls > 0 ? `, ${batchScore.fresh.failedCalls} failed` : ''} | < 200 ms |`,
      `| REST batch-score of ${BATCH_SCORE_SIZE} stale leads, each recomputed: p50 / p95 (${batchScore.stale.n} calls) | ${ms(batchScore.stale.p50)} / ${ms(batchScore.stale.p95)} (${batchScore.stale.degradedLeads} leads served cached${batchScore.stale.failedCalls > 0 ? `, ${batchScore.stale.failedCalls} calls failed` : ''}) | < 200 ms |`,
    ].join('\n');
    process.stdout.write(`\n${table}\n\nwritten to bench/results/latest.json\n`);
  } finally {
    for (const child of children) child.kill('SIGTERM');
    await otlpSink?.close();
    await engines.stop();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
