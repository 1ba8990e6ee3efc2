import { getQueueToken } from '@nestjs/bull';
import { getConnectionToken } from '@nestjs/mongoose';
import type { Queue } from 'bull';
import { Connection, Types } from 'mongoose';

import { LIFECYCLE_QUEUE } from '@/lifecycle/jobs/lifecycle-queue.constants';

import { bearer, createUserSession, registerTenant, Session } from '@test/utils/auth';
import { gql } from '@test/utils/graphql-client';
import { importCsv } from '@test/utils/imports';
import { waitForJob } from '@test/utils/scoring-jobs';
import { useTestApp } from '@test/utils/test-app';
import { HISTORY_MAPPING as MAPPING, historyCsv } from '@test/utils/training-data';

const DECISION_FIELDS = `id trigger status stage outcome datasetVersionId trainingJobId championId challengerId
  champion { auc brier } challenger { auc brier } testRows converted lost minConverted minLost
  rule { maxAucDrop maxBrierIncrease maxChampionAgeDays } reasons rescoreJobId failure`;

interface DecisionView {
  id: string;
  trigger: string;
  status: string;
  stage: string;
  outcome: string | null;
  datasetVersionId: string | null;
  championId: string | null;
  challengerId: string | null;
  champion: { auc: number | null; brier: number | null } | null;
  challenger: { auc: number | null; brier: number | null } | null;
  testRows: number | null;
  converted: number | null;
  lost: number | null;
  reasons: string[];
  rescoreJobId: string | null;
  failure: string | null;
}

describe('model lifecycle: settings, readiness, scheduled retraining and decisions', () => {
  const sut = useTestApp();
  let admin: Session;
  let manager: Session;

  beforeAll(async () => {
    admin = await registerTenant(sut.url);
    manager = await createUserSession(sut.url, admin, 'MANAGER');
  });

  const readiness = async () =>
    (
      await gql<{
        trainingReadiness: {
          converted: number;
          lost: number;
          neededConverted: number;
          neededLost: number;
          ready: boolean;
          deployedModelId: string;
          deployedModelType: string;
        };
      }>(
        sut.url,
        '{ trainingReadiness { converted lost neededConverted neededLost ready deployedModelId deployedModelType } }',
        { headers: bearer(admin) },
      )
    ).data!.trainingReadiness;

  function update(session: Session, input: Record<string, unknown>) {
    return gql<{
      updateModelLifecycle: {
        retrainingEnabled: boolean;
        cadenceDays: number;
        modelType: string;
        nextRunAt: string | null;
      };
    }>(
      sut.url,
      'mutation($input: UpdateModelLifecycleInput!) { updateModelLifecycle(input: $input) { retrainingEnabled cadenceDays modelType nextRunAt } }',
      { variables: { input }, headers: bearer(session) },
    );
  }

  async function decisionDone(id: string): Promise<DecisionView> {
    const deadline = Date.now() + 60_000;
    for (;;) {
      const response = await gql<{ modelDecision: DecisionView }>(
        sut.url,
        `query($id: ID!) { modelDecision(id: $id) { ${DECISION_FIELDS} } }`,
        { variables: { id }, headers: bearer(admin) },
      );
      const decision = response.data!.modelDecision;
      if (decision.status !== 'RUNNING') return decision;
      if (Date.now() > deadline)
        throw new Error(`decision still running: ${JSON.stringify(decision)}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }

  async function runRetraining(): Promise<DecisionView> {
    const started = await gql<{ runRetraining: DecisionView }>(
      sut.url,
      `mutation { runRetraining { ${DECISION_FIELDS} } }`,
      { headers: bearer(admin) },
    );
    expect(started.errors).toBeUndefined();
    expect(started.data!.runRetraining.status).toBe('RUNNING');
    return decisionDone(started.data!.runRetraining.id);
  }

  it('tells the cold start: no outcomes yet, 40 of each needed, the weighted sum deployed', async () => {
    expect(await readiness()).toEqual({
      converted: 0,
      lost: 0,
      neededConverted: 40,
      neededLost: 40,
      ready: false,
      deployedModelId: 'weighted-sum',
      deployedModelType: 'WEIGHTED_SUM',
    });
  });

  it('refuses bad settings, naming each field, and changes by non-admins', async () => {
    const bad = await update(admin, { cadenceDays: 0 });
    expect(bad.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
    const params = await update(admin, {
      modelType: 'GRADIENT_BOOSTING',
      params: { learningRate: 0, maxLeafNodes: 1 },
    });
    expect(params.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
    expect(params.errors?.[0].message).toContain('input.params.learningRate');
    expect(params.errors?.[0].message).toContain('input.params.maxLeafNodes');
    const threshold = await update(admin, { driftThreshold: 7 });
    expect(threshold.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
    const rule = await update(admin, {
      promotion: { maxAucDrop: 0.5, maxBrierIncrease: 0.1, maxChampionAgeDays: 90 },
    });
    expect(rule.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
    const forbidden = await update(manager, { retrainingEnabled: true });
    expect(forbidden.errors?.[0].extensions?.code).toBe('FORBIDDEN');
    const read = await gql<{
      modelLifecycle: { retrainingEnabled: boolean; cadenceDays: number; custom: boolean };
    }>(sut.url, '{ modelLifecycle { retrainingEnabled cadenceDays custom } }', {
      headers: bearer(manager),
    });
    expect(read.data!.modelLifecycle).toEqual({
      retrainingEnabled: false,
      cadenceDays: 7,
      custom: false,
    });
  });

  it('runs one retraining at a time, and does not let a run that died block the tenant', async () => {
    const decisions = sut.app.get<Connection>(getConnectionToken()).collection('modelDecisions');
    const base = {
      tenantId: new Types.ObjectId(admin.tenantId),
      trigger: 'MANUAL',
      status: 'RUNNING',
      stage: 'TRAINING',
      reasons: [],
    };
    const live = await decisions.insertOne({
      ...base,
      createdAt: new Date(),
      updatedAt: new Date(),
    });
    const refused = await gql(sut.url, 'mutation { runRetraining { id } }', {
      headers: bearer(admin),
    });
    expect(refused.errors?.[0].extensions).toMatchObject({
      code: 'CONFLICT',
      decisionId: live.insertedId.toHexString(),
    });
    const old = new Date(Date.now() - 8 * 3_600_000);
    await decisions.updateOne(
      { _id: live.insertedId },
      { $set: { createdAt: old, updatedAt: old } },
    );
    const decision = await runRetraining();
    expect(decision.outcome).toBe('BELOW_MINIMUM');
    const stale = await gql<{ modelDecision: DecisionView }>(
      sut.url,
      `query($id: ID!) { modelDecision(id: $id) { ${DECISION_FIELDS} } }`,
      { variables: { id: live.insertedId.toHexString() }, headers: bearer(admin) },
    );
    expect(stale.data!.modelDecision).toMatchObject({ status: 'FAILED', stage: 'DONE' });
    expect(stale.data!.modelDecision.failure).toContain('stopped without finishing');
  });

  it('decides nothing below the minimum data, and says so', async () => {
    const decision = await runRetraining();
    expect(decision).toMatchObject({
      status: 'DONE',
      outcome: 'BELOW_MINIMUM',
      challengerId: null,
    });
    expect(decision.reasons[0]).toContain('no closed leads');
  });

  it('retrains on schedule: the repeatable job fires, the challenger beats the weighted sum and is deployed', async () => {
    await importCsv(sut.url, admin, historyCsv(), MAPPING);
    expect(await readiness()).toMatchObject({ ready: true, neededConverted: 0, neededLost: 0 });

    const enabled = await update(admin, {
      retrainingEnabled: true,
      cadenceDays: 7,
      modelType: 'LOGISTIC_REGRESSION',
    });
    expect(enabled.errors).toBeUndefined();
    const nextRunAt = new Date(enabled.data!.updateModelLifecycle.nextRunAt!).getTime();
    // Within one cadence (Bull aligns the slots to 00:00 UTC multiples of it since the epoch).
    expect(nextRunAt).toBeGreaterThan(Date.now());
    expect(nextRunAt).toBeLessThanOrEqual(Date.now() + 7 * 86_400_000 + 60_000);
    expect(nextRunAt % (7 * 86_400_000)).toBe(0);
    const audit = await gql<{
      auditEvents: { action: string; details: { changed: Record<string, unknown> } }[];
    }>(sut.url, '{ auditEvents(action: MODEL_LIFECYCLE_UPDATED) { action details } }', {
      headers: bearer(admin),
    });
    expect(audit.data!.auditEvents[0].details.changed).toMatchObject({ retrainingEnabled: true });

    // Time made to pass: the schedule's next (delayed) job runs now.
    const queue = sut.app.get<Queue>(getQueueToken(LIFECYCLE_QUEUE));
    const repeatable = (await queue.getRepeatableJobs()).filter((job) =>
      job.id?.endsWith(admin.tenantId),
    );
    expect(repeatable).toHaveLength(1);
    expect(Number(repeatable[0].every)).toBe(7 * 86_400_000);
    const delayed = (await queue.getDelayed()).filter(
      (job) => job.data.tenantId === admin.tenantId,
    );
    expect(delayed).toHaveLength(1);
    await delayed[0].promote();

    let decision: DecisionView | undefined;
    const deadline = Date.now() + 60_000;
    while (!decision) {
      const listed = await gql<{ modelDecisions: { items: DecisionView[] } }>(
        sut.url,
        `{ modelDecisions(trigger: SCHEDULE) { items { ${DECISION_FIELDS} } } }`,
        { headers: bearer(manager) },
      );
      const done = listed.data!.modelDecisions.items.find((item) => item.status !== 'RUNNING');
      if (done) decision = done;
      else if (Date.now() > deadline) throw new Error('the scheduled retraining did not finish');
      else await new Promise((resolve) => setTimeout(resolve, 200));
    }
    expect(decision).toMatchObject({
      trigger: 'SCHEDULE',
      status: 'DONE',
      outcome: 'PROMOTED',
      championId: 'weighted-sum',
      converted: expect.any(Number),
      failure: null,
    });
    // Imported history has no engagement: the weighted sum ranks nothing (AUC ½).
    expect(decision.champion!.auc).toBeCloseTo(0.5, 6);
    expect(decision.challenger!.auc!).toBeGreaterThan(0.8);
    expect(decision.testRows).toBe(48);
    await waitForJob(sut, admin, decision.rescoreJobId!);
    expect(await readiness()).toMatchObject({
      deployedModelId: decision.challengerId,
      deployedModelType: 'LOGISTIC_REGRESSION',
    });
  });

  it('keeps the champion when the challenger is worse, and stops when the data has not changed', async () => {
    const same = await runRetraining();
    expect(same).toMatchObject({ status: 'DONE', outcome: 'NO_NEW_DATA' });

    // New closed leads, and a challenger that cannot rank (an overwhelming penalty).
    await importCsv(sut.url, admin, historyCsv(300), MAPPING);
    const strict = await update(admin, {
      params: { l2: 1e9 },
      promotion: { maxAucDrop: 0, maxBrierIncrease: 0, maxChampionAgeDays: 90 },
    });
    expect(strict.errors).toBeUndefined();
    const decision = await runRetraining();
    expect(decision).toMatchObject({
      trigger: 'MANUAL',
      status: 'DONE',
      outcome: 'KEPT',
      rescoreJobId: null,
    });
    expect(decision.challenger!.auc!).toBeLessThan(decision.champion!.auc!);
    expect(decision.reasons.join(' ')).toContain('AUC');
    // The new version holds the champion's own leads too: those it trained on are not test rows
    // for it (or, too few left, the decision says how many it had seen).
    expect(decision.reasons.join(' ')).toMatch(
      /more test rows left out: the champion trained on them|the champion trained on \d+ of them/,
    );
    const after = await readiness();
    expect(after.deployedModelId).not.toBe(decision.challengerId);
  });
});
