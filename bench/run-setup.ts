/**
 * `npm run bench:setup`: the guided model setup on a real lead history (issue 18's closing
 * figures), through the API of the built app as its own process (`dist/main.js`, production, role
 * all: api and worker, DATASET_INLINE_MAX_ROWS at its default so the profile of the whole file goes
 * through the `model-setup` queue), on local engines.
 *
 * 1. The bank-marketing file (45,211 rows) is imported through `POST /import/leads` with `y` the
 *    outcome and EVERY other column an attribute, `duration` included (bench:data and bench:ml
 *    leave it out): the profile is to find it. A dataset version is built (default transformation).
 * 2. `datasetProfile(versionId)` is polled (every PROFILE_POLL_MS) from the first call to READY:
 *    the flags (column, kind, message, evidence) and every column's role, AUC alone and drop-column
 *    importance are printed.
 * 3. `recommendSetup(versionId)`: the deterministic recommendation (columns in and out with
 *    reasons, transformation, model type with params and reasons); the AI second opinion is null
 *    without an OpenAI key, and the API's reason is printed.
 * 4. `applySetup(versionId)` (the deterministic recommendation as it is) → `trainInput`, trained
 *    with `trainModel`; beside it, on the same version and seed, every column minus `duration` (the
 *    version's default transformation with `exclude: [duration]`, default params) with the
 *    recommended model type and with logistic regression (the dashboard's default; trainModel has
 *    no default type), the recommendation's columns and transformation with logistic regression
 *    (applySetup with that modelType: trees ignore log1p and scaling, a linear model does not),
 *    and, for reference, the same two with `duration`. Each trained in turn, timed from the
 *    mutation's send to the poll that sees the job COMPLETED; held-out metrics read from `mlModel`.
 * 5. Results: bench/results/setup-<date>.json, setup-latest.json and Markdown on stdout.
 *
 * Environment: BENCH_DATA_CSV (/work/shared/data/bank-marketing-full.csv), BENCH_MAX_MINUTES (45),
 * BENCH_STRICT (1: exit 3 when a check fails).
 * The app and the engines are stopped at the end, on failure and on SIGINT/SIGTERM.
 */
import { cpus } from 'node:os';
import { join } from 'node:path';

import {
  BenchLifecycle,
  checkImport,
  importCsv,
  phasesText,
  readBankCsv,
  ROOT,
  seconds,
  setting,
  sleep,
  startBenchApp,
  timedBuild,
} from './bank-import.util';
import { benchGql, registerBenchTenant } from './bench-setup.util';
import { csvHeader } from './data.util';
import { spanSeconds } from './ml.util';
import { listing, loadNow, machineInfo, writeResults } from './report.util';
import {
  APPLY_MUTATION,
  AppliedView,
  columnsNote,
  columnsTable,
  ComparedModel,
  comparisonTable,
  flagsTable,
  JOB_QUERY,
  JobView,
  LEAK_COLUMN,
  mappingWithEveryColumn,
  MODEL_QUERY,
  ModelView,
  PROFILE_QUERY,
  ProfileView,
  RECOMMEND_QUERY,
  recommendationText,
  RecommendationsView,
  TRAIN_MUTATION,
  TrainingSpec,
  trainingSpecs,
} from './setup-bench.util';
import { round } from './stats.util';

const MAX_MINUTES = setting('BENCH_MAX_MINUTES', 45, 1, 240);
const STRICT = process.env.BENCH_STRICT === '1';

const PROFILE_POLL_MS = 250;
const PROFILE_WAIT_MS = 20 * 60_000;
const TRAIN_POLL_MS = 100;
const TRAIN_WAIT_MS = 10 * 60_000;

function log(message: string): void {
  process.stdout.write(`[bench:setup] ${message}\n`);
}

const life = new BenchLifecycle('bench:setup');

// ---------------------------------------------------------------------------------------------
// The profile, polled to READY.

interface ProfileRun {
  result: ProfileView;
  /** From the first datasetProfile call to the poll that saw READY. */
  seconds: number;
  /** finishedAt − requestedAt of the profile record (the app's clock). */
  serverSeconds: number | null;
  polls: number;
  statusesSeen: string[];
}

async function profileToReady(url: string, token: string, versionId: string): Promise<ProfileRun> {
  const sent = performance.now();
  const statusesSeen: string[] = [];
  let polls = 0;
  let lastLog = sent;
  for (;;) {
    const result = (
      await benchGql<{ datasetProfile: ProfileView }>(url, PROFILE_QUERY, { versionId }, token)
    ).datasetProfile;
    polls += 1;
    if (statusesSeen.at(-1) !== result.status) statusesSeen.push(result.status);
    const ms = performance.now() - sent;
    if (result.status === 'FAILED')
      throw new Error(
        `datasetProfile(${versionId}) FAILED after ${seconds(ms)} s: ${result.error}`,
      );
    if (result.status === 'READY') {
      const server = spanSeconds(result.requestedAt, result.finishedAt);
      return {
        result,
        seconds: seconds(ms),
        serverSeconds: server === null ? null : round(server, 3),
        polls,
        statusesSeen,
      };
    }
    if (ms > PROFILE_WAIT_MS)
      throw new Error(`datasetProfile(${versionId}) still ${result.status} after ${seconds(ms)} s`);
    if (performance.now() - lastLog > 10_000) {
      lastLog = performance.now();
      log(`profile: ${result.status} (queued ${result.queued}) after ${seconds(ms)} s`);
    }
    await sleep(PROFILE_POLL_MS);
  }
}

// ---------------------------------------------------------------------------------------------
// Training through the API.

interface TrainingRun {
  key: string;
  label: string;
  baseline: boolean;
  input: Record<string, unknown>;
  jobId: string;
  /** From the mutation's send to the poll that saw COMPLETED. */
  seconds: number;
  /** finishedAt − startedAt of the job (the worker's clock). */
  workerSeconds: number | null;
  /** startedAt − createdAt: in the queue. */
  queuedSeconds: number | null;
  model: ModelView;
}

async function train(url: string, token: string, spec: TrainingSpec): Promise<TrainingRun> {
  const sent = performance.now();
  const { id } = (
    await benchGql<{ trainModel: { id: string } }>(
      url,
      TRAIN_MUTATION,
      { input: spec.input },
      token,
    )
  ).trainModel;
  for (;;) {
    await sleep(TRAIN_POLL_MS);
    const job = (await benchGql<{ trainingJob: JobView }>(url, JOB_QUERY, { id }, token))
      .trainingJob;
    const ms = performance.now() - sent;
    if (job.status === 'FAILED' || job.status === 'CANCELLED')
      throw new Error(`${spec.key}: training job ${id} ${job.status}: ${job.failure}`);
    if (job.status !== 'COMPLETED') {
      if (ms > TRAIN_WAIT_MS) throw new Error(`${spec.key}: job ${id} still ${job.status}`);
      continue;
    }
    const model = (
      await benchGql<{ mlModel: ModelView }>(url, MODEL_QUERY, { id: job.modelId }, token)
    ).mlModel;
    if (!model.metrics || !model.split)
      throw new Error(`${spec.key}: model ${model.id} (${model.status}) has no metrics`);
    const worker = spanSeconds(job.startedAt, job.finishedAt);
    const queued = spanSeconds(job.createdAt, job.startedAt);
    return {
      key: spec.key,
      label: spec.label,
      baseline: spec.baseline ?? false,
      input: spec.input,
      jobId: id,
      seconds: seconds(ms),
      workerSeconds: worker === null ? null : round(worker, 3),
      queuedSeconds: queued === null ? null : round(queued, 3),
      model,
    };
  }
}

// ---------------------------------------------------------------------------------------------
// The run.

async function main(): Promise<number> {
  const runStart = performance.now();
  const loadBefore = loadNow();
  log(`load average before: ${loadBefore.join(' ')} (${cpus().length} cpus)`);

  const bank = readBankCsv(log);
  const mapping = mappingWithEveryColumn(bank.mapping, csvHeader(bank.csv));
  log(
    `import mapping: outcome ${mapping.outcome.column}; attributes ${mapping.attributes.join(', ')}`,
  );
  const app = await startBenchApp(life, { database: `bench_setup_${Date.now()}`, log });
  const { url } = app;
  log(`app ready at ${url} (pid ${app.pid})`);
  const { token } = await registerBenchTenant(url, 'Setup');

  // 1. The history, with `duration`, and a version of it.
  const imported = await importCsv({ url, token, log }, bank.csv, mapping, 'import');
  checkImport(imported, bank.rows, 'import');
  const build = await timedBuild(url, token, 'setup-bench', null);
  log(
    `version ${build.versionId}: ${build.rowCount} rows in ${build.chunkCount} chunks, ${build.converted} converted / ${build.lost} lost, built in ${build.seconds} s (app ${build.serverSeconds} s; phases ms: ${phasesText(build.phases)})`,
  );
  const versionId = build.versionId;

  // 2. The profile.
  const profileRun = await profileToReady(url, token, versionId);
  const profile = profileRun.result.profile!;
  const flags = profileRun.result.flags;
  log(
    `profile READY in ${profileRun.seconds} s from the first call (record ${profileRun.serverSeconds} s, profiling ${profileRun.result.durationMs} ms; queued ${profileRun.result.queued}; statuses ${profileRun.statusesSeen.join(' → ')}; ${profileRun.polls} polls)`,
  );
  const features = profile.columns.filter((c) => c.kind !== 'LABEL').map((c) => c.name);

  // 3. The recommendation.
  const recommendSent = performance.now();
  const recs = (
    await benchGql<{ recommendSetup: RecommendationsView }>(
      url,
      RECOMMEND_QUERY,
      { versionId },
      token,
    )
  ).recommendSetup;
  const recommendSeconds = seconds(performance.now() - recommendSent);
  const rec = recs.deterministic;
  if (!rec?.model || !rec.transformation)
    throw new Error(`recommendSetup gave no deterministic model: ${JSON.stringify(recs)}`);

  // 4. The trainings.
  const applySent = performance.now();
  const applied = (
    await benchGql<{ applySetup: AppliedView }>(url, APPLY_MUTATION, { versionId }, token)
  ).applySetup;
  const applySeconds = seconds(performance.now() - applySent);
  log(`applySetup in ${applySeconds} s: trainInput ${JSON.stringify(applied.trainInput)}`);
  // The recommendation's columns and transformation with a linear model: what they do where the
  // transformation matters (trees ignore log1p and scaling).
  const linear =
    applied.modelType === 'LOGISTIC_REGRESSION'
      ? null
      : (
          await benchGql<{ applySetup: AppliedView }>(
            url,
            APPLY_MUTATION,
            { versionId, input: { modelType: 'LOGISTIC_REGRESSION' } },
            token,
          )
        ).applySetup;
  if (linear)
    log(`applySetup(modelType LOGISTIC_REGRESSION): ${JSON.stringify(linear.trainInput)}`);
  const specs = trainingSpecs({
    versionId,
    seed: applied.seed,
    trainInput: applied.trainInput,
    recommendedType: applied.modelType,
    ...(linear ? { linearTrainInput: linear.trainInput } : {}),
  });
  const runs: TrainingRun[] = [];
  for (const spec of specs) {
    log(`training ${spec.key}: ${JSON.stringify(spec.input)}`);
    const run = await train(url, token, spec);
    runs.push(run);
    const m = run.model.metrics!;
    log(
      `${spec.key}: model ${run.model.id} (v${run.model.version}, ${run.model.type}) AUC ${m.auc}, PR-AUC ${round(m.prAuc, 4)}, log loss ${round(m.logLoss, 4)} in ${run.seconds} s (worker ${run.workerSeconds} s, queued ${run.queuedSeconds} s); split ${run.model.split!.method} ${run.model.split!.trainRows}/${run.model.split!.testRows}; top inputs ${run.model.featureImportance
        .slice(0, 5)
        .map((f) => `${f.feature} ${round(f.importance, 4)}`)
        .join(', ')}`,
    );
  }

  // Checks that say whether the figures measure what they claim to.
  const anomalies: string[] = [];
  const check = (ok: boolean, text: string) => {
    if (!ok) anomalies.push(text);
  };
  check(profile.rows === bank.rows, `the profile has ${profile.rows} rows, not ${bank.rows}`);
  check(profileRun.result.queued, 'the profile was not queued: it did not go through the worker');
  check(
    flags.some((f) => f.column === LEAK_COLUMN && f.kind === 'POSSIBLE_LEAKAGE'),
    `\`${LEAK_COLUMN}\` is not flagged POSSIBLE_LEAKAGE`,
  );
  check(
    rec.excluded.some((d) => d.name === LEAK_COLUMN),
    `the recommendation does not leave \`${LEAK_COLUMN}\` out`,
  );
  check(!applied.keptFlagged.includes(LEAK_COLUMN), `applySetup kept \`${LEAK_COLUMN}\``);
  const splits = new Set(runs.map((r) => JSON.stringify(r.model.split)));
  check(splits.size === 1, `the trainings did not share one split: ${[...splits].join(' / ')}`);
  for (const run of runs) {
    const t = run.model.transformation;
    const usesLeak =
      t !== null &&
      (t.features ?? features).includes(LEAK_COLUMN) &&
      !t.exclude.includes(LEAK_COLUMN);
    check(
      usesLeak === run.key.startsWith('with-'),
      `${run.key}: ${usesLeak ? 'uses' : 'does not use'} \`${LEAK_COLUMN}\` (transformation ${JSON.stringify(t)})`,
    );
  }
  anomalies.forEach((text) => log(`ANOMALY: ${text}`));

  const compared: ComparedModel[] = runs.map((run) => ({
    key: run.key,
    label: run.label,
    baseline: run.baseline,
    modelType: run.model.type,
    modelId: run.model.id,
    columnsNote: columnsNote(run.model.transformation, features),
    metrics: run.model.metrics!,
    split: run.model.split!,
    seconds: run.seconds,
    workerSeconds: run.workerSeconds,
  }));

  const baselineRun = compared.find((m) => m.baseline);
  const recommendedRun = compared.find((m) => m.key === 'recommended');
  const sameAsBaseline =
    baselineRun !== undefined &&
    recommendedRun !== undefined &&
    baselineRun.modelType === recommendedRun.modelType &&
    JSON.stringify(baselineRun.metrics) === JSON.stringify(recommendedRun.metrics);

  const results = {
    date: new Date().toISOString(),
    machine: machineInfo(loadBefore),
    engines: app.engines,
    data: { csv: bank.path, rows: bank.rows, attributes: mapping.attributes },
    settings: {
      profilePollMs: PROFILE_POLL_MS,
      trainPollMs: TRAIN_POLL_MS,
      datasetInlineMaxRows: 'default (5000): build and profile QUEUED',
    },
    import: imported,
    version: build,
    profile: {
      timedFrom: 'the first datasetProfile call to the poll that saw READY',
      seconds: profileRun.seconds,
      serverSeconds: profileRun.serverSeconds,
      durationMs: profileRun.result.durationMs,
      polls: profileRun.polls,
      statusesSeen: profileRun.statusesSeen,
      result: profileRun.result,
    },
    recommendSetup: { seconds: recommendSeconds, result: recs },
    applySetup: { seconds: applySeconds, result: applied, linearVariant: linear },
    trainings: runs,
    comparison: compared,
    anomalies,
    totalSeconds: round((performance.now() - runStart) / 1000, 1),
  };
  writeResults(join(ROOT, 'bench', 'results'), 'setup', results);

  const ai =
    recs.ai === null
      ? `AI second opinion: null — ${recs.aiUnavailableReason ?? 'no reason given'}`
      : `AI second opinion (${recs.aiModel}):\n${recommendationText(recs.ai)}`;
  const q = profile.quickModel;
  process.stdout.write(
    [
      '',
      `## datasetProfile (${profile.rows.toLocaleString('en')} rows, ${profile.positives.toLocaleString('en')} converted; ${profile.sampled ? `seeded sample of ${profile.sampleRows.toLocaleString('en')} rows, seed ${profile.seed}` : 'every row'})`,
      '',
      `quick model: ${q.type}, held-out AUC ${q.auc === null ? '–' : round(q.auc, 4)} on ${q.features.length} columns; split ${profile.split ? `${profile.split.method} ${profile.split.trainRows}/${profile.split.testRows} (${profile.split.reason})` : '–'}`,
      ...profile.notes.map((note) => `note: ${note}`),
      '',
      '### Flags',
      '',
      flagsTable(flags),
      '',
      ...flags.map((f) => `- \`${f.column}\` ${f.kind}: ${f.reason}`),
      '',
      'As the API returns them:',
      '',
      '```json',
      JSON.stringify(flags, null, 2),
      '```',
      '',
      '### Columns: AUC alone and drop-column importance',
      '',
      columnsTable(profile.columns, flags),
      '',
      '## recommendSetup: deterministic',
      '',
      recommendationText(rec),
      '',
      ai,
      '',
      `## applySetup → trainModel, against every column minus \`${LEAK_COLUMN}\``,
      '',
      comparisonTable(compared),
      '',
      ...compared.map((m) => `- \`${m.key}\` (${m.modelId}): ${m.columnsNote}`),
      ...(sameAsBaseline
        ? [
            '',
            `The recommendation's model has the baseline's metrics exactly: for ${applied.modelType} the two differ only in columns the trainer drops anyway (constants) and in log1p / scaling, which a tree's splits ignore; the difference that counts is \`${LEAK_COLUMN}\` left out.`,
          ]
        : []),
      '',
      `Timings: import ${imported.seconds} s (${imported.rowsPerSecond.toLocaleString('en')} rows/s, upload ${imported.uploadSeconds} s); version build ${build.seconds} s; profile ${profileRun.seconds} s from the first call to READY seen (profiling ${profileRun.result.durationMs === null ? '–' : seconds(profileRun.result.durationMs)} s in the worker); recommendSetup ${recommendSeconds} s; applySetup ${applySeconds} s; trainings ${runs.map((r) => `${r.key} ${r.seconds} s`).join(', ')}.`,
      '',
    ].join('\n'),
  );
  process.stdout.write(listing('anomalies', anomalies));
  process.stdout.write(
    `load average before ${loadBefore.join(' ')}, after ${results.machine.loadAfter.join(' ')}; ${results.totalSeconds} s in all; written to bench/results/setup-latest.json\n`,
  );
  return STRICT && anomalies.length > 0 ? 3 : 0;
}

life.run(main, MAX_MINUTES);
