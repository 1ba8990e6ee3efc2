/**
 * `npm run bench:lifecycle`: one retraining decision and drift reports as the API returns them,
 * on local engines with the built app as its own process (`dist/main.js`, production, role all).
 *
 * The data: test/fixtures/bank-marketing-every-5th.csv (9,043 rows, 1,055 converted), imported
 * through `POST /import/leads` with the mapping of the lead-import test (`y` the outcome:
 * converted yes, lost no; attributes '*'), cut by row number (interleaved, so each part is drawn
 * like the whole): every 9th row an open lead (`OPEN-<n>`, its `y` never imported), of the rest
 * every 4th a later outcome (`LATER-<n>`), the others the first history (`BANK-<n>`).
 *
 * 1. The first history is imported, a dataset version built, a logistic regression trained on it
 *    (defaults, seed 42) and deployed (its rescoring followed to its end): the champion.
 * 2. The later outcomes are imported (new closed leads), `updateModelLifecycle` turns retraining
 *    on with a gradient-boosting challenger (defaults), and `runRetraining` is followed to its
 *    decision (and a promotion's rescoring to its end). The decision is printed as the API
 *    answered it.
 * 3. The open leads are imported (no outcome) and `checkModelDrift` run: the population the
 *    model was trained on. Then the same open leads are imported again with their attributes
 *    drawn from a shifted distribution (older, another job mix, larger balances: seeded, see
 *    lifecycle-bench.util.ts shiftRows) and `checkModelDrift` run again. Both reports printed.
 *
 * Every step is timed from its request to the poll that saw it end. Results:
 * bench/results/lifecycle-<date>.json and lifecycle-latest.json (the API's answers in full).
 * Environment: BENCH_LIFECYCLE_CSV (the fixture), BENCH_SHIFT_SEED (7), BENCH_MAX_MINUTES (30),
 * BENCH_STRICT (1: exit 3 unless the shifted population is flagged and the unshifted one is not).
 */
import { readFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { join, resolve } from 'node:path';

import {
  BenchLifecycle,
  ROOT,
  seconds,
  setting,
  startBenchApp,
  timedBuild,
} from './bank-import.util';
import { benchGql, registerBenchTenant } from './bench-setup.util';
import {
  DecisionView,
  importLeads,
  OPS,
  populationSummary,
  ReportView,
  shiftRows,
  splitBankCsv,
  toCsv,
  trainModel,
  trimmedReport,
  waitDecision,
  waitScoringJob,
} from './lifecycle-bench.util';
import { loadNow, machineInfo, markdownTable, writeResults } from './report.util';
import { round } from './stats.util';

const CSV_PATH = resolve(
  process.env.BENCH_LIFECYCLE_CSV ?? join(ROOT, 'test', 'fixtures', 'bank-marketing-every-5th.csv'),
);
const SHIFT_SEED = setting('BENCH_SHIFT_SEED', 7, 0, 2 ** 31 - 1);
const MAX_MINUTES = setting('BENCH_MAX_MINUTES', 30, 1, 240);
const STRICT = process.env.BENCH_STRICT === '1';

const CHAMPION_TYPE = 'LOGISTIC_REGRESSION';
const CHALLENGER_TYPE = 'GRADIENT_BOOSTING';
/** Features whose bins are printed beside the flagged ones' (the rest are in the results file). */
const SHOWN_BINS = ['age', 'balance', 'job', 'month'];

/** The lead-import test's mapping of the bank file, with each part's lead id prefix. */
const closedMapping = (leadIdPrefix: string) => ({
  leadIdPrefix,
  outcome: { column: 'y', converted: ['yes'], lost: ['no'] },
  attributes: ['*'],
});
const OPEN_MAPPING = { leadIdPrefix: 'OPEN-', attributes: ['*'] };

function log(message: string): void {
  process.stdout.write(`[bench:lifecycle] ${message}\n`);
}

function print(title: string, value: unknown): void {
  process.stdout.write(`\n### ${title}\n\n${JSON.stringify(value, null, 2)}\n\n`);
}

const life = new BenchLifecycle('bench:lifecycle');

async function main(): Promise<number> {
  const runStart = performance.now();
  const loadBefore = loadNow();
  log(`load average before: ${loadBefore.join(' ')} (${cpus().length} cpus)`);

  const parts = splitBankCsv(readFileSync(CSV_PATH, 'utf8'));
  log(
    `${CSV_PATH}: ${parts.historyRows} rows of first history, ${parts.laterRows} later outcomes, ${parts.openRows.length} open leads`,
  );

  const timings: { step: string; seconds: number }[] = [];
  const step = async <T>(name: string, body: () => Promise<T>): Promise<T> => {
    const started = performance.now();
    const value = await body();
    const took = seconds(performance.now() - started);
    timings.push({ step: name, seconds: took });
    log(`${name}: ${took} s`);
    return value;
  };

  const app = await step('engines and app started', () =>
    startBenchApp(life, { database: `bench_lifecycle_${Date.now()}`, log }),
  );
  const { url } = app;
  log(`app ready at ${url} (pid ${app.pid})`);
  const { token } = await registerBenchTenant(url, 'Lifecycle');
  const gql = <T>(query: string, variables: Record<string, unknown> = {}) =>
    benchGql<T>(url, query, variables, token);

  // 1. The champion.
  const history = await step('import first history', () =>
    importLeads(
      { url, token, log },
      parts.history,
      closedMapping('BANK-'),
      parts.historyRows,
      'history',
    ),
  );
  const readinessBefore = (await gql<{ trainingReadiness: unknown }>(OPS.readiness))
    .trainingReadiness;
  const version = await step('build dataset version', () =>
    timedBuild(url, token, 'first history', null),
  );
  log(
    `version ${version.versionId}: ${version.rowCount} rows (${version.converted} converted, ${version.lost} lost)`,
  );
  const champion = await step(`train champion (${CHAMPION_TYPE}, defaults)`, () =>
    trainModel(url, token, {
      datasetVersionId: version.versionId,
      modelType: CHAMPION_TYPE,
      seed: 42,
    }),
  );
  log(`champion ${champion.modelId}: ${JSON.stringify(champion.model)}`);
  const championRescore = await step('deploy champion and rescore', async () => {
    const { rescoreJobId } = (
      await gql<{ deployModel: { rescoreJobId: string } }>(OPS.deploy, { id: champion.modelId })
    ).deployModel;
    return waitScoringJob(url, token, rescoreJobId);
  });

  // 2. New outcomes, the lifecycle settings, a retraining.
  const later = await step('import later outcomes', () =>
    importLeads(
      { url, token, log },
      parts.later,
      closedMapping('LATER-'),
      parts.laterRows,
      'later',
    ),
  );
  const settings = await step(
    'updateModelLifecycle',
    async () =>
      (
        await gql<{ updateModelLifecycle: unknown }>(OPS.updateLifecycle, {
          input: { retrainingEnabled: true, modelType: CHALLENGER_TYPE },
        })
      ).updateModelLifecycle,
  );
  print('lifecycle settings (updateModelLifecycle)', settings);
  const retraining = await step('runRetraining to its decision', async () => {
    const sent = performance.now();
    const started = (await gql<{ runRetraining: DecisionView }>(OPS.runRetraining)).runRetraining;
    return { started, ...(await waitDecision(url, token, started.id, sent)) };
  });
  const { decision } = retraining;
  print('retraining decision (modelDecision)', decision);
  log(
    `decision stages (first seen, ms): ${retraining.stages.map((s) => `${s.stage} ${s.atMs}`).join(', ')}`,
  );
  const promotionRescore = decision.rescoreJobId
    ? await step('rescoring after the promotion', () =>
        waitScoringJob(url, token, decision.rescoreJobId!),
      )
    : null;

  // 3. Drift: the open leads as drawn, then shifted.
  const openHeader = parts.openHeader;
  const before = populationSummary(openHeader, parts.openRows);
  await step('import open leads (unshifted)', () =>
    importLeads(
      { url, token, log },
      toCsv(openHeader, parts.openRows),
      OPEN_MAPPING,
      parts.openRows.length,
      'open leads',
    ),
  );
  const unshifted = await step(
    'checkModelDrift (unshifted)',
    async () => (await gql<{ checkModelDrift: ReportView }>(OPS.checkDrift)).checkModelDrift,
  );
  print(
    'drift report, open leads drawn like the training rows (checkModelDrift)',
    trimmedReport(unshifted, SHOWN_BINS),
  );

  const shiftedRows = shiftRows(openHeader, parts.openRows, SHIFT_SEED);
  const after = populationSummary(openHeader, shiftedRows);
  log(`open leads before the shift: ${JSON.stringify(before)}`);
  log(`open leads after the shift:  ${JSON.stringify(after)}`);
  await step('import open leads (shifted)', () =>
    importLeads(
      { url, token, log },
      toCsv(openHeader, shiftedRows),
      OPEN_MAPPING,
      shiftedRows.length,
      'shifted open leads',
    ),
  );
  const shifted = await step(
    'checkModelDrift (shifted)',
    async () => (await gql<{ checkModelDrift: ReportView }>(OPS.checkDrift)).checkModelDrift,
  );
  print('drift report, open leads shifted (checkModelDrift)', trimmedReport(shifted, SHOWN_BINS));

  // The results.
  const checks = {
    unshiftedFlagged: unshifted.flaggedFeatures,
    shiftedFlagged: shifted.flaggedFeatures,
    met: shifted.flagged && shifted.flaggedFeatures.length > unshifted.flaggedFeatures.length,
  };
  const results = {
    date: new Date().toISOString(),
    machine: machineInfo(loadBefore),
    engines: app.engines,
    data: {
      csv: CSV_PATH,
      historyRows: parts.historyRows,
      laterRows: parts.laterRows,
      openLeads: parts.openRows.length,
      shiftSeed: SHIFT_SEED,
      openBefore: before,
      openAfter: after,
    },
    imports: { history, later },
    readinessBefore,
    version,
    champion: { ...champion, rescore: championRescore },
    settings,
    retraining: { ...retraining, promotionRescore },
    drift: { unshifted, shifted },
    checks,
    timings,
    totalSeconds: round((performance.now() - runStart) / 1000, 1),
  };
  writeResults(join(ROOT, 'bench', 'results'), 'lifecycle', results);

  const figure = (side: 'champion' | 'challenger', key: 'auc' | 'prAuc' | 'logLoss' | 'brier') => {
    const value = decision[side]?.[key];
    return value === null || value === undefined ? '–' : value.toFixed(4);
  };
  process.stdout.write(
    `\n${markdownTable(
      ['step', 'seconds'],
      timings.map((t) => [t.step, String(t.seconds)]),
    )}\n\n${markdownTable(
      ['decision: ' + (decision.outcome ?? decision.status), 'AUC', 'PR-AUC', 'log loss', 'Brier'],
      (['champion', 'challenger'] as const).map((side) => [
        `${side} (${side === 'champion' ? decision.championId : decision.challengerId})`,
        figure(side, 'auc'),
        figure(side, 'prAuc'),
        figure(side, 'logLoss'),
        figure(side, 'brier'),
      ]),
    )}\n\n${markdownTable(
      ['drift', 'flagged features', 'max feature PSI', 'score PSI', 'open leads'],
      [
        [
          'unshifted',
          unshifted.flaggedFeatures.join(', ') || 'none',
          unshifted.maxFeaturePsi.toFixed(4),
          unshifted.score.psi.toFixed(4),
          String(unshifted.openLeads),
        ],
        [
          'shifted',
          shifted.flaggedFeatures.join(', ') || 'none',
          shifted.maxFeaturePsi.toFixed(4),
          shifted.score.psi.toFixed(4),
          String(shifted.openLeads),
        ],
      ],
    )}\n\nshift check (flagged when shifted, fewer flagged unshifted): ${checks.met ? 'met' : 'NOT met'}; total ${results.totalSeconds} s\n`,
  );
  return STRICT && !checks.met ? 3 : 0;
}

life.run(main, MAX_MINUTES);
