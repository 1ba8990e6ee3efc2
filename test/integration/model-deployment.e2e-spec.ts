import { getConnectionToken } from '@nestjs/mongoose';

import { Connection, Types } from 'mongoose';

import { leadRefFor } from '@/leads/lead-snapshot.util';
import { MlModelsService, deploymentIdFor } from '@/ml-models/ml-models.service';

import { bearer, registerTenant, Session } from '@test/utils/auth';
import { gql } from '@test/utils/graphql-client';
import { importCsv } from '@test/utils/imports';
import { makeInteraction, recordInteractions } from '@test/utils/leads';
import { waitForJob } from '@test/utils/scoring-jobs';
import { useTestApp } from '@test/utils/test-app';
import { HISTORY_MAPPING as MAPPING, historyCsv } from '@test/utils/training-data';

interface ModelView {
  id: string;
  status: string;
}

/**
 * Deploy and rollback derive statuses and dataset pins from the deployment stack: a call cut
 * short after moving the stack, or two at once, end with exactly the stack's top DEPLOYED.
 */
describe('model deployment: statuses and pins follow the deployment stack', () => {
  const sut = useTestApp();
  let admin: Session;
  let versionId: string;
  const trained: string[] = [];

  beforeAll(async () => {
    admin = await registerTenant(sut.url);
    await importCsv(sut.url, admin, historyCsv(), MAPPING);
    const version = await gql<{ createDatasetVersion: { version: { id: string } } }>(
      sut.url,
      'mutation { createDatasetVersion(input: { name: "history" }) { version { id } } }',
      { headers: bearer(admin) },
    );
    versionId = version.data!.createDatasetVersion.version.id;
    for (const modelType of ['LOGISTIC_REGRESSION', 'NAIVE_BAYES', 'LOGISTIC_REGRESSION']) {
      const job = await gql<{ trainModel: { id: string } }>(
        sut.url,
        'mutation($input: TrainModelInput!) { trainModel(input: $input) { id } }',
        {
          variables: { input: { datasetVersionId: versionId, modelType } },
          headers: bearer(admin),
        },
      );
      trained.push(await finished(job.data!.trainModel.id));
    }
  });

  async function finished(jobId: string): Promise<string> {
    const deadline = Date.now() + 60_000;
    for (;;) {
      const response = await gql<{ trainingJob: { status: string; modelId: string } }>(
        sut.url,
        'query($id: ID!) { trainingJob(id: $id) { status modelId } }',
        { variables: { id: jobId }, headers: bearer(admin) },
      );
      const job = response.data!.trainingJob;
      if (job.status === 'COMPLETED') return job.modelId;
      if (job.status === 'FAILED' || Date.now() > deadline)
        throw new Error(`training ${jobId}: ${JSON.stringify(job)}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }

  async function statuses(): Promise<Map<string, string>> {
    const response = await gql<{ mlModels: { items: ModelView[] } }>(
      sut.url,
      '{ mlModels(limit: 50) { items { id status } } }',
      { headers: bearer(admin) },
    );
    return new Map(response.data!.mlModels.items.map((model) => [model.id, model.status]));
  }

  async function pinnedBy(): Promise<string[]> {
    const response = await gql<{ datasetVersion: { usedBy: { kind: string; id: string }[] } }>(
      sut.url,
      'query($id: ID!) { datasetVersion(id: $id) { usedBy { kind id } } }',
      { variables: { id: versionId }, headers: bearer(admin) },
    );
    return response.data!.datasetVersion.usedBy.map((use) => use.id).sort();
  }

  function deploy(id: string) {
    return gql<{ deployModel: { deployed: ModelView; rescoreJobId: string | null } }>(
      sut.url,
      'mutation($id: ID!) { deployModel(id: $id) { deployed { id status } rescoreJobId } }',
      { variables: { id }, headers: bearer(admin) },
    );
  }

  async function deployedOnly(expected: string): Promise<void> {
    const now = await statuses();
    const deployed = [...now].filter(([, status]) => status === 'DEPLOYED').map(([id]) => id);
    expect(deployed).toEqual([expected]);
  }

  it('repairs a deploy cut short after the stack moved, when the model is deployed again', async () => {
    const [first, second] = trained;
    const done = await deploy(first);
    expect(done.errors).toBeUndefined();
    await waitForJob(sut, admin, done.data!.deployModel.rescoreJobId!);
    // A deploy of `second` whose process died right after moving the stack: statuses and pins
    // still say `first`.
    const connection = sut.app.get<Connection>(getConnectionToken());
    await connection
      .collection('modelDeployments')
      .updateOne(
        { _id: deploymentIdFor(admin.tenantId) },
        { $push: { stack: second } as never, $inc: { revision: 1 } },
      );
    expect((await statuses()).get(first)).toBe('DEPLOYED');

    const again = await deploy(second);
    expect(again.errors).toBeUndefined();
    expect(again.data!.deployModel).toMatchObject({
      deployed: { id: second, status: 'DEPLOYED' },
      rescoreJobId: null,
    });
    await deployedOnly(second);
    expect((await statuses()).get(first)).toBe('RETIRED');
    expect(await pinnedBy()).toEqual([second]);
  });

  it('a training job finishing again does not turn a deployed model back into READY', async () => {
    const models = sut.app.get(MlModelsService);
    const [, second] = trained;
    const record = await models.get(admin.tenantId, second);
    const again = await models.complete(admin.tenantId, new Types.ObjectId(second), {
      model: { type: 'NAIVE_BAYES' },
      fitted: {},
      metrics: record.metrics,
      split: record.split,
      importance: [],
      notes: [],
    } as never);
    expect(again.status).toBe('DEPLOYED');
    await models.fail(admin.tenantId, new Types.ObjectId(second), 'late failure');
    expect((await models.get(admin.tenantId, second)).status).toBe('DEPLOYED');
  });

  it('deploys at once end with the stack top DEPLOYED and only its version pinned', async () => {
    const [first, , third] = trained;
    const answers = await Promise.all([deploy(first), deploy(third), deploy('weighted-sum')]);
    const codes = answers.flatMap((answer) =>
      (answer.errors ?? []).map((error) => error.extensions?.code),
    );
    expect(codes.every((code) => code === 'CONFLICT')).toBe(true);
    const connection = sut.app.get<Connection>(getConnectionToken());
    const record = await connection
      .collection<{ stack: string[] }>('modelDeployments')
      .findOne({ _id: deploymentIdFor(admin.tenantId) } as never);
    const top = record!.stack.at(-1) ?? 'weighted-sum';
    await deployedOnly(top);
    expect(await pinnedBy()).toEqual(top === 'weighted-sum' ? [] : [top]);
    for (const answer of answers)
      if (answer.data?.deployModel.rescoreJobId)
        await waitForJob(sut, admin, answer.data.deployModel.rescoreJobId);
  });

  it('an engagement write racing an attribute edit scores and keeps the new attributes', async () => {
    const done = await deploy(trained[0]);
    if (done.data?.deployModel.rescoreJobId)
      await waitForJob(sut, admin, done.data.deployModel.rescoreJobId);
    const connection = sut.app.get<Connection>(getConnectionToken());
    const ref = leadRefFor(admin.tenantId, 'H-1');
    const scores = connection.collection<{ attributes?: Record<string, unknown> }>('leadScores');
    expect((await scores.findOne({ _id: ref } as never))!.attributes).toMatchObject({ size: 37 });
    // An attribute edit whose own scoring has not run yet (it lost the race to the event below).
    await connection.collection('leads').updateOne(
      { _id: ref },
      {
        $set: {
          attributes: { segment: 'A', size: 99, region: 'north', y: 'yes' },
          attributesStamp: new Types.ObjectId().toHexString(),
        },
        $inc: { version: 1 },
      },
    );
    const event = await recordInteractions(sut.url, admin, [makeInteraction({ leadId: 'H-1' })]);
    expect(event.errors).toBeUndefined();
    const stored = await scores.findOne({ _id: ref } as never);
    expect(stored!.attributes).toMatchObject({ size: 99, segment: 'A' });
  });
});
