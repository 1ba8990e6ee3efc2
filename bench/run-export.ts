/**
 * `npm run bench:export`: `GET /leads/scoring/export` of a whole tenant, CSV and NDJSON, against
 * the built app as its own process (`dist/main.js`, NODE_ENV=production, role all) on local
 * engines, with the app's RSS read from /proc/<pid>/status every 50 ms.
 *
 * 1. BENCH_LEADS leads (100,000) are seeded through the API with one interaction each (as
 *    `npm run bench` does).
 * 2. The app that seeded them is stopped and a fresh one started on the same engines (BENCH_FRESH=1,
 *    the default): the figure is then the export's, not what seeding left in the heap. With
 *    BENCH_FRESH=0 the seeding app exports.
 * 3. BENCH_REPEATS (2) rounds of one CSV and one NDJSON export, each read to its end by a client
 *    that keeps nothing but counts (rows, bytes), timed from the send.
 *
 * Results: bench/results/export-<date>.json, export-latest.json and a Markdown table on stdout.
 * Goal: the app stays under 300 MB RSS during every export. BENCH_STRICT=1: exit 3 when missed.
 */
import { ChildProcess, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { join } from 'node:path';

import { loadConfig } from '../src/config/load-config';
import { findFreePort, guardChild, stopChild } from '../src/local-engines/child-process.util';
import { startLocalEngines } from '../src/local-engines/local-engines';
import { BenchLifecycle, ROOT, setting } from './bank-import.util';
import { benchAppEnv, registerBenchTenant, seedLeads, waitForHealth } from './bench-setup.util';
import { ExportRun, spanRss, timedExport } from './export.util';
import { loadNow, machineInfo, markdownTable, writeResults } from './report.util';
import { parseVmRssKb, RssSample } from './rss.util';
import { round } from './stats.util';

const LEADS = setting('BENCH_LEADS', 100_000, 1, 1_000_000);
const REPEATS = setting('BENCH_REPEATS', 2, 1, 20);
const FRESH = process.env.BENCH_FRESH !== '0';
const STRICT = process.env.BENCH_STRICT === '1';
const MAX_MINUTES = setting('BENCH_MAX_MINUTES', 45, 1, 240);
const RSS_EVERY_MS = 50;
const RSS_GOAL_MB = 300;
const CHUNK = 1000;

function log(message: string): void {
  process.stdout.write(`[bench:export] ${message}\n`);
}

interface RssRecorder {
  readonly samples: RssSample[];
  mark(): number;
  stop(): void;
}

function recordRss(pid: number): RssRecorder {
  const origin = performance.now();
  const samples: RssSample[] = [];
  const mark = (): number => {
    let kb: number | null = null;
    try {
      kb = parseVmRssKb(readFileSync(`/proc/${pid}/status`, 'utf8'));
    } catch {
      // gone, or no /proc
    }
    const atMs = performance.now() - origin;
    samples.push({ atMs, kb });
    return atMs;
  };
  mark();
  const timer = setInterval(mark, RSS_EVERY_MS);
  return { samples, mark, stop: () => clearInterval(timer) };
}

const life = new BenchLifecycle('bench:export');

async function startApp(env: NodeJS.ProcessEnv): Promise<{ child: ChildProcess; pid: number }> {
  const child = spawn(process.execPath, [join(ROOT, 'dist', 'main.js')], {
    env,
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  if (child.pid === undefined) throw new Error('the app did not start');
  life.appPid = child.pid;
  guardChild(child.pid);
  await waitForHealth(`http://127.0.0.1:${env.PORT}`, child);
  return { child, pid: child.pid };
}

async function main(): Promise<number> {
  const runStart = performance.now();
  const loadBefore = loadNow();
  log(`load average before: ${loadBefore.join(' ')} (${cpus().length} cpus)`);
  const engines = await startLocalEngines({
    config: loadConfig({ ...process.env, NODE_ENV: 'test' }),
    persistent: false,
    env: process.env,
  });
  life.onStop(() => engines.stop());
  engines.descriptions.forEach((line) => log(line));
  const port = await findFreePort();
  const env = benchAppEnv({
    port,
    mongoUri: `${engines.mongoUri}/bench_export_${Date.now()}`,
    redisUrl: engines.redisUrl,
  });
  const url = `http://127.0.0.1:${port}`;

  let app = await startApp(env);
  life.onStop(() => stopChild(app.child, 5_000));
  const { token } = await registerBenchTenant(url, 'Export');
  const seedSeconds = await seedLeads({
    url,
    token,
    count: LEADS,
    chunk: CHUNK,
    onProgress: (seeded) => {
      if (seeded % 10_000 === 0 || seeded === LEADS) log(`seeded ${seeded} / ${LEADS} leads`);
    },
  });
  log(`seeded ${LEADS} leads with one interaction each in ${round(seedSeconds, 1)} s`);
  const seedingRssMb = (() => {
    try {
      return (parseVmRssKb(readFileSync(`/proc/${app.pid}/status`, 'utf8')) ?? 0) / 1024;
    } catch {
      return null;
    }
  })();

  if (FRESH) {
    await stopChild(app.child, 10_000);
    app = await startApp(env);
    log(
      `fresh app started (pid ${app.pid}); the seeding one ended at ${round(seedingRssMb ?? NaN, 1)} MB`,
    );
  }
  const rss = recordRss(app.pid);
  life.onStop(() => rss.stop());
  // Settle: the fresh process's first seconds (connections, index checks) out of the figure.
  await new Promise((r) => setTimeout(r, 2_000));
  const idleMb = spanRss(rss.samples, rss.mark(), Infinity).beforeMb;

  const runs: (ExportRun & { rss: ReturnType<typeof spanRss> })[] = [];
  for (let round_ = 0; round_ < REPEATS; round_++) {
    for (const format of ['csv', 'ndjson'] as const) {
      const startMs = rss.mark();
      const run = await timedExport({ url, token, format });
      const endMs = rss.mark();
      const figures = { ...run, rss: spanRss(rss.samples, startMs, endMs) };
      runs.push(figures);
      log(
        `${format} ${round_ + 1}/${REPEATS}: ${run.rows} rows, ${round(run.bytes / 1024 / 1024, 1)} MB in ${round(run.seconds, 2)} s (${Math.round(run.rowsPerSecond)} rows/s, first byte ${Math.round(run.firstByteMs)} ms), RSS ${round(figures.rss.beforeMb ?? NaN, 1)} → max ${round(figures.rss.maxMb ?? NaN, 1)} MB`,
      );
    }
  }
  rss.stop();

  const anomalies = runs
    .filter((run) => run.status !== 200 || run.rows !== LEADS)
    .map((run) => `${run.format}: status ${run.status}, ${run.rows} rows (expected ${LEADS})`);
  anomalies.forEach((text) => log(`ANOMALY: ${text}`));
  const peakMb = Math.max(...runs.map((run) => run.rss.maxMb ?? Infinity));
  const met = Number.isFinite(peakMb) && peakMb < RSS_GOAL_MB;
  const results = {
    date: new Date().toISOString(),
    machine: machineInfo(loadBefore),
    engines: engines.descriptions,
    settings: { leads: LEADS, repeats: REPEATS, fresh: FRESH, rssEveryMs: RSS_EVERY_MS },
    seed: { seconds: round(seedSeconds, 1), appRssAfterMb: seedingRssMb && round(seedingRssMb, 1) },
    idleRssMb: idleMb && round(idleMb, 1),
    runs: runs.map((run) => ({
      ...run,
      seconds: round(run.seconds, 3),
      rowsPerSecond: Math.round(run.rowsPerSecond),
      mbPerSecond: round(run.mbPerSecond, 2),
      firstByteMs: Math.round(run.firstByteMs),
      rss: {
        beforeMb: run.rss.beforeMb && round(run.rss.beforeMb, 1),
        maxMb: run.rss.maxMb && round(run.rss.maxMb, 1),
        samples: run.rss.samples,
      },
    })),
    goal: {
      measure: 'app RSS max during any export',
      value: round(peakMb, 1),
      goal: `< ${RSS_GOAL_MB} MB`,
      met,
    },
    anomalies,
    totalSeconds: round((performance.now() - runStart) / 1000, 1),
  };
  writeResults(join(ROOT, 'bench', 'results'), 'export', results);
  const { loadAfter } = results.machine;
  process.stdout.write(
    `\n${markdownTable(
      [
        `export (${LEADS.toLocaleString('en')} leads; ${FRESH ? 'fresh app' : 'the seeding app'}; load ${loadBefore[0]} → ${loadAfter[0]} on ${cpus().length} cpus)`,
        'rows/s',
        'duration',
        'bytes',
        'first byte',
        'app RSS before → max',
      ],
      results.runs.map((run, i) => [
        `${run.format} ${Math.floor(i / 2) + 1}`,
        run.rowsPerSecond.toLocaleString('en'),
        `${run.seconds} s`,
        `${round(run.bytes / 1024 / 1024, 1)} MB`,
        `${run.firstByteMs} ms`,
        `${run.rss.beforeMb} → ${run.rss.maxMb} MB`,
      ]),
    )}\n\nidle RSS ${results.idleRssMb} MB; goal: RSS < ${RSS_GOAL_MB} MB during every export: ${met ? 'met' : 'NOT met'} (max ${results.goal.value} MB)\n`,
  );
  return STRICT && (!met || anomalies.length > 0) ? 3 : 0;
}

life.run(main, MAX_MINUTES);
