/**
 * `npm run bench:scale`: one tenant grown through the API stage by stage (10,000 → 100,000 →
 * 1,000,000 leads by default), against the app compiled with this bench (NODE_ENV=production, role
 * all) on local engines. At each stage:
 * 1. seeding: the leads added since the last stage (`upsertLeads` and one interaction each, in
 *    calls of 1,000, as `npm run bench` seeds), seconds and leads/s;
 * 2. the ranking index rebuilt from scratch (invalidated as a flush or a failed update would leave
 *    it, then asked for by a read, as in production), seconds until it is complete;
 * 3. Redis memory of the tenant's index (MEMORY USAGE of each of its keys, exact), bytes per lead,
 *    by key kind;
 * 4. `leads(limit: 50)` at 200 RPS for BENCH_SECONDS, BENCH_REPEATS runs: p50 / p95 / p99 of the
 *    median run by p95.
 * Then per measure the growth from each stage to the next: a per-lead cost (seeding, rebuild,
 * memory) or a page's p95 that rises more than 1.5× is flagged "FASTER THAN LINEAR".
 *
 * Bounded in time (BENCH_MAX_MINUTES, 120): a stage whose projected time (from the last stage's
 * cost per lead) does not fit what is left is not started; nor one whose database engine would not
 * fit in memory (mongo-java-server holds every collection in its heap: ~11 KB a lead live with
 * Temurin 25's compact headers and string deduplication, ~15 KB with Java 17; the README's command
 * gives it JAVA_HOME and JAVA_TOOL_OPTIONS for a million leads); the results say so. Each stage's figures are written
 * as it ends (`complete: false` until the run is).
 * Results: bench/results/scale-<date>.json, scale-latest.json and Markdown tables on stdout.
 * Goals (issue 16, at 1,000,000 leads): rebuild ≤ 60 s, `leads` p95 ≤ 10 ms at 200 RPS, Redis
 * ≤ 300 bytes per lead. Environment: BENCH_STAGES, BENCH_SECONDS (10), BENCH_REPEATS (3),
 * BENCH_REBUILDS (1: rebuilds timed a stage, the median reported),
 * BENCH_MAX_MINUTES, BENCH_STRICT=1 (exit 3 when a goal is missed or not measured),
 * BENCH_PROFILE_DIR (a V8 CPU profile of the app there, with bench-windows.json: each stage's
 * seeding, rebuild and page runs, for `profile-summary.js <dir> --label rebuild-300000`).
 * Each rebuild also reports the CPU time the app, the database engine and Redis spent on it.
 */
import { mkdirSync, readFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { join, resolve } from 'node:path';

import Redis from 'ioredis';

import { findFreePort, stopChild } from '../src/local-engines/child-process.util';
import {
  BenchLifecycle,
  startBenchEngines,
  ROOT,
  setting,
  sleep,
  spawnLoggedApp,
} from './bank-import.util';
import { SCORING_QUEUE, ScoringJobName } from '../src/scoring/jobs/scoring-queue.constants';
import { rankingKeys } from '../src/scoring/ranking/ranking-keys';

import { benchAppEnv, benchGql, registerBenchTenant, seedLeads } from './bench-setup.util';
import { openLoop } from './load.util';
import {
  fixed,
  GoalRow,
  listing,
  loadNow,
  machineInfo,
  markdownTable,
  missedGoals,
  thousands,
  writeResults,
  yesNo,
} from './report.util';
import { processCpuMs } from './process-cpu.util';
import { ProfileWindows } from './profile-windows.util';
import { parseVmRssKb } from './rss.util';
import {
  engineFits,
  growthBetween,
  parseMemAvailable,
  parseStages,
  projectedSeconds,
  StageMeasures,
} from './scale.util';
import { medianRun, round, summarize } from './stats.util';

const STAGES = parseStages(process.env.BENCH_STAGES ?? '10000,100000,1000000');
const SECONDS = setting('BENCH_SECONDS', 10, 1, 600);
const REPEATS = setting('BENCH_REPEATS', 3, 1, 20);
/** Rebuilds timed at each stage (the median one reported): one is at the mercy of a busy second. */
const REBUILDS = setting('BENCH_REBUILDS', 1, 1, 9);
const MAX_MINUTES = setting('BENCH_MAX_MINUTES', 120, 1, 24 * 60);
const STRICT = process.env.BENCH_STRICT === '1';
const RATE = 200;
const SEED_CHUNK = 1000;
const PAGE = 50;
const LEADS_QUERY = JSON.stringify({
  query: `{ leads(limit: ${PAGE}) { total items { id leadId name score tier } } }`,
});
const REBUILD_TIMEOUT_MS = 30 * 60_000;
const GOALS = { rebuildSeconds: 60, pageP95Ms: 10, redisBytesPerLead: 300, atLeads: 1_000_000 };
const APP_LOG = join(ROOT, '.data', 'bench-logs', `scale-app-${Date.now()}.log`);

const PROFILE_DIR = process.env.BENCH_PROFILE_DIR
  ? resolve(process.env.BENCH_PROFILE_DIR)
  : undefined;
/** The spans of each stage's steps, for reading the app's profile of one alone. */
const windows = new ProfileWindows();
const timed = <T>(label: string, run: () => Promise<T>): Promise<T> => windows.timed(label, run);

const log = (message: string) => process.stdout.write(`[bench:scale] ${message}\n`);
const life = new BenchLifecycle('bench:scale');

interface StageResult extends StageMeasures {
  readonly seededLeads: number;
  readonly seedSeconds: number;
  readonly rebuildSeconds: number;
  readonly redisBytes: number;
  readonly redisBytesByKind: Record<string, number>;
  readonly page: { p50: number; p95: number; p99: number; failed: number; runs: number[] };
  /** CPU ms each process spent during the rebuild (null: not measurable here). */
  readonly rebuildCpuMs: { app: number | null; engine: number | null; redis: number | null };
  /** Every rebuild's seconds (BENCH_REBUILDS); `rebuildSeconds` is their median. */
  readonly rebuildRunsSeconds: number[];
  /** The database engine's resident memory after the stage (local engines only). */
  readonly engineRssBytes: number | null;
}

/** Resident bytes of a process, or null (not Linux, or gone). */
function rssBytes(pid: number | undefined): number | null {
  if (pid === undefined) return null;
  try {
    const kb = parseVmRssKb(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return kb === null ? null : kb * 1024;
  } catch {
    return null;
  }
}

function availableBytes(): number | null {
  try {
    return parseMemAvailable(readFileSync('/proc/meminfo', 'utf8'));
  } catch {
    return null;
  }
}

/** Every key of the tenant's index and its exact size (MEMORY USAGE … SAMPLES 0 reads it all). */
async function indexMemory(
  redis: Redis,
  tenantId: string,
): Promise<{ bytes: number; byKind: Record<string, number> }> {
  const base = `bench:ranking:{${tenantId}}:`;
  const byKind: Record<string, number> = {};
  let bytes = 0;
  let cursor = '0';
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', `${base}*`, 'COUNT', 1000);
    cursor = next;
    for (const key of keys) {
      const size = (await redis.memory('USAGE', key, 'SAMPLES', 0)) ?? 0;
      // v2:docs, v2:dir, v2:order, v2:owners, v2:ready, generation; an owner's keys as owner:dir …
      const rest = key.slice(base.length).replace(/^v\d+:/, '');
      const kind = rest.startsWith('owner:') ? `owner:${rest.split(':').pop()}` : rest;
      byKind[kind] = (byKind[kind] ?? 0) + size;
      bytes += size;
    }
  } while (cursor !== '0');
  return { bytes, byKind };
}

const cpuSeconds = (ms: number | null): string => (ms === null ? '–' : String(round(ms / 1000, 1)));

/** Invalidates the tenant's index as a flush would, asks for it with a read, waits until complete. */
async function timeRebuild(
  redis: Redis,
  url: string,
  token: string,
  tenantId: string,
): Promise<number> {
  const keys = rankingKeys(`bench:ranking:{${tenantId}}`);
  // The rebuild's Bull job while queued or running (removed once done): `{<REDIS_PREFIX>:bull}`
  // (bullPrefix in src/app.module.ts), the scoring queue, the job id ScoreRankingIndex gives it.
  const jobKey = `{bench:bull}:${SCORING_QUEUE}:${ScoringJobName.REBUILD_RANKING}:${tenantId}`;
  await redis.multi().incr(keys.generation).del(keys.ready).exec();
  const started = performance.now();
  const ask = () => benchGql(url, '{ leads(limit: 1) { total } }', {}, token);
  await ask();
  let asked = performance.now();
  while ((await redis.exists(keys.ready)) !== 1) {
    if (performance.now() - started > REBUILD_TIMEOUT_MS) throw new Error('index not rebuilt');
    // Asked again each second while no rebuild is queued or running: a process asks for a
    // tenant's rebuild at most once a second, so the read after a rebuild that ended within it
    // asks for nothing. Not while one runs: a read then finds the index incomplete and is served
    // by MongoDB, which on mongo-java-server sorts and counts the whole tenant's scores (0.8–1.7 s
    // a read at 1,000,000 leads, in the slow-command log) on the collection the rebuild reads —
    // the readers' cost, not the rebuild's (on MongoDB both are index walks).
    if (performance.now() - asked >= 1_000 && (await redis.exists(jobKey)) === 0) {
      await ask();
      asked = performance.now();
    }
    await sleep(50);
  }
  return (performance.now() - started) / 1000;
}

async function startApp(env: NodeJS.ProcessEnv): Promise<number> {
  // The app as compiled with this bench (src/ beside bench/ in its build), not dist/.
  const main = join(__dirname, '..', 'src', 'main.js');
  const flags = PROFILE_DIR ? ['--cpu-prof', '--cpu-prof-dir', PROFILE_DIR] : [];
  const child = await spawnLoggedApp(life, { main, flags, env, logFile: APP_LOG });
  life.onStop(async () => {
    // Stopped gently, the app writes its profile; the windows go beside it.
    await stopChild(child, 60_000);
    windows.save(PROFILE_DIR);
  });
  return child.pid;
}

/** CPU ms of each process over `work` (null where /proc does not say). */
async function cpuOver<T>(
  pids: Record<string, number | undefined>,
  work: () => Promise<T>,
): Promise<{ result: T; cpuMs: Record<string, number | null> }> {
  const before = Object.fromEntries(Object.entries(pids).map(([k, pid]) => [k, processCpuMs(pid)]));
  const result = await work();
  const cpuMs = Object.fromEntries(
    Object.entries(pids).map(([k, pid]) => {
      const [from, to] = [before[k], processCpuMs(pid)];
      return [k, from === undefined || to === undefined ? null : to - from];
    }),
  );
  return { result, cpuMs };
}

async function main(): Promise<number> {
  const runStart = performance.now();
  const deadline = runStart + MAX_MINUTES * 60_000;
  mkdirSync(join(ROOT, '.data', 'bench-logs'), { recursive: true });
  const loadBefore = loadNow();
  log(`stages ${STAGES.join(', ')}; load average ${loadBefore.join(' ')} (${cpus().length} cpus)`);
  log(`the app's log: ${APP_LOG}`);
  const engines = await startBenchEngines(life, log);
  // The MongoDB engine's pid, when it runs here: "MongoDB: … (pid 1234) …".
  const enginePidText = engines.descriptions
    .find((line) => line.startsWith('MongoDB'))
    ?.match(/\(pid (\d+)\)/)?.[1];
  const enginePid = enginePidText === undefined ? undefined : Number(enginePidText);
  const redisPid = engines.redis?.pid;
  if (PROFILE_DIR) {
    mkdirSync(PROFILE_DIR, { recursive: true });
    log(`the app's CPU profile goes to ${PROFILE_DIR}`);
  }
  const port = await findFreePort();
  const url = `http://127.0.0.1:${port}`;
  const appPid = await startApp({
    ...benchAppEnv({
      port,
      mongoUri: `${engines.mongoUri}/bench_scale_${Date.now()}`,
      redisUrl: engines.redisUrl,
    }),
    // Seeding a million leads outlasts the default 15-minute access token.
    ACCESS_TOKEN_TTL_SECONDS: '86400',
  });
  const redis = new Redis(engines.redisUrl);
  life.onStop(() => redis.quit());
  const { token, tenantId } = await registerBenchTenant(url, 'Scale');
  const auth = { authorization: `Bearer ${token}` };

  const stages: StageResult[] = [];
  const skipped: { leads: number; reason: string }[] = [];
  let seeded = 0;
  for (const leads of STAGES) {
    const last = stages.at(-1);
    const fixedSeconds = REPEATS * SECONDS + 30;
    const projected = last
      ? projectedSeconds({
          fromLeads: seeded,
          toLeads: leads,
          seedSecondsPerLead: last.seedSecondsPerLead,
          rebuildSecondsPerLead: last.rebuildSecondsPerLead,
          fixedSeconds,
        })
      : 0;
    const left = (deadline - performance.now()) / 1000;
    if (projected > left) {
      const reason = `projected ${round(projected / 60, 1)} min, ${round(left / 60, 1)} min left of BENCH_MAX_MINUTES=${MAX_MINUTES}`;
      log(`stage ${thousands(leads)} not started: ${reason}`);
      skipped.push({ leads, reason });
      continue;
    }
    const available = availableBytes();
    if (last && last.engineRssBytes !== null && available !== null) {
      const before = stages.at(-2);
      const fit = engineFits({
        engineBytes: last.engineRssBytes,
        leads: last.leads,
        nextLeads: leads,
        availableBytes: available,
        previous:
          before && before.engineRssBytes !== null
            ? { leads: before.leads, engineBytes: before.engineRssBytes }
            : undefined,
      });
      if (!fit.fits) {
        const reason = `the database engine would need ~${round(fit.projectedBytes / 2 ** 30, 1)} GiB (${thousands(last.engineRssBytes / last.leads)} bytes a lead now); ${round(fit.limitBytes / 2 ** 30, 1)} GiB would leave the rest of the machine too little`;
        log(`stage ${thousands(leads)} not started: ${reason}`);
        skipped.push({ leads, reason });
        continue;
      }
    }

    const adding = leads - seeded;
    const seedSeconds = await timed(`seeding-${leads}`, () =>
      seedLeads({
        url,
        token,
        count: adding,
        chunk: SEED_CHUNK,
        from: seeded,
        onProgress: (done) => {
          if ((done / SEED_CHUNK) % 50 === 0) log(`seeded ${thousands(seeded + done)} leads`);
        },
      }),
    );
    seeded = leads;
    log(
      `stage ${thousands(leads)}: ${thousands(adding)} leads seeded in ${round(seedSeconds, 1)} s`,
    );

    const rebuildRuns: { seconds: number; cpuMs: StageResult['rebuildCpuMs'] }[] = [];
    for (let r = 0; r < REBUILDS; r++) {
      // A process asks for a tenant's rebuild at most once a second: the next one a second after.
      if (r > 0) await sleep(1_100);
      const rebuild = await timed(`rebuild-${leads}`, () =>
        cpuOver({ app: appPid, engine: enginePid, redis: redisPid }, () =>
          timeRebuild(redis, url, token, tenantId),
        ),
      );
      const run = {
        seconds: rebuild.result,
        cpuMs: {
          app: rebuild.cpuMs.app,
          engine: rebuild.cpuMs.engine,
          redis: rebuild.cpuMs.redis,
        },
      };
      rebuildRuns.push(run);
      log(
        `ranking index of ${thousands(leads)} leads rebuilt in ${round(run.seconds, 2)} s (CPU s: app ${cpuSeconds(run.cpuMs.app)}, database engine ${cpuSeconds(run.cpuMs.engine)}, Redis ${cpuSeconds(run.cpuMs.redis)})${REBUILDS > 1 ? `, run ${r + 1}/${REBUILDS}` : ''}`,
      );
    }
    // The median run (lower middle for an even count), with its own CPU figures.
    const middle = [...rebuildRuns].sort((a, b) => a.seconds - b.seconds)[
      Math.floor((rebuildRuns.length - 1) / 2)
    ];
    const rebuildSeconds = middle.seconds;
    const rebuildCpuMs = middle.cpuMs;

    const memory = await indexMemory(redis, tenantId);
    log(
      `Redis: ${thousands(memory.bytes)} bytes, ${round(memory.bytes / leads, 0)} per lead (${Object.entries(
        memory.byKind,
      )
        .map(([kind, bytes]) => `${kind} ${round(bytes / leads, 0)}`)
        .join(', ')})`,
    );

    const fullPage = (data: unknown): boolean =>
      (data as { leads?: { items?: unknown[] } }).leads?.items?.length === Math.min(PAGE, leads);
    // Warm-up: the first reads after a rebuild.
    await openLoop(`${url}/graphql`, LEADS_QUERY, auth, RATE, 2, fullPage);
    const runs = [];
    for (let r = 0; r < REPEATS; r++) {
      const result = await timed(`page-${leads}`, () =>
        openLoop(`${url}/graphql`, LEADS_QUERY, auth, RATE, SECONDS, fullPage),
      );
      const s = summarize(result.latenciesMs);
      runs.push({ p50: s.p50, p95: s.p95, p99: s.p99, failed: result.failed });
    }
    const { run } = medianRun(runs, 'p95');
    const engineRssBytes = rssBytes(enginePid);
    if (engineRssBytes !== null)
      log(
        `database engine: ${round(engineRssBytes / 2 ** 30, 2)} GiB resident (${thousands(engineRssBytes / leads)} bytes a lead)`,
      );
    log(
      `leads at ${RATE} RPS: p50/p95/p99 ${round(run.p50, 1)}/${round(run.p95, 1)}/${round(run.p99, 1)} ms (runs' p95: ${runs.map((x) => round(x.p95, 1)).join(', ')})`,
    );
    stages.push({
      leads,
      seededLeads: adding,
      seedSeconds: round(seedSeconds, 2),
      seedSecondsPerLead: seedSeconds / adding,
      rebuildSeconds: round(rebuildSeconds, 2),
      rebuildSecondsPerLead: rebuildSeconds / leads,
      rebuildCpuMs,
      rebuildRunsSeconds: rebuildRuns.map((run) => round(run.seconds, 2)),
      redisBytes: memory.bytes,
      redisBytesByKind: memory.byKind,
      redisBytesPerLead: round(memory.bytes / leads, 1),
      pageP95Ms: round(run.p95, 2),
      page: {
        p50: round(run.p50, 2),
        p95: round(run.p95, 2),
        p99: round(run.p99, 2),
        failed: run.failed,
        runs: runs.map((x) => round(x.p95, 2)),
      },
      engineRssBytes,
    });
    // What is measured so far, kept should a later stage fail.
    const partial = { date: new Date().toISOString(), complete: false, stages };
    writeResults(join(ROOT, 'bench', 'results'), 'scale', partial);
  }

  const growth = stages.slice(1).map((stage, i) => ({
    from: stages[i].leads,
    to: stage.leads,
    ...growthBetween(stages[i], stage),
  }));
  const largest = stages.at(-1);
  const atGoalSize = largest?.leads === GOALS.atLeads ? largest : undefined;
  const goals: GoalRow[] = [
    {
      measure: `ranking-index rebuild at ${thousands(GOALS.atLeads)} leads, s`,
      value: atGoalSize?.rebuildSeconds ?? null,
      goal: `≤ ${GOALS.rebuildSeconds} s`,
      met: atGoalSize ? atGoalSize.rebuildSeconds <= GOALS.rebuildSeconds : null,
    },
    {
      measure: `leads p95 at ${RATE} RPS, ${thousands(GOALS.atLeads)} leads, ms`,
      value: atGoalSize?.pageP95Ms ?? null,
      goal: `≤ ${GOALS.pageP95Ms} ms`,
      met: atGoalSize ? atGoalSize.pageP95Ms <= GOALS.pageP95Ms : null,
    },
    {
      measure: 'Redis bytes per lead (largest stage)',
      value: largest?.redisBytesPerLead ?? null,
      goal: `≤ ${GOALS.redisBytesPerLead}`,
      met: largest ? largest.redisBytesPerLead <= GOALS.redisBytesPerLead : null,
    },
  ];
  const results = {
    date: new Date().toISOString(),
    complete: true,
    machine: machineInfo(loadBefore),
    engines: engines.descriptions,
    settings: { stages: STAGES, seconds: SECONDS, repeats: REPEATS, maxMinutes: MAX_MINUTES },
    stages,
    skipped,
    growth,
    goals,
    minutes: round((performance.now() - runStart) / 60_000, 1),
  };
  const file = writeResults(join(ROOT, 'bench', 'results'), 'scale', results);

  const stageRows = stages.map((s) => [
    thousands(s.leads),
    `${fixed(s.seedSeconds, 1)} s (${thousands(s.seededLeads / s.seedSeconds)}/s)`,
    `${fixed(s.rebuildSeconds, 2)} s (${thousands(s.leads / s.rebuildSeconds)}/s)`,
    `${fixed(s.page.p50, 1)} / ${fixed(s.page.p95, 1)} / ${fixed(s.page.p99, 1)}`,
    thousands(s.redisBytesPerLead),
  ]);
  const growthRows = growth.map((g) => [
    `${thousands(g.from)} → ${thousands(g.to)}`,
    `${fixed(g.seedSecondsPerLead.ratio, 2)}× ${g.seedSecondsPerLead.growth}`,
    `${fixed(g.rebuildSecondsPerLead.ratio, 2)}× ${g.rebuildSecondsPerLead.growth}`,
    `${fixed(g.pageP95Ms.ratio, 2)}× ${g.pageP95Ms.growth}`,
    `${fixed(g.redisBytesPerLead.ratio, 2)}× ${g.redisBytesPerLead.growth}`,
  ]);
  process.stdout.write(
    `\n${markdownTable(
      [
        'leads',
        'seeding (added)',
        'index rebuild',
        `leads p50 / p95 / p99 at ${RATE} RPS, ms`,
        'Redis B/lead',
      ],
      stageRows,
    )}\n\n${
      growthRows.length > 0
        ? `${markdownTable(
            ['growth', 'seeding per lead', 'rebuild per lead', 'page p95', 'Redis per lead'],
            growthRows,
          )}\n\n`
        : ''
    }${markdownTable(
      ['goal', 'value', 'target', 'met'],
      goals.map((g) => [g.measure, String(g.value ?? '–'), g.goal, yesNo(g.met)]),
    )}\n\n${listing(
      'not run',
      skipped.map((s) => `${thousands(s.leads)}: ${s.reason}`),
    )}results: ${file}\n`,
  );
  const missed = missedGoals(goals);
  return STRICT && missed.length > 0 ? 3 : 0;
}

life.run(main, MAX_MINUTES + 15);
