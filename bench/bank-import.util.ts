/**
 * What the bank-marketing benchmarks (`bench:data`, `bench:ml`) share: settings read from the
 * environment, the run's lifecycle (everything it started is stopped once: at the end, on failure,
 * on SIGINT/SIGTERM or at the deadline), throw-away local engines with the built app as a child
 * process, the bank CSV imported through `POST /import/leads`, and `createDatasetVersion` followed
 * to its end. Not pure (processes, files, HTTP): the pure parts live in data.util.ts.
 */
import { ChildProcess, spawn } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

import { loadConfig } from '../src/config/load-config';
import { findFreePort, guardChild, stopChild } from '../src/local-engines/child-process.util';
import { startLocalEngines } from '../src/local-engines/local-engines';
import { startMongoEngine } from '../src/local-engines/mongo-engine';
import { benchAppEnv, benchGql, sizeBenchEngineHeap, waitForHealth } from './bench-setup.util';
import {
  bankImportMapping,
  BankImportMapping,
  BuildObservation,
  buildPhases,
  countDataRows,
  csvHeader,
  PhaseRss,
  PhaseSpan,
} from './data.util';
import { round } from './stats.util';

export type Log = (message: string) => void;

/** An integer setting from the environment (`fallback` when unset), within [min, max]. */
export function setting(name: string, fallback: number, min: number, max: number): number {
  const value = Number(process.env[name]?.trim() || fallback);
  if (Number.isInteger(value) && value >= min && value <= max) return value;
  throw new Error(`${name} must be an integer from ${min} to ${max} (got ${process.env[name]})`);
}

// Compiled to .data/bench-build/bench/: the project is three folders up.
export const ROOT = resolve(__dirname, '..', '..', '..');

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));
export const seconds = (ms: number) => round(ms / 1000, 3);

// ---------------------------------------------------------------------------------------------
// The run's lifecycle.

/**
 * What a run started, each with how to stop it; stopped in reverse order, once (at the end, on
 * failure, on a signal or at the deadline). The app's pid is kept while it may run: an exit from
 * anywhere else kills it (the engines have their own watchdogs).
 */
export class BenchLifecycle {
  private readonly stops: (() => unknown)[] = [];
  private stopped?: Promise<void>;
  appPid?: number;

  constructor(private readonly tag: string) {}

  onStop(stop: () => unknown): void {
    this.stops.push(stop);
  }

  stopAll(): Promise<void> {
    this.stopped ??= (async () => {
      for (const stop of this.stops.reverse())
        await Promise.resolve()
          .then(stop)
          .catch(() => undefined);
    })();
    return this.stopped;
  }

  /** Ends the run with `code` once everything it started is stopped. */
  exitAfterStop(code: number, why?: string): void {
    if (why) process.stderr.write(`[${this.tag}] ${why}\n`);
    void this.stopAll().finally(() => process.exit(code));
  }

  /** Runs `main` to its exit code, within `maxMinutes`, stopping everything on a signal. */
  run(main: () => Promise<number>, maxMinutes: number): void {
    const deadline = setTimeout(
      () => this.exitAfterStop(2, `over ${maxMinutes} min: stopping`),
      maxMinutes * 60_000,
    );
    process.once('SIGINT', () => this.exitAfterStop(130, 'SIGINT: stopping'));
    process.once('SIGTERM', () => this.exitAfterStop(130, 'SIGTERM: stopping'));
    process.once('exit', () => {
      try {
        if (this.appPid !== undefined) process.kill(this.appPid, 'SIGKILL');
      } catch {
        // already gone
      }
    });
    main().then(
      (code) => {
        clearTimeout(deadline);
        this.exitAfterStop(code);
      },
      (error: unknown) => {
        clearTimeout(deadline);
        this.exitAfterStop(
          1,
          error instanceof Error ? (error.stack ?? error.message) : String(error),
        );
      },
    );
  }
}

// ---------------------------------------------------------------------------------------------
// Engines and the app.

export interface BenchApp {
  readonly url: string;
  readonly pid: number;
  /** The app's database, on the engines' MongoDB. */
  readonly mongoUri: string;
  readonly engines: readonly string[];
  /** The MongoDB engine's process when this run started it (undefined: an external one). */
  readonly mongoPid: number | undefined;
}

/**
 * Throw-away engines (but for those MONGODB_URI / REDIS_URL point at), stopped by `life`; each
 * described in the run's log.
 */
export async function startBenchEngines(
  life: BenchLifecycle,
  log: Log,
): Promise<Awaited<ReturnType<typeof startLocalEngines>> & { mongoPid: number | undefined }> {
  const heap = sizeBenchEngineHeap();
  if (heap) log(`mongo-java-server heap: ${heap} (JAVA_TOOL_OPTIONS=-Xmx… sets another)`);
  const h2 = await startH2Engine(life);
  const engines = await startLocalEngines({
    config: loadConfig({
      ...process.env,
      NODE_ENV: 'test',
      ...(h2 ? { MONGODB_URI: h2.uri } : {}),
    }),
    persistent: false,
    env: process.env,
  });
  life.onStop(() => engines.stop());
  const descriptions = h2
    ? [
        `MongoDB: ${h2.name}, started locally (pid ${h2.pid}) at ${h2.uri}, in ${h2.dir}`,
        ...engines.descriptions.filter((line) => !line.startsWith('MongoDB')),
      ]
    : engines.descriptions;
  descriptions.forEach((line) => log(line));
  return {
    ...engines,
    mongoUri: h2?.uri ?? engines.mongoUri,
    mongoPid: h2 ? h2.pid : engines.mongo?.pid,
    descriptions,
  };
}

/**
 * BENCH_MONGO_STORE=h2: mongo-java-server keeping its data in an H2 file (a throw-away folder
 * under the system's temporary one, removed at the end) rather than in its heap, for tenants whose
 * data would not fit in memory (the million-lead stage of `bench:scale`). Slower to write (every
 * answer waits for its commit), so its figures are not comparable with the memory engine's.
 */
async function startH2Engine(
  life: BenchLifecycle,
): Promise<{ uri: string; pid: number | undefined; name: string; dir: string } | undefined> {
  const store = process.env.BENCH_MONGO_STORE ?? 'memory';
  if (store === 'memory') return undefined;
  if (store !== 'h2') throw new Error(`BENCH_MONGO_STORE must be memory or h2 (got ${store})`);
  const dir = mkdtempSync(join(process.env.BENCH_H2_DIR ?? tmpdir(), 'bench-h2-'));
  const engine = await startMongoEngine({ engine: 'java', persistentDir: dir, env: process.env });
  life.onStop(async () => {
    await engine.stop();
    rmSync(dir, { recursive: true, force: true });
  });
  return { uri: engine.uri, pid: engine.pid, name: engine.name, dir };
}

/**
 * Throw-away engines (but for those MONGODB_URI / REDIS_URL point at) and the built app
 * (`dist/main.js`, production, role all) on them, healthy; both stopped by `life`.
 */
export async function startBenchApp(
  life: BenchLifecycle,
  { database, log, nodeFlags = [] }: { database: string; log: Log; nodeFlags?: readonly string[] },
): Promise<BenchApp> {
  const engines = await startBenchEngines(life, log);

  const port = await findFreePort();
  const mongoUri = `${engines.mongoUri}/${database}`;
  const env = benchAppEnv({ port, mongoUri, redisUrl: engines.redisUrl });
  // The default (5,000 rows): a build of the whole file goes through the `datasets` queue.
  delete env.DATASET_INLINE_MAX_ROWS;
  const app = spawn(process.execPath, [...nodeFlags, join(ROOT, 'dist', 'main.js')], {
    env,
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  life.onStop(() => stopChild(app, 5_000));
  if (app.pid === undefined) throw new Error('the app did not start');
  life.appPid = app.pid;
  app.once('exit', () => (life.appPid = undefined));
  // Killed outright, this process still takes the app with it (as the engines do).
  guardChild(app.pid);
  const url = `http://127.0.0.1:${port}`;
  await waitForHealth(url, app);
  return {
    url,
    pid: app.pid,
    mongoUri,
    engines: engines.descriptions,
    mongoPid: engines.mongoPid,
  };
}

/**
 * The app as a process of the run, its log lines appended to `logFile` (a failure mid-run is then
 * readable): `main` run with node `flags`, killed with the run, healthy at `env.PORT`. Stopping it
 * at the end is the caller's (some restart it midway).
 */
export async function spawnLoggedApp(
  life: BenchLifecycle,
  {
    main,
    flags = [],
    env,
    logFile,
  }: { main: string; flags?: readonly string[]; env: NodeJS.ProcessEnv; logFile: string },
): Promise<ChildProcess & { pid: number }> {
  const appLog = openSync(logFile, 'a');
  const child = spawn(process.execPath, [...flags, main], {
    env,
    stdio: ['ignore', appLog, 'inherit'],
  });
  closeSync(appLog);
  if (child.pid === undefined) throw new Error('the app did not start');
  life.appPid = child.pid;
  guardChild(child.pid);
  await waitForHealth(`http://127.0.0.1:${env.PORT}`, child);
  return child as ChildProcess & { pid: number };
}

// ---------------------------------------------------------------------------------------------
// The bank file and its import.

export const BANK_CSV_PATH = resolve(
  process.env.BENCH_DATA_CSV ?? '/work/shared/data/bank-marketing-full.csv',
);
export const BANK_ROWS = 45_211;

export interface BankCsv {
  readonly path: string;
  readonly csv: string;
  readonly rows: number;
  readonly mapping: BankImportMapping;
}

/** The bank file, its data rows and its import mapping (`y` the outcome, `duration` left out). */
export function readBankCsv(log: Log): BankCsv {
  const csv = readFileSync(BANK_CSV_PATH, 'utf8');
  const rows = countDataRows(csv);
  if (rows !== BANK_ROWS) log(`note: ${BANK_CSV_PATH} has ${rows} data rows, not ${BANK_ROWS}`);
  const mapping = bankImportMapping(csvHeader(csv));
  log(`${BANK_CSV_PATH}: ${rows} rows; attributes ${mapping.attributes.join(', ')}`);
  return { path: BANK_CSV_PATH, csv, rows, mapping };
}

const IMPORT_POLL_MS = 250;
const IMPORT_WAIT_MS = 20 * 60_000;

interface ImportView {
  id: string;
  status: string;
  totalRows: number;
  processedRows: number;
  importedRows: number;
  failedRows: number;
  errors: { row: number; messages: string[] }[];
  failure?: string | null;
  createdAt: string;
}

/**
 * Uploads `csv` to `POST /import/leads` and polls the import to its end. Any mapping the endpoint
 * takes (the bank file's, or one without an outcome for open leads).
 */
export async function importCsv(
  { url, token, log }: { url: string; token: string; log: Log },
  csv: string,
  mapping: BankImportMapping | Record<string, unknown>,
  label: string,
) {
  const auth = { authorization: `Bearer ${token}` };
  const sent = performance.now();
  const response = await fetch(
    `${url}/import/leads?mapping=${encodeURIComponent(JSON.stringify(mapping))}`,
    {
      method: 'POST',
      headers: { 'content-type': 'text/csv', ...auth },
      body: csv,
      signal: AbortSignal.timeout(IMPORT_WAIT_MS),
    },
  );
  const text = await response.text();
  if (response.status !== 202)
    throw new Error(`${label}: the upload answered ${response.status}: ${text.slice(0, 2000)}`);
  const uploadMs = performance.now() - sent;
  const { id } = JSON.parse(text) as ImportView;
  log(`${label}: upload staged in ${seconds(uploadMs)} s (import ${id})`);
  let lastLog = performance.now();
  for (;;) {
    const poll = await fetch(`${url}/import/leads/${id}`, {
      headers: auth,
      signal: AbortSignal.timeout(60_000),
    });
    const view = (await poll.json()) as ImportView;
    if (!poll.ok) throw new Error(`${label}: GET /import/leads/${id}: ${JSON.stringify(view)}`);
    const elapsedMs = performance.now() - sent;
    if (view.status === 'COMPLETED' || view.status === 'FAILED') {
      const figures = {
        id,
        status: view.status,
        createdAt: view.createdAt,
        totalRows: view.totalRows,
        importedRows: view.importedRows,
        failedRows: view.failedRows,
        firstErrors: view.errors.slice(0, 5),
        failure: view.failure ?? null,
        uploadSeconds: seconds(uploadMs),
        seconds: seconds(elapsedMs),
        rowsPerSecond: round(view.importedRows / (elapsedMs / 1000), 0),
      };
      log(
        `${label}: ${view.status}, ${view.importedRows} of ${view.totalRows} rows imported (${view.failedRows} failed) in ${figures.seconds} s: ${figures.rowsPerSecond} rows/s`,
      );
      return figures;
    }
    if (elapsedMs > IMPORT_WAIT_MS)
      throw new Error(
        `${label}: not finished after ${seconds(elapsedMs)} s: ${JSON.stringify(view)}`,
      );
    if (performance.now() - lastLog > 10_000) {
      lastLog = performance.now();
      log(`${label}: ${view.status}, ${view.processedRows} / ${view.totalRows} rows`);
    }
    await sleep(IMPORT_POLL_MS);
  }
}
export type ImportFigures = Awaited<ReturnType<typeof importCsv>>;

/** An import that failed, lost rows or reported errors is no history to build versions of. */
export function checkImport(figures: ImportFigures, rows: number, label: string): void {
  if (figures.status !== 'COMPLETED' || figures.importedRows !== rows)
    throw new Error(
      `${label}: ${figures.status}, ${figures.importedRows} of ${rows} rows imported; failure: ${figures.failure ?? 'none'}; first errors: ${JSON.stringify(figures.firstErrors)}`,
    );
}

// ---------------------------------------------------------------------------------------------
// createDatasetVersion, followed to its end.

export const BUILD_POLL_MS = 25;
const BUILD_WAIT_MS = 10 * 60_000;

const CREATE_MUTATION =
  'mutation($input: CreateDatasetVersionInput!) { createDatasetVersion(input: $input) { id status stage reused version { id rowCount chunkCount } } }';
const BUILD_QUERY =
  'query($id: ID!) { datasetVersionBuild(id: $id) { status stage rowsRead totalRows reused createdAt finishedAt error { code message } version { id rowCount chunkCount converted lost } } }';

interface BuildView {
  id?: string;
  status: string;
  stage: string;
  rowsRead?: number;
  totalRows?: number;
  reused: boolean;
  createdAt?: string;
  finishedAt?: string | null;
  error?: { code: string; message: string } | null;
  version: {
    id: string;
    rowCount: number;
    chunkCount: number;
    converted?: number;
    lost?: number;
  } | null;
}

export interface BuildRun {
  name: string;
  transformation: Record<string, unknown> | null;
  buildId: string;
  /** From the mutation's send to the poll that saw COMPLETED. */
  seconds: number;
  /** finishedAt − createdAt of the build record (the app's clock). */
  serverSeconds: number | null;
  reused: boolean;
  versionId: string;
  rowCount: number;
  chunkCount: number;
  converted: number | null;
  lost: number | null;
  polls: number;
  phases: PhaseSpan[];
  rss?: PhaseRss;
}

export const phasesText = (phases: readonly PhaseSpan[]) =>
  phases
    .filter((p) => p.phase !== 'COMPLETED')
    .map((p) => `${p.phase} ${round(p.ms, 0)}`)
    .join(', ');

/** createDatasetVersion, polled every BUILD_POLL_MS until COMPLETED (or an error). */
export async function timedBuild(
  url: string,
  token: string,
  name: string,
  transformation: Record<string, unknown> | null,
): Promise<BuildRun> {
  const observations: BuildObservation[] = [];
  const sent = performance.now();
  const input = { name, ...(transformation ? { transformation } : {}) };
  const created = (
    await benchGql<{ createDatasetVersion: BuildView & { id: string } }>(
      url,
      CREATE_MUTATION,
      { input },
      token,
    )
  ).createDatasetVersion;
  let view: BuildView = created;
  observations.push({ atMs: performance.now() - sent, status: view.status, stage: view.stage });
  while (view.status !== 'COMPLETED' && view.status !== 'FAILED') {
    if (performance.now() - sent > BUILD_WAIT_MS)
      throw new Error(`${name}: build ${created.id} still ${view.status}/${view.stage}`);
    await sleep(BUILD_POLL_MS);
    view = (
      await benchGql<{ datasetVersionBuild: BuildView }>(
        url,
        BUILD_QUERY,
        { id: created.id },
        token,
      )
    ).datasetVersionBuild;
    observations.push({ atMs: performance.now() - sent, status: view.status, stage: view.stage });
  }
  const ms = performance.now() - sent;
  const phases = buildPhases(observations, ms);
  if (view.status === 'FAILED' || !view.version)
    throw new Error(
      `${name}: build ${created.id} ${view.status} after ${seconds(ms)} s (phases ms: ${phasesText(phases)}): ${JSON.stringify(view.error)}`,
    );
  const server =
    view.createdAt && view.finishedAt
      ? (new Date(view.finishedAt).getTime() - new Date(view.createdAt).getTime()) / 1000
      : null;
  return {
    name,
    transformation,
    buildId: created.id,
    seconds: seconds(ms),
    serverSeconds: server === null ? null : round(server, 3),
    reused: view.reused,
    versionId: view.version.id,
    rowCount: view.version.rowCount,
    chunkCount: view.version.chunkCount,
    converted: view.version.converted ?? null,
    lost: view.version.lost ?? null,
    polls: observations.length,
    phases,
  };
}
