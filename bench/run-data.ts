/**
 * `npm run bench:data`: dataset versions on a real lead history, on local engines, with the built
 * app as its own process (`dist/main.js`, NODE_ENV=production, role all: api and worker, and
 * DATASET_INLINE_MAX_ROWS left at its default so that a large build goes through the `datasets`
 * queue).
 *
 * 1. The bank-marketing file (45,211 rows) is imported through `POST /import/leads` (leads
 *    `BANK-<row>`, `y` the outcome, every other column but `duration` an attribute).
 * 2. `createDatasetVersion` BENCH_REPEATS times, each a new version (run 0 the default
 *    transformation: version A; run r > 0 `categorical.minFrequency` 5 + r), each timed from the
 *    mutation's send to the poll (every 25 ms) that sees it COMPLETED; then run 0's input again,
 *    which should come back `reused`.
 * 3. A modified copy is imported over the same leads (every 10th row's balance + 1, every 7th
 *    row's y flipped; with BENCH_KEEP_OUTCOME_TIME=1, the default, an outcome date column carries
 *    the first import's date, which an import without one would set to its own upload time for
 *    every lead), then version B (default transformation) is built.
 * 4. `compareDatasetVersions(a: A, b: B)` BENCH_REPEATS times, each request timed.
 * The app's RSS is read from /proc/<pid>/status every 100 ms from its start to the end.
 *
 * Results: bench/results/data-<date>.json, data-latest.json and a Markdown table on stdout.
 * Environment: BENCH_REPEATS (5), BENCH_DATA_CSV (/work/shared/data/bank-marketing-full.csv),
 * BENCH_KEEP_OUTCOME_TIME (1), BENCH_MAX_MINUTES (45), BENCH_STRICT (1: exit 3 when a goal is
 * missed). The app and the engines are stopped at the end, on failure and on SIGINT/SIGTERM.
 */
import { readFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { join } from 'node:path';

import {
  BenchLifecycle,
  BUILD_POLL_MS,
  BuildRun,
  checkImport,
  importCsv,
  phasesText,
  readBankCsv,
  ROOT,
  seconds,
  setting,
  startBenchApp,
  timedBuild,
} from './bank-import.util';
import { benchGql, registerBenchTenant } from './bench-setup.util';
import {
  bankImportMapping,
  csvHeader,
  Goal,
  goalText,
  meetsGoal,
  modifyBankCsv,
  PhaseRss,
  phaseRss,
} from './data.util';
import {
  GoalRow,
  listing,
  loadNow,
  machineInfo,
  missedGoals,
  writeResults,
  yesNo,
} from './report.util';
import { parseVmRssKb, RssSample } from './rss.util';
import { median, round } from './stats.util';

const REPEATS = setting('BENCH_REPEATS', 5, 1, 50);
const MAX_MINUTES = setting('BENCH_MAX_MINUTES', 45, 1, 240);
const KEEP_OUTCOME_TIME = process.env.BENCH_KEEP_OUTCOME_TIME !== '0';
const STRICT = process.env.BENCH_STRICT === '1';

const RSS_EVERY_MS = 100;
const OUTCOME_AT_COLUMN = 'outcome_at';

const GOALS = {
  create: { op: '<=', limit: 5, unit: 's' },
  compare: { op: '<=', limit: 2, unit: 's' },
  rss: { op: '<', limit: 500, unit: 'MB' },
} as const satisfies Record<string, Goal>;

const COMPARE_QUERY =
  'query($a: ID!, $b: ID!) { compareDatasetVersions(a: $a, b: $b) { rowsA rowsB added removed changed unchanged labelRateA labelRateB features { name psi } } }';

function log(message: string): void {
  process.stdout.write(`[bench:data] ${message}\n`);
}

// ---------------------------------------------------------------------------------------------
// The app's RSS, every RSS_EVERY_MS from /proc/<pid>/status, on a clock that starts with it.

interface RssRecorder {
  readonly samples: RssSample[];
  /** Reads now; answers the reading's time. */
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
      // gone, or no /proc: a missing reading
    }
    const atMs = performance.now() - origin;
    samples.push({ atMs, kb });
    return atMs;
  };
  mark();
  const timer = setInterval(mark, RSS_EVERY_MS);
  return { samples, mark, stop: () => clearInterval(timer) };
}

// ---------------------------------------------------------------------------------------------
// The run.

const life = new BenchLifecycle('bench:data');

async function main(): Promise<number> {
  const runStart = performance.now();
  const loadBefore = loadNow();
  log(`load average before: ${loadBefore.join(' ')} (${cpus().length} cpus)`);

  const { csv: original, rows, mapping, path: csvPath } = readBankCsv(log);
  const app = await startBenchApp(life, { database: `bench_data_${Date.now()}`, log });
  const { url } = app;
  const rss = recordRss(app.pid);
  life.onStop(() => rss.stop());
  log(`app ready at ${url} (pid ${app.pid}), RSS read every ${RSS_EVERY_MS} ms`);

  const { token } = await registerBenchTenant(url, 'Data');
  const spans: Record<string, { startMs: number; endMs: number }> = {};
  const phase = async <T>(name: string, body: () => Promise<T>): Promise<T> => {
    const startMs = rss.mark();
    try {
      return await body();
    } finally {
      spans[name] = { startMs, endMs: rss.mark() };
    }
  };

  // 1. The history.
  const firstImport = await phase('import', () =>
    importCsv({ url, token, log }, original, mapping, 'import'),
  );
  checkImport(firstImport, rows, 'import');

  // 2. createDatasetVersion: a new version each run, then run 0's input again.
  const transformationOf = (run: number) =>
    run === 0 ? null : { categorical: { minFrequency: 5 + run } };
  const createRuns: BuildRun[] = [];
  const reusedRun = await phase('create', async () => {
    for (let run = 0; run < REPEATS; run++) {
      const startMs = rss.mark();
      const result = await timedBuild(url, token, `bench-${run}`, transformationOf(run));
      result.rss = phaseRss(rss.samples, startMs, rss.mark());
      createRuns.push(result);
      log(
        `create ${run + 1}/${REPEATS}: ${result.seconds} s (build ${result.serverSeconds} s by the app), ${result.rowCount} rows in ${result.chunkCount} chunks, reused ${result.reused}; phases ms: ${phasesText(result.phases)}; RSS max ${round(result.rss.maxMb ?? NaN, 1)} MB`,
      );
    }
    const startMs = rss.mark();
    const again = await timedBuild(url, token, 'bench-0', transformationOf(0));
    again.rss = phaseRss(rss.samples, startMs, rss.mark());
    log(
      `create again with run 0's input: ${again.seconds} s, reused ${again.reused}; phases ms: ${phasesText(again.phases)}`,
    );
    return again;
  });
  const versionA = createRuns[0];

  // 3. The changed history and version B.
  const modified = modifyBankCsv(original, {
    balanceEvery: 10,
    flipEvery: 7,
    ...(KEEP_OUTCOME_TIME
      ? { outcomeAt: firstImport.createdAt, outcomeAtColumn: OUTCOME_AT_COLUMN }
      : {}),
  });
  log(
    `modified copy: ${modified.balanceChanged} balances + 1, ${modified.labelFlipped} labels flipped, ${modified.changedRows} rows changed${KEEP_OUTCOME_TIME ? `, outcomes dated ${firstImport.createdAt}` : ''}`,
  );
  const reimportMapping = bankImportMapping(csvHeader(modified.csv), {
    ...(KEEP_OUTCOME_TIME ? { outcomeAtColumn: OUTCOME_AT_COLUMN } : {}),
  });
  const secondImport = await phase('re-import', () =>
    importCsv({ url, token, log }, modified.csv, reimportMapping, 're-import'),
  );
  checkImport(secondImport, rows, 're-import');
  const versionB = await phase('build B', () => timedBuild(url, token, 'bench-B', null));
  versionB.rss = phaseRss(rss.samples, spans['build B'].startMs, spans['build B'].endMs);
  log(
    `version B: ${versionB.seconds} s, reused ${versionB.reused}, ${versionB.converted} converted / ${versionB.lost} lost; phases ms: ${phasesText(versionB.phases)}`,
  );

  // 4. compareDatasetVersions(A, B).
  interface Comparison {
    rowsA: number;
    rowsB: number;
    added: number;
    removed: number;
    changed: number;
    unchanged: number;
    labelRateA: number;
    labelRateB: number;
    features: { name: string; psi: number }[];
  }
  const compareRuns: number[] = [];
  let comparison: Comparison | undefined;
  await phase('compare', async () => {
    for (let run = 0; run < REPEATS; run++) {
      const sent = performance.now();
      comparison = (
        await benchGql<{ compareDatasetVersions: Comparison }>(
          url,
          COMPARE_QUERY,
          { a: versionA.versionId, b: versionB.versionId },
          token,
        )
      ).compareDatasetVersions;
      compareRuns.push(seconds(performance.now() - sent));
      log(`compare ${run + 1}/${REPEATS}: ${compareRuns[run]} s`);
    }
  });
  rss.stop();
  const result = comparison!;
  const expectedChanged = KEEP_OUTCOME_TIME ? modified.changedRows : rows;
  log(
    `comparison: rowsA ${result.rowsA}, rowsB ${result.rowsB}, added ${result.added}, removed ${result.removed}, changed ${result.changed} (${round((result.changed / rows) * 100, 1)} %; expected ${expectedChanged}), unchanged ${result.unchanged}, label rate ${round(result.labelRateA, 4)} → ${round(result.labelRateB, 4)}`,
  );
  const drift = [...result.features].sort((x, y) => y.psi - x.psi);
  log(`PSI: ${drift.map((f) => `${f.name} ${round(f.psi, 4)}`).join(', ')}`);

  // Checks that say whether the figures measure what they claim to.
  const anomalies: string[] = [];
  const check = (ok: boolean, text: string) => {
    if (!ok) anomalies.push(text);
  };
  for (const run of createRuns) {
    check(!run.reused, `${run.name} came back reused: it measured no new version`);
    check(run.rowCount === rows, `${run.name} has ${run.rowCount} rows, not ${rows}`);
  }
  check(
    new Set(createRuns.map((run) => run.versionId)).size === createRuns.length,
    `the create runs made ${new Set(createRuns.map((run) => run.versionId)).size} distinct versions, not ${createRuns.length}`,
  );
  check(reusedRun.reused, `run 0's input again was not reused (build ${reusedRun.buildId})`);
  check(
    reusedRun.versionId === versionA.versionId,
    `run 0's input again returned version ${reusedRun.versionId}, not ${versionA.versionId}`,
  );
  check(!versionB.reused, 'version B came back reused: the re-import changed nothing');
  check(
    result.rowsA === rows && result.rowsB === rows && result.added === 0 && result.removed === 0,
    `compare: rowsA ${result.rowsA}, rowsB ${result.rowsB}, added ${result.added}, removed ${result.removed} (expected ${rows}, ${rows}, 0, 0)`,
  );
  check(
    result.changed === expectedChanged && result.changed + result.unchanged === rows,
    `compare: changed ${result.changed}, unchanged ${result.unchanged} (expected ${expectedChanged} changed of ${rows})`,
  );
  anomalies.forEach((text) => log(`ANOMALY: ${text}`));

  const rssOf = (name: string) => phaseRss(rss.samples, spans[name].startMs, spans[name].endMs);
  const rssPhases = Object.fromEntries(Object.keys(spans).map((name) => [name, rssOf(name)]));
  const createSeconds = createRuns.map((run) => run.seconds);
  const createMedian = median(createSeconds);
  const compareMedian = median(compareRuns);
  const goals: GoalRow[] = [
    {
      measure: 'createDatasetVersion median',
      value: createMedian,
      goal: goalText(GOALS.create),
      met: meetsGoal(createMedian, GOALS.create),
    },
    {
      measure: 'compareDatasetVersions median',
      value: compareMedian,
      goal: goalText(GOALS.compare),
      met: meetsGoal(compareMedian, GOALS.compare),
    },
    ...(['create', 'compare'] as const).map((name) => ({
      measure: `app RSS max during ${name}`,
      value: rssPhases[name].maxMb === null ? null : round(rssPhases[name].maxMb, 1),
      goal: goalText(GOALS.rss),
      met: meetsGoal(rssPhases[name].maxMb, GOALS.rss),
    })),
  ];
  const goalsMissed = missedGoals(goals);

  // Where a build's time goes: each phase's median over the create runs.
  const phaseNames = [...new Set(createRuns.flatMap((run) => run.phases.map((p) => p.phase)))];
  const phaseMedians = Object.fromEntries(
    phaseNames.map((name) => [
      name,
      round(median(createRuns.map((run) => run.phases.find((p) => p.phase === name)?.ms ?? 0)), 0),
    ]),
  );

  const results = {
    date: new Date().toISOString(),
    machine: machineInfo(loadBefore),
    engines: app.engines,
    data: { csv: csvPath, rows, attributes: mapping.attributes },
    settings: {
      repeats: REPEATS,
      buildPollMs: BUILD_POLL_MS,
      rssEveryMs: RSS_EVERY_MS,
      datasetInlineMaxRows: 'default (5000): builds QUEUED',
      keepOutcomeTime: KEEP_OUTCOME_TIME,
    },
    import: firstImport,
    create: {
      timedFrom: 'the mutation’s send to the poll that saw COMPLETED',
      medianSeconds: createMedian,
      minSeconds: Math.min(...createSeconds),
      maxSeconds: Math.max(...createSeconds),
      phaseMedianMs: phaseMedians,
      runs: createRuns,
      reused: reusedRun,
    },
    reimport: { ...secondImport, modification: { ...modified, csv: undefined } },
    versionB,
    compare: {
      a: versionA.versionId,
      b: versionB.versionId,
      medianSeconds: compareMedian,
      minSeconds: Math.min(...compareRuns),
      maxSeconds: Math.max(...compareRuns),
      runs: compareRuns,
      expectedChanged,
      result,
    },
    rss: { everyMs: RSS_EVERY_MS, phases: rssPhases },
    goals,
    goalsMissed,
    anomalies,
    totalSeconds: round((performance.now() - runStart) / 1000, 1),
  };
  writeResults(join(ROOT, 'bench', 'results'), 'data', results);
  const { loadAfter } = results.machine;

  const mbOf = (p: PhaseRss) => (p.maxMb === null ? '–' : `${round(p.maxMb, 1)} MB`);
  const beforeOf = (p: PhaseRss) => (p.beforeMb === null ? '–' : `${round(p.beforeMb, 1)} MB`);
  const [createGoal, compareGoal, rssCreateGoal, rssCompareGoal] = goals;
  const table = [
    `| measure (${rows.toLocaleString('en')} rows; ${REPEATS} runs; load avg ${loadBefore[0]} → ${loadAfter[0]} on ${cpus().length} cpus) | result | goal | met? |`,
    '|---|---|---|---|',
    `| CSV import through POST /import/leads (upload + job) | ${firstImport.rowsPerSecond.toLocaleString('en')} rows/s (${firstImport.seconds} s, upload ${firstImport.uploadSeconds} s) | | |`,
    `| createDatasetVersion (QUEUED build, send → COMPLETED seen), median | ${createMedian} s | ${createGoal.goal} | ${yesNo(createGoal.met)} |`,
    `| createDatasetVersion min / max | ${results.create.minSeconds} s / ${results.create.maxSeconds} s | | |`,
    `| createDatasetVersion, run 0's input again (reused ${reusedRun.reused}) | ${reusedRun.seconds} s | | |`,
    `| createDatasetVersion of version B after the re-import | ${versionB.seconds} s | | |`,
    `| compareDatasetVersions(A, B), median (min / max) | ${compareMedian} s (${results.compare.minSeconds} / ${results.compare.maxSeconds} s) | ${compareGoal.goal} | ${yesNo(compareGoal.met)} |`,
    `| app RSS max during the create runs (before: ${beforeOf(rssPhases.create)}) | ${mbOf(rssPhases.create)} | ${rssCreateGoal.goal} | ${yesNo(rssCreateGoal.met)} |`,
    `| app RSS max during the compare runs (before: ${beforeOf(rssPhases.compare)}) | ${mbOf(rssPhases.compare)} | ${rssCompareGoal.goal} | ${yesNo(rssCompareGoal.met)} |`,
  ].join('\n');
  const stageTable = [
    '| build | total s | phases, ms (first seen → next first seen, polled every 25 ms) | RSS max MB |',
    '|---|---|---|---|',
    ...[...createRuns, reusedRun, versionB].map(
      (run) =>
        `| ${run.name}${run.reused ? ' (reused)' : ''} | ${run.seconds} | ${phasesText(run.phases)} | ${run.rss?.maxMb === undefined || run.rss.maxMb === null ? '–' : round(run.rss.maxMb, 1)} |`,
    ),
  ].join('\n');
  process.stdout.write(`\n${table}\n\n${stageTable}\n\n`);
  process.stdout.write(
    `comparison: changed ${result.changed} of ${rows} (expected ${expectedChanged}), unchanged ${result.unchanged}, added ${result.added}, removed ${result.removed}; label rate ${round(result.labelRateA, 4)} → ${round(result.labelRateB, 4)}\n`,
  );
  process.stdout.write(listing('goals missed', goalsMissed) + listing('anomalies', anomalies));
  process.stdout.write(
    `load average after: ${loadAfter.join(' ')}; written to bench/results/data-latest.json\n`,
  );
  return STRICT && goalsMissed.length > 0 ? 3 : 0;
}

life.run(main, MAX_MINUTES);
