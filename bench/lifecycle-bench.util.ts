/**
 * What `npm run bench:lifecycle` (run-lifecycle.ts) needs beside the shared bench helpers: the
 * bank-marketing fixture cut into a first history, later outcomes and open leads; a shifted copy
 * of the open leads (pure, seeded); the GraphQL operations of the lifecycle and drift integration
 * tests; and the steps followed to their end through the API (an import with any mapping, a
 * training job, a scoring job, a retraining decision).
 */
import { importCsv, sleep } from './bank-import.util';
import { benchGql } from './bench-setup.util';
import { splitCsvLine, unquote } from './data.util';
import { round } from './stats.util';

export type Log = (message: string) => void;

// ---------------------------------------------------------------------------------------------
// The fixture, cut in three.

export const OUTCOME_COLUMN = 'y';
/** Data row n (from 1) with n % OPEN_EVERY === 0 is an open lead (its outcome never imported). */
export const OPEN_EVERY = 9;
/** Of the other rows, n % LATER_EVERY === 0 closes after the champion was trained. */
export const LATER_EVERY = 4;

export interface BankParts {
  readonly header: string[];
  /** Closed leads the champion is trained on (CSV text, header included). */
  readonly history: string;
  readonly historyRows: number;
  /** Closed leads that arrive after the champion was deployed. */
  readonly later: string;
  readonly laterRows: number;
  /** The open leads' cells, `y` left out (in row order: their lead ids are OPEN-1, OPEN-2, …). */
  readonly openHeader: string[];
  readonly openRows: string[][];
}

const dataLines = (csv: string): string[] =>
  csv
    .split('\n')
    .map((line) => line.replace(/\r$/, ''))
    .filter((line) => line.trim() !== '');

/**
 * Every data row of the bank CSV (`;`-separated, a header first) into one of three parts,
 * interleaved so that each is drawn like the whole: rows n % OPEN_EVERY = 0 the open leads, of
 * the rest n % LATER_EVERY = 0 the later outcomes, the others the first history.
 */
export function splitBankCsv(csv: string): BankParts {
  const [headerLine, ...rows] = dataLines(csv);
  const header = splitCsvLine(headerLine).map(unquote);
  const outcomeAt = header.indexOf(OUTCOME_COLUMN);
  if (outcomeAt < 0) throw new Error(`no "${OUTCOME_COLUMN}" column in ${header.join(', ')}`);
  const history: string[] = [];
  const later: string[] = [];
  const openRows: string[][] = [];
  rows.forEach((line, i) => {
    const n = i + 1;
    if (n % OPEN_EVERY === 0)
      openRows.push(splitCsvLine(line).filter((_, column) => column !== outcomeAt));
    else if (n % LATER_EVERY === 0) later.push(line);
    else history.push(line);
  });
  return {
    header,
    history: [headerLine, ...history].join('\n') + '\n',
    historyRows: history.length,
    later: [headerLine, ...later].join('\n') + '\n',
    laterRows: later.length,
    openHeader: header.filter((_, column) => column !== outcomeAt),
    openRows,
  };
}

/** A `;`-separated CSV of cells as written (quotes kept), the header quoted. */
export function toCsv(header: readonly string[], rows: readonly (readonly string[])[]): string {
  return [header.map((name) => `"${name}"`).join(';'), ...rows.map((row) => row.join(';'))]
    .join('\n')
    .concat('\n');
}

/** mulberry32: a small seeded generator in [0, 1), the same sequence on every machine. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

/** Jobs half of the shifted leads move to, with their weights. */
export const SHIFTED_JOBS: readonly (readonly [string, number])[] = [
  ['retired', 0.5],
  ['management', 0.3],
  ['self-employed', 0.2],
];
export const SHIFT = {
  /** Years added to every age: uniform in [ageMin, ageMax], capped at ageCap. */
  ageMin: 10,
  ageMax: 20,
  ageCap: 95,
  /** Share of leads whose job is redrawn from SHIFTED_JOBS. */
  jobShare: 0.5,
  /** balance × balanceFactor + balanceAdd + U(0, balanceJitter). */
  balanceFactor: 2,
  balanceAdd: 1_500,
  balanceJitter: 3_000,
} as const;

/**
 * The same leads, their attributes drawn from a shifted distribution: older (ages + 10…20
 * years), half of them in another job (retired, management, self-employed), larger balances
 * (× 2 + 1,500…4,500). Every other cell is kept as written. Seeded: the same rows every run.
 */
export function shiftRows(
  header: readonly string[],
  rows: readonly (readonly string[])[],
  seed: number,
): string[][] {
  const at = (name: string) => {
    const index = header.indexOf(name);
    if (index < 0) throw new Error(`no "${name}" column to shift`);
    return index;
  };
  const [age, job, balance] = [at('age'), at('job'), at('balance')];
  const random = seededRandom(seed);
  const pickJob = (): string => {
    let u = random();
    for (const [name, weight] of SHIFTED_JOBS) {
      if (u < weight) return name;
      u -= weight;
    }
    return SHIFTED_JOBS[SHIFTED_JOBS.length - 1][0];
  };
  return rows.map((row) => {
    const cells = [...row];
    const years = SHIFT.ageMin + Math.floor(random() * (SHIFT.ageMax - SHIFT.ageMin + 1));
    cells[age] = String(Math.min(SHIFT.ageCap, Number(unquote(row[age])) + years));
    if (random() < SHIFT.jobShare) cells[job] = `"${pickJob()}"`;
    else random(); // one draw per lead either way: a row's shift does not depend on the others'
    cells[balance] = String(
      Math.round(
        Number(unquote(row[balance])) * SHIFT.balanceFactor +
          SHIFT.balanceAdd +
          random() * SHIFT.balanceJitter,
      ),
    );
    return cells;
  });
}

/** Mean age, median balance and the three commonest jobs of some rows: the shift in brief. */
export function populationSummary(header: readonly string[], rows: readonly (readonly string[])[]) {
  const column = (name: string) => rows.map((row) => unquote(row[header.indexOf(name)]));
  const ages = column('age').map(Number);
  const balances = column('balance')
    .map(Number)
    .sort((a, b) => a - b);
  const jobs = new Map<string, number>();
  for (const job of column('job')) jobs.set(job, (jobs.get(job) ?? 0) + 1);
  return {
    rows: rows.length,
    meanAge: round(ages.reduce((sum, x) => sum + x, 0) / Math.max(1, ages.length), 1),
    medianBalance: balances.length ? balances[Math.floor(balances.length / 2)] : null,
    topJobs: [...jobs.entries()]
      .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
      .slice(0, 3)
      .map(([job, count]) => `${job} ${round((100 * count) / rows.length, 1)} %`),
  };
}

// ---------------------------------------------------------------------------------------------
// The operations (as the integration tests send them; the decision with every figure).

export const DECISION_FIELDS = `id trigger status stage outcome datasetVersionId trainingJobId championId challengerId
  champion { auc prAuc logLoss brier } challenger { auc prAuc logLoss brier } testRows converted lost minConverted minLost
  rule { maxAucDrop maxBrierIncrease maxChampionAgeDays } reasons rescoreJobId failure requestedBy createdAt decidedAt`;

const BIN = 'label lower upper expectedShare actualShare';
export const REPORT_FIELDS = `id modelId modelVersion modelType deployed datasetVersionId trigger requestedBy
  threshold flagged flaggedFeatures maxFeaturePsi
  features { name kind psi flagged bins { ${BIN} } }
  score { psi flagged bins { ${BIN} } }
  baselineRows versionRows currentRows openLeads notes
  retraining { action decisionId reason } computedAt`;

const LIFECYCLE_FIELDS = `retrainingEnabled cadenceDays modelType params transformation
  promotion { maxAucDrop maxBrierIncrease maxChampionAgeDays } driftThreshold retrainOnDrift
  minConverted minLost nextRunAt custom updatedAt`;

export const OPS = {
  readiness:
    '{ trainingReadiness { converted lost neededConverted neededLost ready deployedModelId deployedModelType } }',
  train: 'mutation($input: TrainModelInput!) { trainModel(input: $input) { id } }',
  trainingJob:
    'query($id: ID!) { trainingJob(id: $id) { status stage modelId failure createdAt startedAt finishedAt } }',
  model:
    'query($id: ID!) { mlModel(id: $id) { id type status metrics { auc prAuc logLoss brier rows } split { method trainRows testRows } } }',
  deploy: 'mutation($id: ID!) { deployModel(id: $id) { rescoreJobId } }',
  scoringJob: 'query($id: ID!) { scoringJob(jobId: $id) { status processed total changed error } }',
  updateLifecycle: `mutation($input: UpdateModelLifecycleInput!) { updateModelLifecycle(input: $input) { ${LIFECYCLE_FIELDS} } }`,
  runRetraining: `mutation { runRetraining { ${DECISION_FIELDS} } }`,
  decision: `query($id: ID!) { modelDecision(id: $id) { ${DECISION_FIELDS} } }`,
  checkDrift: `mutation($modelId: ID) { checkModelDrift(modelId: $modelId) { ${REPORT_FIELDS} } }`,
} as const;

export interface Figures {
  auc: number | null;
  prAuc: number | null;
  logLoss: number | null;
  brier: number | null;
}

export interface DecisionView {
  id: string;
  status: string;
  stage: string;
  outcome: string | null;
  championId: string | null;
  challengerId: string | null;
  champion: Figures | null;
  challenger: Figures | null;
  testRows: number | null;
  reasons: string[];
  rescoreJobId: string | null;
  failure: string | null;
  [field: string]: unknown;
}

export interface Bin {
  label: string;
  lower: number | null;
  upper: number | null;
  expectedShare: number;
  actualShare: number;
}

export interface ReportView {
  id: string;
  modelId: string;
  flagged: boolean;
  flaggedFeatures: string[];
  maxFeaturePsi: number;
  features: { name: string; kind: string; psi: number; flagged: boolean; bins: Bin[] }[];
  score: { psi: number; flagged: boolean; bins: Bin[] };
  baselineRows: number;
  currentRows: number;
  openLeads: number;
  notes: string[];
  [field: string]: unknown;
}

// ---------------------------------------------------------------------------------------------
// Steps followed to their end.

const POLL_MS = 200;
const WAIT_MS = 15 * 60_000;

/**
 * `POST /import/leads` with any mapping (one without an outcome too), polled to its end by
 * `importCsv`; an import that failed or lost a row throws.
 */
export async function importLeads(
  context: { url: string; token: string; log: Log },
  csv: string,
  mapping: Record<string, unknown>,
  rows: number,
  label: string,
) {
  const done = await importCsv(context, csv, mapping, label);
  if (done.status !== 'COMPLETED' || done.importedRows !== rows)
    throw new Error(
      `${label}: ${done.status}, ${done.importedRows} of ${rows} rows; failure ${done.failure ?? 'none'}; first errors ${JSON.stringify(done.firstErrors)}`,
    );
  return { id: done.id, importedRows: done.importedRows, seconds: done.seconds };
}

/** `trainModel`, its job polled until COMPLETED: the model id and its own test metrics. */
export async function trainModel(
  url: string,
  token: string,
  input: Record<string, unknown>,
): Promise<{ jobId: string; modelId: string; model: unknown }> {
  const { id } = (await benchGql<{ trainModel: { id: string } }>(url, OPS.train, { input }, token))
    .trainModel;
  const sent = performance.now();
  for (;;) {
    await sleep(POLL_MS);
    const job = (
      await benchGql<{ trainingJob: { status: string; modelId: string; failure: string | null } }>(
        url,
        OPS.trainingJob,
        { id },
        token,
      )
    ).trainingJob;
    if (job.status === 'COMPLETED') {
      const model = (
        await benchGql<{ mlModel: unknown }>(url, OPS.model, { id: job.modelId }, token)
      ).mlModel;
      return { jobId: id, modelId: job.modelId, model };
    }
    if (job.status === 'FAILED' || job.status === 'CANCELLED')
      throw new Error(`training job ${id} ${job.status}: ${job.failure}`);
    if (performance.now() - sent > WAIT_MS)
      throw new Error(`training job ${id} still ${job.status}`);
  }
}

/** A rescoring job polled to COMPLETED: what it reported. */
export async function waitScoringJob(url: string, token: string, id: string) {
  const sent = performance.now();
  for (;;) {
    const job = (
      await benchGql<{
        scoringJob: {
          status: string;
          processed: number;
          total: number;
          changed: number;
          error: string | null;
        };
      }>(url, OPS.scoringJob, { id }, token)
    ).scoringJob;
    if (job.status === 'COMPLETED') return job;
    if (job.status === 'FAILED') throw new Error(`scoring job ${id} FAILED: ${job.error}`);
    if (performance.now() - sent > WAIT_MS)
      throw new Error(`scoring job ${id} still ${job.status}`);
    await sleep(POLL_MS);
  }
}

/**
 * A decision polled until it is no longer RUNNING; each stage it was seen in, with when it was
 * first seen (ms from `startedAt`, the mutation's send).
 */
export async function waitDecision(
  url: string,
  token: string,
  id: string,
  startedAt: number,
): Promise<{ decision: DecisionView; stages: { stage: string; atMs: number }[] }> {
  const stages: { stage: string; atMs: number }[] = [];
  for (;;) {
    const decision = (
      await benchGql<{ modelDecision: DecisionView }>(url, OPS.decision, { id }, token)
    ).modelDecision;
    const atMs = Math.round(performance.now() - startedAt);
    if (stages.at(-1)?.stage !== decision.stage) stages.push({ stage: decision.stage, atMs });
    if (decision.status !== 'RUNNING') return { decision, stages };
    if (atMs > WAIT_MS) throw new Error(`decision ${id} still RUNNING at ${decision.stage}`);
    await sleep(POLL_MS);
  }
}

/**
 * A report for print: every feature as the API answered it, but the bins only of the flagged
 * features and of `keepBinsOf` (the others' bins counted).
 */
export function trimmedReport(report: ReportView, keepBinsOf: readonly string[]) {
  return {
    ...report,
    features: report.features.map((feature) =>
      feature.flagged || keepBinsOf.includes(feature.name)
        ? feature
        : { ...feature, bins: `(${feature.bins.length} bins left out)` },
    ),
  };
}
