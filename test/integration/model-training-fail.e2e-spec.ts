import { getQueueToken } from '@nestjs/bull';
import type { Queue } from 'bull';

import { TRAINING_QUEUE } from '@/training/jobs/training-queue.constants';

import { bearer, registerTenant, Session } from '@test/utils/auth';
import { gql } from '@test/utils/graphql-client';
import { importCsv } from '@test/utils/imports';
import { useTestApp } from '@test/utils/test-app';
import { HISTORY_MAPPING as MAPPING, historyCsv } from '@test/utils/training-data';

const JOB_FIELDS = 'id status failure modelId';

describe('training jobs that cannot be queued', () => {
  const sut = useTestApp();
  let admin: Session;
  let versionId: string;

  beforeAll(async () => {
    admin = await registerTenant(sut.url);
    await importCsv(sut.url, admin, historyCsv(), MAPPING);
    const version = await gql<{ createDatasetVersion: { version: { id: string } } }>(
      sut.url,
      'mutation { createDatasetVersion(input: { name: "history" }) { version { id } } }',
      { headers: bearer(admin) },
    );
    versionId = version.data!.createDatasetVersion.version.id;
  });

  afterEach(() => jest.restoreAllMocks());

  function trainModel() {
    return gql<{ trainModel: { id: string; status: string } }>(
      sut.url,
      `mutation($input: TrainModelInput!) { trainModel(input: $input) { ${JOB_FIELDS} } }`,
      {
        variables: { input: { datasetVersionId: versionId, modelType: 'NAIVE_BAYES' } },
        headers: bearer(admin),
      },
    );
  }

  function job(id: string) {
    return gql<{ trainingJob: { id: string; status: string; failure: string | null } }>(
      sut.url,
      `query($id: ID!) { trainingJob(id: $id) { ${JOB_FIELDS} } }`,
      { variables: { id }, headers: bearer(admin) },
    );
  }

  it('records the job FAILED with the reason, answers UNAVAILABLE with its id, and leaves no model training', async () => {
    const queue = sut.app.get<Queue>(getQueueToken(TRAINING_QUEUE));
    jest.spyOn(queue, 'add').mockRejectedValueOnce(new Error('Connection is closed.'));
    const refused = await trainModel();
    expect(refused.errors?.[0].extensions?.code).toBe('UNAVAILABLE');
    const jobId = refused.errors?.[0].extensions?.jobId as string;
    expect(jobId).toMatch(/^[0-9a-f]{24}$/);
    expect((await job(jobId)).data!.trainingJob).toMatchObject({
      status: 'FAILED',
      failure: expect.stringMatching(/could not be queued: Connection is closed/),
    });
    const queued = await gql<{ trainingJobs: { total: number } }>(
      sut.url,
      '{ trainingJobs(status: QUEUED) { total } }',
      { headers: bearer(admin) },
    );
    expect(queued.data!.trainingJobs.total).toBe(0);
    const models = await gql<{ mlModels: { items: { status: string }[] } }>(
      sut.url,
      '{ mlModels { items { status } } }',
      { headers: bearer(admin) },
    );
    expect(models.data!.mlModels.items.map((m) => m.status)).not.toContain('TRAINING');

    // With the queue back, the next call trains as usual.
    const next = await trainModel();
    expect(next.data!.trainModel.status).toBe('QUEUED');
    const deadline = Date.now() + 60_000;
    let status = 'QUEUED';
    while (!['COMPLETED', 'FAILED'].includes(status) && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      status = (await job(next.data!.trainModel.id)).data!.trainingJob.status;
    }
    expect(status).toBe('COMPLETED');
  });
});
