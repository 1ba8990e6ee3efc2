import { bearer, registerTenant, Session } from '@test/utils/auth';
import { AppProcess, spawnAppProcess } from '@test/utils/app-process';
import { gql } from '@test/utils/graphql-client';
import { importCsv } from '@test/utils/imports';
import { dropTestDatabase, newTestNamespace, startTestApp, TestApp } from '@test/utils/test-app';

/** Quick stall detection: a dead worker's job is handed on within about two seconds. */
const QUEUE_ENV = { QUEUE_LOCK_DURATION_MS: '1500', QUEUE_STALLED_INTERVAL_MS: '700' };
/** A fit long enough to kill in the middle (early stopping off, many small trees). */
const SLOW_FIT = { maxIterations: 5000, earlyStopping: 'OFF', minSamplesLeaf: 2, maxLeafNodes: 63 };
const JOB_FIELDS = 'id status stage iteration attempts failure modelId';

interface JobView {
  id: string;
  status: string;
  stage: string;
  iteration: number;
  attempts: number;
  failure: string | null;
  modelId: string | null;
}

function historyCsv(rows: number): string {
  const lines = ['id;a;b;c;y'];
  for (let i = 0; i < rows; i++) {
    const a = (i * 37) % 101;
    const b = (i * 53) % 97;
    lines.push(`W-${i};${a};${b};${['x', 'y', 'z'][i % 3]};${(a + b) % 7 < 3 ? 'yes' : 'no'}`);
  }
  return lines.join('\n');
}

/**
 * Real worker processes (the built app, role worker) killed with SIGKILL in the middle of a fit:
 * the job is retried once and otherwise FAILED with its reason — never left ACTIVE.
 */
describe('training survives workers killed mid-fit', () => {
  const namespace = newTestNamespace();
  let api: TestApp;
  let admin: Session;
  let versionId: string;
  const workers: AppProcess[] = [];

  beforeAll(async () => {
    api = await startTestApp({
      namespace,
      role: 'api',
      env: { ...QUEUE_ENV, DATASET_INLINE_MAX_ROWS: '100000' },
    });
    admin = await registerTenant(api.url);
    // The api process has no import worker: one worker imports, then goes.
    const importer = await spawnAppProcess({ namespace, role: 'worker', env: QUEUE_ENV });
    try {
      await importCsv(api.url, admin, historyCsv(2000), {
        leadId: 'id',
        outcome: { column: 'y', converted: ['yes'], lost: ['no'] },
        attributes: ['*'],
      });
    } finally {
      importer.child.kill('SIGTERM');
      await importer.exited;
    }
    const version = await gql<{ createDatasetVersion: { version: { id: string } } }>(
      api.url,
      'mutation { createDatasetVersion(input: { name: "kill" }) { version { id } } }',
      { headers: bearer(admin) },
    );
    versionId = version.data!.createDatasetVersion.version.id;
  });

  afterAll(async () => {
    workers.forEach((worker) => worker.kill());
    await api?.close();
    await dropTestDatabase(namespace);
  });

  async function job(id: string): Promise<JobView> {
    const response = await gql<{ trainingJob: JobView }>(
      api.url,
      `query($id: ID!) { trainingJob(id: $id) { ${JOB_FIELDS} } }`,
      { variables: { id }, headers: bearer(admin) },
    );
    return response.data!.trainingJob;
  }

  async function waitFor(id: string, done: (view: JobView) => boolean, timeoutMs = 45_000) {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const view = await job(id);
      if (done(view)) return view;
      if (Date.now() > deadline) throw new Error(`job not there in time: ${JSON.stringify(view)}`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }

  /** Starts a worker process, waits until it is fitting this job's attempt, kills it. */
  async function killMidFit(jobId: string, attempt: number): Promise<void> {
    const worker = await spawnAppProcess({ namespace, role: 'worker', env: QUEUE_ENV });
    workers.push(worker);
    await waitFor(
      jobId,
      (view) => view.stage === 'FITTING' && view.attempts === attempt && view.iteration > 5,
    );
    worker.kill();
    await worker.exited;
  }

  async function train(): Promise<string> {
    const started = await gql<{ trainModel: JobView }>(
      api.url,
      'mutation($input: TrainModelInput!) { trainModel(input: $input) { id status } }',
      {
        variables: {
          input: { datasetVersionId: versionId, modelType: 'GRADIENT_BOOSTING', params: SLOW_FIT },
        },
        headers: bearer(admin),
      },
    );
    expect(started.errors).toBeUndefined();
    expect(started.data!.trainModel.status).toBe('QUEUED');
    return started.data!.trainModel.id;
  }

  async function modelStatus(modelId: string): Promise<string> {
    const response = await gql<{ mlModel: { status: string } }>(
      api.url,
      'query($id: ID!) { mlModel(id: $id) { status } }',
      { variables: { id: modelId }, headers: bearer(admin) },
    );
    return response.data!.mlModel.status;
  }

  it('retries a job whose worker died, and it completes on the next worker', async () => {
    const jobId = await train();
    await killMidFit(jobId, 1);
    // Worker processes, not in this process, as a deployment runs them (a second app here would
    // close its Redis when it closes).
    const rescuer = await spawnAppProcess({ namespace, role: 'worker', env: QUEUE_ENV });
    workers.push(rescuer);
    const done = await waitFor(
      jobId,
      (view) => view.status !== 'ACTIVE' && view.status !== 'QUEUED',
      120_000,
    );
    expect(done).toMatchObject({ status: 'COMPLETED', attempts: 2, failure: null });
    expect(await modelStatus(done.modelId!)).toBe('READY');
    rescuer.kill();
  });

  it('fails a job whose workers died twice, with the reason, never leaving it ACTIVE', async () => {
    const jobId = await train();
    await killMidFit(jobId, 1);
    await killMidFit(jobId, 2);
    workers.push(await spawnAppProcess({ namespace, role: 'worker', env: QUEUE_ENV }));
    const done = await waitFor(
      jobId,
      (view) => view.status !== 'ACTIVE' && view.status !== 'QUEUED',
    );
    expect(done).toMatchObject({ status: 'FAILED', attempts: 2 });
    expect(done.failure).toMatch(/worker stopped 2 times/);
    expect(await modelStatus(done.modelId!)).toBe('FAILED');
  });
});
