import { getQueueToken } from '@nestjs/bull';
import { getConnectionToken } from '@nestjs/mongoose';
import type { Queue } from 'bull';
import { Connection, Types } from 'mongoose';
import request from 'supertest';

import { DRIFT_QUEUE, DRIFT_SWEEP_JOB_ID } from '@/drift/jobs/drift-queue.constants';

import { bearer, createUserSession, registerTenant, Session } from '@test/utils/auth';
import { gql, SubscriptionProbe, waitForRedisSubscriber } from '@test/utils/graphql-client';
import { importCsv } from '@test/utils/imports';
import { makeLead, upsertLeads } from '@test/utils/leads';
import { waitForJob } from '@test/utils/scoring-jobs';
import { useTestApp } from '@test/utils/test-app';
import {
  HISTORY_MAPPING as MAPPING,
  historyCsv,
  segmentOf,
  sizeOf,
} from '@test/utils/training-data';

const BIN = 'label lower upper expectedShare actualShare';
const REPORT_FIELDS = `id modelId modelVersion modelType deployed datasetVersionId trigger requestedBy
  threshold flagged flaggedFeatures maxFeaturePsi
  features { name kind psi flagged bins { ${BIN} } }
  score { psi flagged bins { ${BIN} } }
  baselineRows versionRows currentRows openLeads notes
  retraining { action decisionId reason } computedAt`;

interface Bin {
  label: string;
  lower: number | null;
  upper: number | null;
  expectedShare: number;
  actualShare: number;
}

interface ReportView {
  id: string;
  modelId: string;
  deployed: boolean;
  datasetVersionId: string;
  trigger: string;
  threshold: number;
  flagged: boolean;
  flaggedFeatures: string[];
  maxFeaturePsi: number;
  features: { name: string; kind: string; psi: number; flagged: boolean; bins: Bin[] }[];
  score: { psi: number; flagged: boolean; bins: Bin[] };
  baselineRows: number;
  versionRows: number;
  currentRows: number;
  openLeads: number;
  notes: string[];
  retraining: { action: string; decisionId: string | null; reason: string | null } | null;
  computedAt: string;
}

const HISTORY_ROWS = 240;
const region = (i: number) => ['north', 'south'][i % 2];
/** Open leads drawn like the history: the same attributes, no outcome. */
const sameLead = (i: number) =>
  makeLead({
    leadId: `O-${i}`,
    attributes: { segment: segmentOf(i), size: sizeOf(i), region: region(i) },
  });
/** The same leads moved: all in segment A, sizes above anything trained on; regions unchanged. */
const shiftedLead = (i: number) =>
  makeLead({
    leadId: `O-${i}`,
    attributes: { segment: 'A', size: 150 + (i % 50), region: region(i) },
  });

describe('model drift: PSI of the open leads against the training rows, the alert, retraining', () => {
  const sut = useTestApp();
  let admin: Session;
  let manager: Session;
  let stranger: Session;
  let modelId: string;

  beforeAll(async () => {
    admin = await registerTenant(sut.url);
    manager = await createUserSession(sut.url, admin, 'MANAGER');
    stranger = await registerTenant(sut.url, { tenantName: 'Other' });
  });

  function checkDrift(session: Session, variables: Record<string, unknown> = {}) {
    return gql<{ checkModelDrift: ReportView }>(
      sut.url,
      `mutation($modelId: ID) { checkModelDrift(modelId: $modelId) { ${REPORT_FIELDS} } }`,
      { variables, headers: bearer(session) },
    );
  }

  function modelDrift(session: Session, variables: Record<string, unknown> = {}) {
    return gql<{ modelDrift: ReportView | null }>(
      sut.url,
      `query($modelId: ID) { modelDrift(modelId: $modelId) { ${REPORT_FIELDS} } }`,
      { variables, headers: bearer(session) },
    );
  }

  async function checked(): Promise<ReportView> {
    const response = await checkDrift(admin);
    expect(response.errors).toBeUndefined();
    return response.data!.checkModelDrift;
  }

  async function updateLifecycle(input: Record<string, unknown>): Promise<void> {
    const response = await gql(
      sut.url,
      'mutation($input: UpdateModelLifecycleInput!) { updateModelLifecycle(input: $input) { retrainOnDrift } }',
      { variables: { input }, headers: bearer(admin) },
    );
    expect(response.errors).toBeUndefined();
  }

  async function decisionDone(id: string) {
    const deadline = Date.now() + 60_000;
    for (;;) {
      const response = await gql<{
        modelDecision: { trigger: string; status: string; outcome: string | null };
      }>(sut.url, 'query($id: ID!) { modelDecision(id: $id) { trigger status outcome } }', {
        variables: { id },
        headers: bearer(admin),
      });
      const decision = response.data!.modelDecision;
      if (decision.status !== 'RUNNING') return decision;
      if (Date.now() > deadline) throw new Error(`decision still running: ${id}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }

  const byName = (report: ReportView) => new Map(report.features.map((f) => [f.name, f]));

  it('has nothing to compare for the weighted sum', async () => {
    for (const response of [await checkDrift(admin), await modelDrift(manager)]) {
      expect(response.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
      expect(response.errors?.[0].message).toContain('weighted sum');
    }
  });

  it('trains and deploys a model on the history; no report before the first check', async () => {
    await importCsv(sut.url, admin, historyCsv(HISTORY_ROWS), MAPPING);
    const version = await gql<{ createDatasetVersion: { version: { id: string } } }>(
      sut.url,
      'mutation { createDatasetVersion(input: { name: "history" }) { version { id } } }',
      { headers: bearer(admin) },
    );
    const job = await gql<{ trainModel: { id: string } }>(
      sut.url,
      'mutation($input: TrainModelInput!) { trainModel(input: $input) { id } }',
      {
        variables: {
          input: {
            datasetVersionId: version.data!.createDatasetVersion.version.id,
            modelType: 'LOGISTIC_REGRESSION',
          },
        },
        headers: bearer(admin),
      },
    );
    const deadline = Date.now() + 60_000;
    for (;;) {
      const response = await gql<{ trainingJob: { status: string; modelId: string } }>(
        sut.url,
        'query($id: ID!) { trainingJob(id: $id) { status modelId } }',
        { variables: { id: job.data!.trainModel.id }, headers: bearer(admin) },
      );
      const status = response.data!.trainingJob.status;
      if (status === 'COMPLETED') {
        modelId = response.data!.trainingJob.modelId;
        break;
      }
      if (status === 'FAILED' || Date.now() > deadline) throw new Error(`training ${status}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    const deployed = await gql<{ deployModel: { rescoreJobId: string } }>(
      sut.url,
      'mutation($id: ID!) { deployModel(id: $id) { rescoreJobId } }',
      { variables: { id: modelId }, headers: bearer(admin) },
    );
    await waitForJob(sut, admin, deployed.data!.deployModel.rescoreJobId);

    const none = await modelDrift(manager);
    expect(none.errors).toBeUndefined();
    expect(none.data!.modelDrift).toBeNull();
  });

  it('flags nothing when the open leads are drawn like the training rows', async () => {
    await upsertLeads(
      sut.url,
      admin,
      Array.from({ length: HISTORY_ROWS }, (_, i) => sameLead(i)),
    );
    const report = await checked();
    expect(report).toMatchObject({
      modelId,
      deployed: true,
      trigger: 'MANUAL',
      threshold: 0.2,
      flagged: false,
      flaggedFeatures: [],
      baselineRows: HISTORY_ROWS,
      versionRows: HISTORY_ROWS,
      currentRows: HISTORY_ROWS,
      openLeads: HISTORY_ROWS,
      retraining: null,
    });
    const features = byName(report);
    expect([...features.keys()]).toEqual(expect.arrayContaining(['segment', 'size', 'region']));
    expect(features.get('size')!.kind).toBe('NUMERIC');
    expect(features.get('segment')!.kind).toBe('CATEGORICAL');
    for (const feature of report.features) {
      // The same values: every bin's shares agree.
      expect(feature.psi).toBeCloseTo(0, 9);
      expect(feature.flagged).toBe(false);
      const total = feature.bins.reduce((sum, bin) => sum + bin.actualShare, 0);
      expect(total).toBeCloseTo(1, 9);
    }
    expect(features.get('size')!.bins.length).toBeGreaterThan(5);
    expect(features.get('segment')!.bins.map((bin) => bin.label)).toEqual(['A', 'B', 'C']);
    // Both sides scored by the model: the same features, the same scores.
    expect(report.score.psi).toBeCloseTo(0, 9);
    expect(report.score.flagged).toBe(false);

    const latest = await modelDrift(manager, { modelId });
    expect(latest.data!.modelDrift).toMatchObject({ id: report.id, flagged: false });
  });

  it('flags a shifted population, tells subscribers of the tenant, and retrains on drift', async () => {
    await updateLifecycle({ retrainOnDrift: true });
    const probe = new SubscriptionProbe<{ modelDriftDetected: ReportView }>(
      sut.wsUrl,
      `subscription { modelDriftDetected { ${REPORT_FIELDS} } }`,
      { authorization: `Bearer ${admin.accessToken}` },
    );
    const outsider = new SubscriptionProbe<{ modelDriftDetected: ReportView }>(
      sut.wsUrl,
      'subscription { modelDriftDetected { id } }',
      { authorization: `Bearer ${stranger.accessToken}` },
    );
    try {
      await waitForRedisSubscriber(
        sut.config.redis.url,
        `${sut.config.redis.prefix}:events:drift.detected`,
      );
      await upsertLeads(
        sut.url,
        admin,
        Array.from({ length: HISTORY_ROWS }, (_, i) => shiftedLead(i)),
      );
      const report = await checked();
      expect(report.flagged).toBe(true);
      expect(report.flaggedFeatures).toEqual(expect.arrayContaining(['segment', 'size']));
      const features = byName(report);
      expect(features.get('region')).toMatchObject({ flagged: false });
      expect(features.get('region')!.psi).toBeCloseTo(0, 9);
      const segment = features.get('segment')!;
      expect(segment.flagged).toBe(true);
      expect(segment.bins.find((bin) => bin.label === 'A')).toMatchObject({ actualShare: 1 });
      // Every size above the training rows' largest: all in the last bin, open above.
      const size = features.get('size')!;
      expect(size.bins.at(-1)).toMatchObject({ upper: null, actualShare: 1 });
      expect(size.psi).toBeGreaterThan(1);
      expect(report.maxFeaturePsi).toBeGreaterThan(1);
      expect(report.score.flagged).toBe(true);
      expect(report.retraining).toMatchObject({ action: 'STARTED', reason: null });

      const event = await probe.waitFor((e) => e.modelDriftDetected.id === report.id);
      expect(event.modelDriftDetected).toMatchObject({
        modelId,
        flagged: true,
        flaggedFeatures: report.flaggedFeatures,
        retraining: { action: 'STARTED', decisionId: report.retraining!.decisionId },
      });
      expect(new Date(event.modelDriftDetected.computedAt).getTime()).toBe(
        new Date(report.computedAt).getTime(),
      );
      // The retraining runs as any other: nothing new closed since, so the champion stays.
      expect(await decisionDone(report.retraining!.decisionId!)).toMatchObject({
        trigger: 'DRIFT',
        status: 'DONE',
        outcome: 'NO_NEW_DATA',
      });
      expect(outsider.events).toEqual([]);
    } finally {
      await probe.close();
      await outsider.close();
    }

    const metrics = await request(sut.url).get('/metrics');
    expect(metrics.text).toMatch(
      new RegExp(
        `leadscoring_model_drift_flagged_features\\{[^}]*tenant="${admin.tenantId}"[^}]*\\} [1-9]`,
      ),
    );
    // Totals over every tenant beside the bounded top-N series.
    expect(metrics.text).toMatch(/^leadscoring_model_drift_tenants_flagged(\{[^}]*\})? [1-9]/m);
  });

  it('records a retraining skipped while another runs', async () => {
    const decisions = sut.app.get<Connection>(getConnectionToken()).collection('modelDecisions');
    const running = await decisions.insertOne({
      tenantId: new Types.ObjectId(admin.tenantId),
      trigger: 'MANUAL',
      status: 'RUNNING',
      stage: 'TRAINING',
      reasons: [],
      createdAt: new Date(),
      updatedAt: new Date(),
    });
    try {
      const report = await checked();
      expect(report.flagged).toBe(true);
      expect(report.retraining).toMatchObject({
        action: 'SKIPPED',
        decisionId: running.insertedId.toHexString(),
      });
      expect(report.retraining!.reason).toContain('running');
    } finally {
      await decisions.updateOne({ _id: running.insertedId }, { $set: { status: 'FAILED' } });
    }
  });

  it('checks every tenant with a trained model on schedule (time made to pass)', async () => {
    await updateLifecycle({ retrainOnDrift: false });
    const queue = sut.app.get<Queue>(getQueueToken(DRIFT_QUEUE));
    const sweeps = (await queue.getRepeatableJobs()).filter((job) => job.id === DRIFT_SWEEP_JOB_ID);
    expect(sweeps).toHaveLength(1);
    expect(Number(sweeps[0].every)).toBe(86_400_000);
    const [delayed] = (await queue.getDelayed()).filter((job) => job.name === 'sweep');
    await delayed.promote();

    const deadline = Date.now() + 30_000;
    let report: ReportView | null = null;
    while (report?.trigger !== 'SCHEDULE') {
      if (Date.now() > deadline) throw new Error('the scheduled drift check did not run');
      await new Promise((resolve) => setTimeout(resolve, 200));
      report = (await modelDrift(admin)).data!.modelDrift;
    }
    expect(report).toMatchObject({ modelId, flagged: true, retraining: null });
    // The other tenant scores with the weighted sum: nothing was checked for it.
    const other = await modelDrift(stranger);
    expect(other.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
  });

  it('refuses a check by a non-admin and the model of another tenant', async () => {
    const forbidden = await checkDrift(manager);
    expect(forbidden.errors?.[0].extensions?.code).toBe('FORBIDDEN');
    for (const response of [
      await checkDrift(stranger, { modelId }),
      await modelDrift(stranger, { modelId }),
    ]) {
      expect(response.errors?.[0].extensions?.code).toBe('NOT_FOUND');
    }
    const weightedSum = await modelDrift(admin, { modelId: 'weighted-sum' });
    expect(weightedSum.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
  });
});
