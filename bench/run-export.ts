/**
 * `npm run bench:export`: `GET /leads/scoring/export` of a whole tenant, CSV and NDJSON, against
 * the built app as its own process (`dist/main.js`, NODE_ENV=production, role all) on local
 * engines, with the app's RSS read from /proc/<pid>/status every 50 ms.
 *
 * 1. BENCH_LEADS leads (100,000) are seeded through the API with one interaction each (as
 *    `npm run bench` does). BENCH_STAGES (e.g. `10000,50000`; none by default) measures the same
 *    exports on the way, at each of those lead counts, then seeds on: the export's memory at two
 *    sizes from one seeding (seeding is the run's long part: on mongo-java-server each rescoring
 *    write scans the scores, so it grows with the square of the lead count).
 * 2. The app that seeded them is stopped and a fresh one started on the same engines (BENCH_FRESH=1,
 *    the default): the figure is then the export's, not what seeding left in the heap. With
 *    BENCH_FRESH=0 the seeding app exports.
 * 3. BENCH_REPEATS (2) rounds of one CSV and one NDJSON export, each read to its end by a client
 *    that keeps nothing but counts (rows, bytes), timed from the send.
 *
 * Results: bench/results/export-<date>.json, export-latest.json and a Markdown table on stdout.
 * Goal: the app stays under 300 MB RSS during every export. BENCH_STRICT=1: exit 3 when missed.
 */
import type { ChildProcess } from 'node:child_process';
import { mkdirSync, readFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { join, resolve } from 'node:path';

import { findFreePort, stopChild } from '../src/local-engines/child-process.util';
import {
  BenchLifecycle,
  startBenchEngines,
  ROOT,
  setting,
  spawnLoggedApp,
} from './bank-import.util';
import { benchAppEnv, registerBenchTenant, seedLeads } from './bench-setup.util';
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
/** BENCH_APP_NODE_FLAGS: Node flags for the app (e.g. `--max-semi-space-size=32`), space-separated. */
const APP_NODE_FLAGS = (process.env.BENCH_APP_NODE_FLAGS ?? '').split(' ').filter(Boolean);
/** BENCH_APP_MAIN: the app's entry (default dist/main.js): another build, side by side. */
const APP_MAIN = resolve(process.env.BENCH_APP_MAIN ?? join(ROOT, 'dist', 'main.js'));
const APP_LOG = join(ROOT, '.data', 'bench-logs', `export-app-${Date.now()}.log`);
const RSS_GOAL_MB = 300;
const CHUNK = 1000;
const STAGES = (process.env.BENCH_STAGES ?? '')
  .split(',')
  .map((part) => part.trim())
  .filter(Boolean)
  .map((part) => {
    const value = Number(part);
    if (!Number.isInteger(value) || value < 1 || value >= LEADS)
      throw new Error(`BENCH_STAGES: ${part} is not a lead count below BENCH_LEADS (${LEADS})`);
    return value;
  })
  .sort((a, b) => a - b);

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
  const child = await spawnLoggedApp(life, {
    main: APP_MAIN,
    flags: APP_NODE_FLAGS,
    env,
    logFile: APP_LOG,
  });
  return { child, pid: child.pid };
}

async function main(): Promise<number> {
  const runStart = performance.now();
  mkdirSync(join(ROOT, '.data', 'bench-logs'), { recursive: true });
  log(`the app's log: ${APP_LOG}`);
  const loadBefore = loadNow();
  log(`load average before: ${loadBefore.join(' ')} (${cpus().length} cpus)`);
  const engines = await startBenchEngines(life, log);
  const port = await findFreePort();
  const env = {
    ...benchAppEnv({
      port,
      mongoUri: `${engines.mongoUri}/bench_export_${Date.now()}`,
      redisUrl: engines.redisUrl,
    }),
    // Seeding 100,000 leads outlasts the default 15-minute access token (the run's one token
    // expired mid-seed at 30,000 leads on a loaded machine).
    ACCESS_TOKEN_TTL_SECONDS: '86400',
  };
  const url = `http://127.0.0.1:${port}`;

  let app = await startApp(env);
  life.onStop(() => stopChild(app.child, 5_000));
  const { token } = await registerBenchTenant(url, 'Export');

  type Run = ExportRun & { rss: ReturnType<typeof spanRss> };
  interface Stage {
    leads: number;
    seedSeconds: number;
    seedingRssMb: number | null;
    idleMb: number | null;
    runs: Run[];
  }
  const stages: Stage[] = [];
  /** The results so far: the last stage measured at the top, the earlier ones in `stages`. */
  const resultsOf = (complete: boolean) => {
    const last = stages[stages.length - 1];
    const { runs, seedingRssMb, idleMb } = last;

    const anomalies = stages.flatMap((stage) =>
      stage.runs
        .filter((run) => run.status !== 200 || run.rows !== stage.leads)
        .map(
          (run) =>
            `${stage.leads} leads, ${run.format}: status ${run.status}, ${run.rows} rows (expected ${stage.leads})`,
        ),
    );
    // Every stage's exports count: the goal is a bound whatever the tenant's size.
    const peakMb = Math.max(
      ...stages.flatMap((stage) => stage.runs.map((run) => run.rss.maxMb ?? Infinity)),
    );
    const runFigures = (run: Run) => ({
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
    });
    const met = Number.isFinite(peakMb) && peakMb < RSS_GOAL_MB;
    const results = {
      date: new Date().toISOString(),
      machine: machineInfo(loadBefore),
      engines: engines.descriptions,
      // false while later stages are still to come (written after each stage: a run stopped at
      // its deadline keeps the stages it measured).
      complete,
      leads: last.leads,
      settings: {
        leads: LEADS,
        stages: STAGES,
        repeats: REPEATS,
        fresh: FRESH,
        rssEveryMs: RSS_EVERY_MS,
        appNodeFlags: APP_NODE_FLAGS,
        appMain: APP_MAIN,
      },
      seed: {
        seconds: round(last.seedSeconds, 1),
        appRssAfterMb: seedingRssMb && round(seedingRssMb, 1),
      },
      idleRssMb: idleMb && round(idleMb, 1),
      runs: runs.map(runFigures),
      // The stages before BENCH_LEADS (BENCH_STAGES), each measured as the last one is above.
      stages: stages.slice(0, -1).map((stage) => ({
        leads: stage.leads,
        seedSeconds: round(stage.seedSeconds, 1),
        appRssAfterSeedMb: stage.seedingRssMb && round(stage.seedingRssMb, 1),
        idleRssMb: stage.idleMb && round(stage.idleMb, 1),
        runs: stage.runs.map(runFigures),
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
    return { results, anomalies, met };
  };

  let seeded = 0;
  let seedSeconds = 0;
  for (const target of [...new Set([...STAGES, LEADS])]) {
    const count = target - seeded;
    const stageSeconds = await seedLeads({
      url,
      token,
      count,
      chunk: CHUNK,
      from: seeded,
      onProgress: (done) => {
        const total = seeded + done;
        if (total % 10_000 === 0 || total === target) log(`seeded ${total} / ${LEADS} leads`);
      },
    });
    seeded = target;
    seedSeconds += stageSeconds;
    log(
      `seeded ${target} leads with one interaction each in ${round(seedSeconds, 1)} s (the last ${count} in ${round(stageSeconds, 1)} s)`,
    );
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

    const runs: Run[] = [];
    for (let round_ = 0; round_ < REPEATS; round_++) {
      for (const format of ['csv', 'ndjson'] as const) {
        const startMs = rss.mark();
        const run = await timedExport({ url, token, format });
        const endMs = rss.mark();
        const figures = { ...run, rss: spanRss(rss.samples, startMs, endMs) };
        runs.push(figures);
        log(
          `${target} leads, ${format} ${round_ + 1}/${REPEATS}: ${run.rows} rows, ${round(run.bytes / 1024 / 1024, 1)} MB in ${round(run.seconds, 2)} s (${Math.round(run.rowsPerSecond)} rows/s, first byte ${Math.round(run.firstByteMs)} ms), RSS ${round(figures.rss.beforeMb ?? NaN, 1)} → max ${round(figures.rss.maxMb ?? NaN, 1)} MB`,
        );
      }
    }
    rss.stop();
    stages.push({ leads: target, seedSeconds, seedingRssMb, idleMb, runs });
    if (target < LEADS)
      writeResults(join(ROOT, 'bench', 'results'), 'export', resultsOf(false).results);
  }
  const { results, anomalies, met } = resultsOf(true);
  anomalies.forEach((text) => log(`ANOMALY: ${text}`));
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
      [
        ...results.stages.map((stage) => ({ ...stage, label: `${stage.leads} leads: ` })),
        {
          runs: results.runs,
          idleRssMb: results.idleRssMb,
          label: STAGES.length ? `${LEADS} leads: ` : '',
        },
      ].flatMap((stage) =>
        stage.runs.map((run, i) => [
          `${stage.label}${run.format} ${Math.floor(i / 2) + 1}`,
          run.rowsPerSecond.toLocaleString('en'),
          `${run.seconds} s`,
          `${round(run.bytes / 1024 / 1024, 1)} MB`,
          `${run.firstByteMs} ms`,
          `${run.rss.beforeMb} → ${run.rss.maxMb} MB`,
        ]),
      ),
    )}\n\n${results.stages.map((stage) => `idle RSS at ${stage.leads} leads ${stage.idleRssMb} MB; `).join('')}idle RSS ${results.idleRssMb} MB; goal: RSS < ${RSS_GOAL_MB} MB during every export: ${met ? 'met' : 'NOT met'} (max ${results.goal.value} MB)\n`,
  );
  return STRICT && (!met || anomalies.length > 0) ? 3 : 0;
}

life.run(main, MAX_MINUTES);
