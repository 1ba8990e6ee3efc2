import { ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync } from 'node:fs';
import { join } from 'node:path';

import { getConnectionToken } from '@nestjs/mongoose';
import { Connection, Types } from 'mongoose';

import { historyIdFor } from '@/scoring/schemas/score-history.schema';
import { bearer, registerTenant, Session } from '@test/utils/auth';
import { gql } from '@test/utils/graphql-client';
import {
  makeInteraction,
  makeLead,
  recordInteractions,
  upsertLeads,
  expectedScore,
} from '@test/utils/leads';
import {
  dropTestDatabase,
  engineUrls,
  newTestNamespace,
  startTestApp,
  TEST_JWT_SECRET,
  TestApp,
} from '@test/utils/test-app';

import { waitForJob } from '@test/utils/scoring-jobs';

const MAIN = join(__dirname, '..', '..', 'dist', 'main.js');
const LEADS = 600;
const QUEUE_ENV = { QUEUE_LOCK_DURATION_MS: '1500', QUEUE_STALLED_INTERVAL_MS: '700' };

/**
 * A real worker process (the built app, role worker) is killed with SIGKILL in the middle of a
 * batch job. Another worker takes the stalled job over, resumes after the last finished chunk,
 * and every lead ends up scored on the new config: none lost, none half-written.
 */
describe('batch rescoring survives a worker killed mid-job', () => {
  const namespace = newTestNamespace();
  let api: TestApp;
  let admin: Session;
  let worker: ChildProcess | undefined;
  let rescuer: TestApp | undefined;

  beforeAll(async () => {
    if (!existsSync(MAIN))
      throw new Error(`${MAIN} is missing: run \`npm run build\` first (npm test does)`);
    api = await startTestApp({ namespace, role: 'api', env: QUEUE_ENV });
    admin = await registerTenant(api.url);
    const leadIds = Array.from({ length: LEADS }, (_, i) => `K-${String(i).padStart(4, '0')}`);
    await upsertLeads(
      api.url,
      admin,
      leadIds.map((leadId) => makeLead({ leadId })),
    );
    await recordInteractions(
      api.url,
      admin,
      leadIds.map((leadId, i) =>
        makeInteraction({ leadId, type: 'WEBSITE_VISIT', secondsSpent: i % 600 }),
      ),
    );
  });

  afterAll(async () => {
    if (worker && worker.exitCode === null) worker.kill('SIGKILL');
    await rescuer?.close();
    await api?.close();
    await dropTestDatabase(namespace);
  });

  it('resumes and finishes with every lead on the new version', async () => {
    worker = spawn(process.execPath, [MAIN], {
      env: {
        ...process.env,
        NODE_ENV: 'test',
        APP_ROLE: 'worker',
        PORT: '0',
        LOG_LEVEL: 'warn',
        MONGODB_URI: `${engineUrls().mongo}/${namespace.database}`,
        REDIS_URL: engineUrls().redis,
        REDIS_PREFIX: namespace.redisPrefix,
        JWT_SECRET: TEST_JWT_SECRET,
        SCORING_BATCH_CHUNK_SIZE: '50',
        SCORING_BATCH_CHUNK_DELAY_MS: '200',
        ...QUEUE_ENV,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    worker.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    worker.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));

    const update = await gql<{ updateScoringConfig: { version: number } }>(
      api.url,
      'mutation { updateScoringConfig(input: { halfLifeDays: 2, weights: { emailOpens: 0.2, websiteVisits: 0.2, timeSpent: 0.6 } }) { version } }',
      { headers: bearer(admin) },
    );
    expect(update.data?.updateScoringConfig.version).toBe(2);
    const jobId = await findConfigJob(api, admin);
    const deadline = Date.now() + 30_000;
    let processed = 0;
    while (Date.now() < deadline) {
      const job = await jobState(api, admin, jobId);
      processed = job.processed;
      if (job.status === 'RUNNING' && processed >= 100 && processed < LEADS - 100) break;
      if (worker.exitCode !== null) throw new Error(`worker exited early:\n${output}`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    expect(processed).toBeGreaterThan(0);
    expect(processed).toBeLessThan(LEADS);
    worker.kill('SIGKILL');
    await once(worker, 'exit');
    const killedAt = Date.now();

    rescuer = await startTestApp({
      namespace,
      role: 'worker',
      env: { ...QUEUE_ENV, SCORING_BATCH_CHUNK_SIZE: '100' },
    });
    const job = await waitForJob(api, admin, jobId, 45_000);

    // Every score moved to the new config once: the resumed attempt carried the count on.
    expect(job).toMatchObject({
      status: 'COMPLETED',
      total: LEADS,
      processed: LEADS,
      changed: LEADS,
    });
    expect(job.attempts).toBeGreaterThanOrEqual(2);

    const seen = new Set<string>();
    let rescoredAfterKill = 0;
    for (let page = 1; page <= LEADS / 200; page++) {
      const response = await gql<{
        leads: {
          items: {
            leadId: string;
            score: number;
            breakdown: { configVersion: number; computedAt: string };
            engagement: { websiteVisits: number; timeSpentSeconds: number; lastActivityAt: string };
          }[];
        };
      }>(
        api.url,
        `{ leads(limit: 200, page: ${page}) { items { leadId score breakdown { configVersion computedAt } engagement { websiteVisits timeSpentSeconds lastActivityAt } } } }`,
        { headers: bearer(admin) },
      );
      for (const lead of response.data!.leads.items) {
        seen.add(lead.leadId);
        // The engagement seeded before the job, not whatever the response carries.
        const i = Number(lead.leadId.slice('K-'.length));
        expect(lead.engagement).toMatchObject({ websiteVisits: 1, timeSpentSeconds: i % 600 });
        if (new Date(lead.breakdown.computedAt).getTime() > killedAt) rescoredAfterKill += 1;
        expect(lead.breakdown.configVersion).toBe(2);
        expect(lead.score).toBe(
          expectedScore(lead, { weights: [0.2, 0.2, 0.6], caps: [10, 20, 600], halfLifeDays: 2 }),
        );
      }
    }
    expect(seen.size).toBe(LEADS);
    // Resumed after the last recorded chunk, not from the start: the chunks finished before the
    // kill keep the scores the killed worker computed (at most the chunk in flight is redone).
    expect(rescoredAfterKill).toBeGreaterThan(0);
    expect(rescoredAfterKill).toBeLessThanOrEqual(LEADS - processed);

    // Every lead's history records the move to the new config once, and every score's
    // `historyCount` names an entry that exists: the chunk in flight at the kill included.
    const db = api.app.get<Connection>(getConnectionToken());
    const tenantId = new Types.ObjectId(admin.tenantId);
    const entries = await db
      .collection('scoreHistory')
      .find({ tenantId, configVersion: 2, reason: 'CONFIG_CHANGED' })
      .project({ leadRef: 1 })
      .toArray();
    expect(new Set(entries.map((entry) => String(entry.leadRef))).size).toBe(LEADS);
    expect(entries).toHaveLength(LEADS);
    const scores = await db
      .collection('leadScores')
      .find({ tenantId })
      .project({ leadRef: 1, historyCount: 1 })
      .toArray();
    const ids = scores.map((score) =>
      historyIdFor(tenantId, score.leadRef as Types.ObjectId, score.historyCount as number),
    );
    expect(await db.collection('scoreHistory').countDocuments({ _id: { $in: ids } })).toBe(LEADS);
  });
});

async function jobState(
  app: TestApp,
  session: Session,
  jobId: string,
): Promise<{ status: string; processed: number }> {
  const response = await gql<{ scoringJob: { status: string; processed: number } }>(
    app.url,
    'query($id: ID!) { scoringJob(jobId: $id) { status processed } }',
    {
      variables: { id: jobId },
      headers: bearer(session),
    },
  );
  return response.data!.scoringJob;
}

async function findConfigJob(app: TestApp, session: Session): Promise<string> {
  const response = await gql<{ scoringJobs: { id: string; reason: string }[] }>(
    app.url,
    '{ scoringJobs(limit: 5) { id reason } }',
    { headers: bearer(session) },
  );
  const job = response.data?.scoringJobs.find((j) => j.reason === 'CONFIG_CHANGED');
  if (!job) throw new Error(`no config job: ${JSON.stringify(response)}`);
  return job.id;
}
