import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { getConnectionToken, getModelToken } from '@nestjs/mongoose';
import mongoose, { Connection, Model, mongo, Types } from 'mongoose';
import request from 'supertest';

import { LeadImport } from '@/leads/import/lead-import.schema';
import { leadRefFor } from '@/leads/lead-snapshot.util';
import type { SupervisorLogger } from '@/local-engines/engine-supervisor';
import type { StartedEngines } from '@/local-engines/local-engines';
import { AppProcess, spawnAppProcess } from '@test/utils/app-process';
import { startSupervisedEngines } from '@test/utils/supervised-engines';
import { bearer, registerTenant, Session } from '@test/utils/auth';
import { gql } from '@test/utils/graphql-client';
import {
  checkIntegrity,
  eventually,
  gqlOutcome,
  HealthSample,
  InteractionLedger,
  Outcomes,
  pollHealth,
  restOutcome,
  webhookOutcome,
} from '@test/utils/faults';
import { InteractionSpec, makeInteraction, makeLead, upsertLeads } from '@test/utils/leads';
import {
  dropTestDatabase,
  engineUrls,
  newTestNamespace,
  startTestApp,
  TestApp,
  TestNamespace,
} from '@test/utils/test-app';

/**
 * Issue 14, part B, faults. Engines are restarted and workers killed while a bounded load runs;
 * afterwards every acknowledged interaction is in the log exactly once, every lead's engagement
 * matches its log and every score its lead, jobs end, and the API answered UNAVAILABLE (never
 * INTERNAL_SERVER_ERROR) and /health 503 while an engine was down. The MongoDB engine is the local
 * runs' one, mongo-java-server on an H2 file, restarted (SIGTERM) and killed (-9): it answers a
 * write only once it is in its file, so nothing acknowledged may be missing, and it closes
 * connections with a reset (see tools/mongo-java-server), so the app's driver is back at once.
 *
 * Covered elsewhere, not repeated: kill -9 of the worker during batch rescoring
 * (batch-kill.e2e-spec.ts). Not covered yet: kill -9 during training (training does not exist).
 */

const RECORD =
  'mutation($input: RecordInteractionsInput!) { recordInteractions(input: $input) { accepted duplicates } }';
const READ = 'query { leads(limit: 20) { total items { leadId score } } }';

class QuietLogger implements SupervisorLogger {
  readonly lines: string[] = [];
  log(entry: unknown) {
    this.lines.push(JSON.stringify(entry));
  }
  warn(entry: unknown) {
    this.lines.push(JSON.stringify(entry));
  }
  error(entry: unknown) {
    this.lines.push(JSON.stringify(entry));
  }
}

function interactionBatch(leadIds: readonly string[], round: number, size = 3): InteractionSpec[] {
  return Array.from({ length: size }, (_, j) => {
    const leadId = leadIds[(round * size + j) % leadIds.length];
    return (round + j) % 2 === 0
      ? makeInteraction({ leadId, type: 'EMAIL_OPEN' })
      : makeInteraction({ leadId, type: 'WEBSITE_VISIT', secondsSpent: 5 + (round % 7) });
  });
}

/** What /health said: 200 only with both UP, 503 only with a dependency DOWN. */
function healthLies(samples: readonly HealthSample[]): HealthSample[] {
  return samples.filter((s) =>
    s.status === 200
      ? s.mongo !== 'UP' || s.redis !== 'UP'
      : s.status !== 503 || (s.mongo !== 'DOWN' && s.redis !== 'DOWN'),
  );
}

describe('faults: engines restarted under load (own supervised engines)', () => {
  const logger = new QuietLogger();
  const leadIds = Array.from({ length: 24 }, (_, i) => `F-${String(i).padStart(2, '0')}`);
  const ledger = new InteractionLedger();
  let dataDir: string;
  let engines: StartedEngines;
  let sut: TestApp;
  let admin: Session;
  let webhookSecret: string;
  let db: Connection;

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'lead-scoring-faults-'));
    // The first restart is at once (the engine is away for a few hundred ms, which clients ride
    // out); the second waits one interval, longer than MongoDB's server selection timeout (2 s)
    // and Redis' retry (~1 s): then requests must be refused with UNAVAILABLE.
    engines = await startSupervisedEngines({
      dataDir,
      logger,
      watchIntervalMs: 3000,
      maxRestarts: 5,
    });
    sut = await startTestApp({
      namespace: newTestNamespace(),
      engineUrls: { mongo: engines.mongoUri, redis: engines.redisUrl },
    });
    db = sut.app.get<Connection>(getConnectionToken());
    admin = await registerTenant(sut.url);
    await upsertLeads(
      sut.url,
      admin,
      leadIds.map((leadId) => makeLead({ leadId })),
    );
    const rotated = await gql<{ rotateWebhookSecret: string }>(
      sut.url,
      'mutation { rotateWebhookSecret }',
      { headers: bearer(admin) },
    );
    webhookSecret = rotated.data!.rotateWebhookSecret;
  });

  afterAll(async () => {
    await sut?.close();
    await engines?.stop();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  /** Sends the batches that got no acknowledgement again, as a client would, until acknowledged. */
  async function retryUnacknowledged(): Promise<void> {
    const pending = ledger.unacknowledged.splice(0);
    for (const batch of pending) {
      const answer = await eventually(
        () => gqlOutcome(sut.url, RECORD, { input: { interactions: batch } }, admin),
        (r) => r.outcome.kind === 'ok',
        15_000,
        200,
      );
      expect(answer.outcome).toMatchObject({ kind: 'ok' });
      ledger.record(batch, true);
    }
  }

  /**
   * Every acknowledged key is logged once, with no tolerance: the engine answers a write only once
   * it is in its file (see tools/mongo-java-server). After the client's retries the log is exactly
   * what was sent, each lead's engagement is its log's and each score its lead's.
   */
  async function expectNothingLost(): Promise<void> {
    const before = await checkIntegrity(db, admin.tenantId, leadIds);
    const lost = [...ledger.acknowledged].filter((key) => !before.loggedKeys.has(key));
    expect({ lost }).toEqual({ lost: [] });
    await retryUnacknowledged();
    const after = await checkIntegrity(db, admin.tenantId, leadIds);
    expect(after.problems).toEqual([]);
    expect([...after.loggedKeys].sort()).toEqual([...ledger.sent.keys()].sort());
  }

  /**
   * Runs `step` round after round (each request bounded) while the engine is stopped by `signal`
   * `times` times: after a few rounds, and again each time it is back. The supervisor restarts
   * an engine at once the first time, after a pause (the watch interval, doubling) the next ones.
   * Ends when the engine has been healthy for a while after the last stop, at most 30 s.
   */
  async function underKills(
    times: number,
    signal: NodeJS.Signals,
    pidOf: () => number | undefined,
    step: (round: number) => Promise<void>,
  ): Promise<{ samples: HealthSample[]; pids: number[] }> {
    const health = pollHealth(sut.url, 50);
    const pids: number[] = [];
    const kills: number[] = [];
    const deadline = Date.now() + 30_000;
    const healthySince = (at: number) =>
      health.samples.filter((s) => s.at > at && s.status === 200).length;
    let lastKillRound = 0;
    for (let round = 0; Date.now() < deadline; round++) {
      const pid = pidOf();
      const back =
        kills.length > 0 &&
        pid !== pids[pids.length - 1] &&
        healthySince(kills[kills.length - 1]) >= 5;
      if (kills.length === 0 ? round === 8 : back && round >= lastKillRound + 5) {
        if (kills.length === times) break;
        pids.push(pid!);
        process.kill(pid!, signal);
        kills.push(Date.now());
        lastKillRound = round;
      }
      await step(round);
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    const samples = await health.stop();
    expect(kills.length).toBe(times);
    return { samples, pids };
  }

  it('Redis killed (-9) twice during ingestion: acknowledged events kept once, UNAVAILABLE while down, back by itself', async () => {
    const writes = new Outcomes();
    const restWrites = new Outcomes();
    // The first restart is at once; the second after a pause: clients meet Redis away.
    const { samples, pids } = await underKills(
      2,
      'SIGKILL',
      () => engines.redis!.pid,
      async (round) => {
        const batch = interactionBatch(leadIds, 2 * round);
        const delivery = interactionBatch(leadIds, 2 * round + 1);
        const [write, delivered] = await Promise.all([
          gqlOutcome(sut.url, RECORD, { input: { interactions: batch } }, admin),
          webhookOutcome(sut.url, admin.tenantId, webhookSecret, delivery),
        ]);
        writes.add(write.outcome);
        restWrites.add(delivered);
        ledger.record(batch, write.outcome.kind === 'ok');
        ledger.record(delivery, delivered.kind === 'ok');
      },
    );
    const recovered = await eventually(
      () => request(sut.url).get('/health').timeout(3_000),
      (r) => r.status === 200,
      20_000,
    );

    expect({ writes: writes.unexpected, restWrites: restWrites.unexpected }).toEqual({
      writes: [],
      restWrites: [],
    });
    expect(pids).not.toContain(engines.redis!.pid);
    expect(writes.counts.unavailable).toBeGreaterThan(0);
    expect(restWrites.counts.unavailable).toBeGreaterThan(0);
    expect(samples.some((s) => s.status === 503 && s.redis === 'DOWN')).toBe(true);
    expect(healthLies(samples)).toEqual([]);
    expect(recovered.status).toBe(200);
    await expectNothingLost();
    report('redis SIGKILL', { writes, restWrites }, samples);
  });

  /** Reads and writes (GraphQL and REST) while the MongoDB engine is stopped by `signal`. */
  async function mongoUnderLoad(signal: NodeJS.Signals, expectRefusals: boolean) {
    const outcomes = {
      writes: new Outcomes(),
      restWrites: new Outcomes(),
      reads: new Outcomes(),
      restReads: new Outcomes(),
    };
    const { samples, pids } = await underKills(
      1,
      signal,
      () => engines.mongo!.pid,
      async (round) => {
        const batch = interactionBatch(leadIds, 2 * round);
        const delivery = interactionBatch(leadIds, 2 * round + 1);
        const [write, delivered, read, rest] = await Promise.all([
          gqlOutcome(sut.url, RECORD, { input: { interactions: batch } }, admin),
          webhookOutcome(sut.url, admin.tenantId, webhookSecret, delivery),
          gqlOutcome(sut.url, READ, {}, admin),
          restOutcome(sut.url, '/leads/scoring?limit=20', admin),
        ]);
        outcomes.writes.add(write.outcome);
        outcomes.restWrites.add(delivered);
        outcomes.reads.add(read.outcome);
        outcomes.restReads.add(rest);
        ledger.record(batch, write.outcome.kind === 'ok');
        ledger.record(delivery, delivered.kind === 'ok');
      },
    );
    const recovered = await eventually(
      () => request(sut.url).get('/health').timeout(3_000),
      (r) => r.status === 200,
      20_000,
    );

    expect({
      writes: outcomes.writes.unexpected,
      restWrites: outcomes.restWrites.unexpected,
      reads: outcomes.reads.unexpected,
      restReads: outcomes.restReads.unexpected,
    }).toEqual({ writes: [], restWrites: [], reads: [], restReads: [] });
    expect(pids).not.toContain(engines.mongo!.pid);
    if (expectRefusals) {
      // Down longer than server selection waits: writes refused (REST: 503), served after.
      expect(outcomes.writes.counts.unavailable).toBeGreaterThan(0);
      expect(outcomes.restWrites.counts.unavailable).toBeGreaterThan(0);
    }
    expect(samples.some((s) => s.status === 503 && s.mongo === 'DOWN')).toBe(true);
    expect(healthLies(samples)).toEqual([]);
    expect(recovered.status).toBe(200);
    const last = await Promise.all([
      gqlOutcome(sut.url, READ, {}, admin),
      restOutcome(sut.url, '/leads/scoring?limit=20', admin),
    ]);
    expect([last[0].outcome.kind, last[1].kind]).toEqual(['ok', 'ok']);
    return { outcomes, samples };
  }

  it('MongoDB engine restarted (SIGTERM) during reads and writes: /health 503 while down, UNAVAILABLE at worst, nothing lost', async () => {
    // Restarted at once: the engine answers what it was running, turns the rest away for the
    // driver to run again once it is back, and requests wait for it (server selection).
    const { outcomes, samples } = await mongoUnderLoad('SIGTERM', false);
    await expectNothingLost();
    report('mongo SIGTERM', outcomes, samples);
  });

  it('MongoDB engine killed (-9) during reads and writes: 503/UNAVAILABLE while down, nothing acknowledged lost, consistent after', async () => {
    // Killed once unloaded first, so the loaded kill is surely a second restart in a row, which
    // the supervisor delays by an interval (3 s), longer than server selection waits (2 s). The
    // SIGTERM test's restart alone does not ensure it: 12 passing checks (36 s) after a restart
    // the supervisor's budget is full again and it restarts at once (a slow CI machine got there).
    const primed = engines.mongo!.pid;
    process.kill(primed!, 'SIGKILL');
    const back = await eventually(
      async () => ({
        pid: engines.mongo!.pid,
        health: await request(sut.url)
          .get('/health')
          .timeout(3_000)
          .then(
            (r) => r.status,
            () => 0,
          ),
      }),
      (r) => r.pid !== undefined && r.pid !== primed && r.health === 200,
      20_000,
    );
    expect(back).toMatchObject({ health: 200 });
    const { outcomes, samples } = await mongoUnderLoad('SIGKILL', true);
    await expectNothingLost();
    report('mongo SIGKILL', outcomes, samples);
  }, 90_000);
});

/** One line per fault for the log of the run: what clients got and what /health said. */
function report(fault: string, outcomes: Record<string, Outcomes>, samples: HealthSample[]): void {
  const counts = Object.fromEntries(Object.entries(outcomes).map(([k, v]) => [k, v.counts]));
  const down = samples.filter((s) => s.status !== 200).length;
  process.stdout.write(
    `${fault}: ${JSON.stringify(counts)}; /health ${samples.length} samples, ${down} not 200\n`,
  );
}

interface ImportView {
  id: string;
  status: string;
  totalRows: number;
  processedRows: number;
  importedRows: number;
  failedRows: number;
  failure: string | null;
  errors: { row: number; messages: string[] }[];
}

/** `rows` data rows; every `badEvery`th has an invalid email (reported, not imported). */
function generatedCsv(prefix: string, rows: number, badEvery: number): string {
  const lines = ['id,name,email,industry,employees'];
  for (let row = 1; row <= rows; row++) {
    const email =
      row % badEvery === 0 ? 'not-an-email' : `${prefix.toLowerCase()}${row}@example.test`;
    lines.push(`${prefix}${row},Lead ${row},${email},industry-${row % 13},${row % 500}`);
  }
  return lines.join('\n');
}

const IMPORT_MAPPING = encodeURIComponent(
  JSON.stringify({
    leadId: 'id',
    name: 'name',
    email: 'email',
    attributes: ['industry', 'employees'],
  }),
);

async function upload(url: string, session: Session, csv: string): Promise<ImportView> {
  const started = await request(url)
    .post(`/import/leads?mapping=${IMPORT_MAPPING}`)
    .timeout(20_000)
    .set(bearer(session))
    .set('content-type', 'text/csv')
    .send(csv);
  expect(started.status).toBe(202);
  return started.body as ImportView;
}

async function importView(url: string, session: Session, id: string): Promise<ImportView> {
  const response = await request(url)
    .get(`/import/leads/${id}`)
    .timeout(5_000)
    .set(bearer(session));
  return response.body as ImportView;
}

/** Every row imported once or reported once, the leads stored once each with a matching score. */
async function expectImportedOnce(
  db: Connection,
  tenantId: string,
  done: ImportView,
  prefix: string,
  rows: number,
  badEvery: number,
) {
  const bad = Array.from({ length: Math.floor(rows / badEvery) }, (_, i) => (i + 1) * badEvery);
  expect(done).toMatchObject({
    status: 'COMPLETED',
    totalRows: rows,
    processedRows: rows,
    importedRows: rows - bad.length,
    failedRows: bad.length,
  });
  expect(done.errors.map((e) => e.row)).toEqual(bad);
  const tenant = new Types.ObjectId(tenantId);
  const leads = await db
    .collection('leads')
    .find({ tenantId: tenant }, { projection: { leadId: 1, version: 1 } })
    .toArray();
  const imported = leads.filter((lead) => String(lead.leadId).startsWith(prefix));
  expect(imported.length).toBe(rows - bad.length);
  const expected = new Set(
    Array.from({ length: rows }, (_, i) => i + 1)
      .filter((row) => row % badEvery !== 0)
      .map((row) => `${prefix}${row}`),
  );
  expect(imported.filter((lead) => !expected.has(String(lead.leadId)))).toEqual([]);
  const scores = await db
    .collection('leadScores')
    .find({ tenantId: tenant }, { projection: { leadVersion: 1 } })
    .toArray();
  const scoreVersion = new Map(scores.map((s) => [String(s._id), s.leadVersion as number]));
  const halfWritten = imported.filter(
    (lead) => scoreVersion.get(String(lead._id)) !== (lead.version as number),
  );
  expect(halfWritten.map((lead) => String(lead.leadId))).toEqual([]);
  expect(String(imported[0]._id)).toBe(String(leadRefFor(tenantId, String(imported[0].leadId))));
}

const QUEUE_ENV = { QUEUE_LOCK_DURATION_MS: '1500', QUEUE_STALLED_INTERVAL_MS: '700' };

describe('faults: worker killed (-9) during a CSV import', () => {
  const ROWS = 2_500;
  const BAD_EVERY = 250;
  let namespace: TestNamespace;
  let api: TestApp;
  let admin: Session;
  let worker: AppProcess | undefined;
  let rescuer: TestApp | undefined;
  let db: Connection;

  beforeAll(async () => {
    namespace = newTestNamespace();
    api = await startTestApp({ namespace, role: 'api', env: QUEUE_ENV });
    admin = await registerTenant(api.url);
    db = await mongoose
      .createConnection(`${engineUrls().mongo}/${namespace.database}`, {
        serverSelectionTimeoutMS: 5_000,
      })
      .asPromise();
  });

  afterAll(async () => {
    worker?.kill();
    await rescuer?.close();
    await api?.close();
    await db?.close();
    if (namespace) await dropTestDatabase(namespace);
  });

  it('a rescuer resumes the import: every row imported exactly once or reported, the import ends', async () => {
    worker = await spawnAppProcess({
      namespace,
      role: 'worker',
      env: QUEUE_ENV,
    });
    const started = await upload(api.url, admin, generatedCsv('CSV-', ROWS, BAD_EVERY));
    expect(started).toMatchObject({ totalRows: ROWS });

    // Killed once a chunk is counted and before the last one is.
    const mid = await eventually(
      () => importView(api.url, admin, started.id),
      (view) =>
        view.processedRows >= 500 || (view.status !== 'QUEUED' && view.status !== 'RUNNING'),
      20_000,
      20,
    );
    expect(mid.status).toBe('RUNNING');
    expect(mid.processedRows).toBeLessThan(ROWS);
    worker.kill();
    await worker.exited;

    rescuer = await startTestApp({ namespace, role: 'worker', env: QUEUE_ENV });
    const done = await eventually(
      () => importView(api.url, admin, started.id),
      (view) => view.status === 'COMPLETED' || view.status === 'FAILED',
      30_000,
      100,
    );
    await expectImportedOnce(db, admin.tenantId, done, 'CSV-', ROWS, BAD_EVERY);
  });
});

describe('faults: an import attempt that dies after counting a chunk, before recording its progress', () => {
  const ROWS = 1_200;
  const BAD_EVERY = 100;
  let namespace: TestNamespace;
  let sut: TestApp;
  let admin: Session;
  let updateSpy: jest.SpyInstance | undefined;

  beforeAll(async () => {
    namespace = newTestNamespace();
    sut = await startTestApp({ namespace, role: 'all' });
    admin = await registerTenant(sut.url);
  });

  afterAll(async () => {
    updateSpy?.mockRestore();
    await sut?.close();
    if (namespace) await dropTestDatabase(namespace);
  });

  it('the retried attempt neither counts nor reports the chunk twice', async () => {
    // The first count of a chunk is applied by MongoDB but its answer is lost (the connection
    // drops, as when the engine or the network fails at that instant): the attempt fails after
    // the chunk was written and counted, and Bull retries it.
    const model = sut.app.get<Model<LeadImport>>(getModelToken(LeadImport.name));
    const original = model.updateOne.bind(model) as (...args: unknown[]) => {
      exec(): Promise<unknown>;
    };
    let failed = false;
    updateSpy = jest.spyOn(model, 'updateOne').mockImplementation(((...args: unknown[]) => {
      const query = original(...args);
      const update = args[1] as { $inc?: { processedRows?: number } } | undefined;
      if (failed || update?.$inc?.processedRows === undefined) return query;
      failed = true;
      return {
        exec: async () => {
          await query.exec();
          throw new mongo.MongoNetworkError('connection closed before the answer arrived');
        },
      };
    }) as never);
    const started = await upload(sut.url, admin, generatedCsv('RETRY-', ROWS, BAD_EVERY));
    const done = await eventually(
      () => importView(sut.url, admin, started.id),
      (view) => view.status === 'COMPLETED' || view.status === 'FAILED',
      25_000,
      100,
    );
    expect(failed).toBe(true);
    await expectImportedOnce(
      sut.app.get<Connection>(getConnectionToken()),
      admin.tenantId,
      done,
      'RETRY-',
      ROWS,
      BAD_EVERY,
    );
  });
});
