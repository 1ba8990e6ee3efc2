import { getQueueToken } from '@nestjs/bull';
import type { Job, Queue } from 'bull';
import { Types } from 'mongoose';

import { normalizeTransformation } from '@/ml/transform/transformation.util';
import { MlModelsService } from '@/ml-models/ml-models.service';
import { MlModelType } from '@/ml-models/schemas/ml-model.schema';
import { TrainingJobsService } from '@/training/jobs/training-jobs.service';
import {
  ACTIVE_LEASE_MS,
  QUEUED_GRACE_MS,
  TrainingJobsSweeper,
} from '@/training/jobs/training-jobs.sweeper';
import { TRAINING_QUEUE } from '@/training/jobs/training-queue.constants';
import { TrainingJobStatus, TrainingStage } from '@/training/schemas/training-job.schema';

import { bearer, registerTenant, Session } from '@test/utils/auth';
import { gql } from '@test/utils/graphql-client';
import { importCsv } from '@test/utils/imports';
import { useTestApp } from '@test/utils/test-app';
import { HISTORY_MAPPING as MAPPING, historyCsv } from '@test/utils/training-data';

const inFuture = (ms: number): Date => new Date(Date.now() + ms);

describe('training jobs that lost their Bull job', () => {
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

  const jobs = () => sut.app.get(TrainingJobsService);
  const sweeper = () => sut.app.get(TrainingJobsSweeper);

  it('fails a job left QUEUED with no Bull job, once past the grace period', async () => {
    const queue = sut.app.get<Queue>(getQueueToken(TRAINING_QUEUE));
    // The enqueue "succeeded" but the job never reached Redis (or Redis lost it since).
    jest.spyOn(queue, 'add').mockResolvedValueOnce({} as Job);
    const started = await gql<{ trainModel: { id: string; status: string } }>(
      sut.url,
      'mutation($input: TrainModelInput!) { trainModel(input: $input) { id status } }',
      {
        variables: { input: { datasetVersionId: versionId, modelType: 'NAIVE_BAYES' } },
        headers: bearer(admin),
      },
    );
    const { id, status } = started.data!.trainModel;
    expect(status).toBe('QUEUED');

    await sweeper().sweep(new Date());
    expect((await jobs().get(admin.tenantId, id)).status).toBe(TrainingJobStatus.QUEUED);
    await sweeper().sweep(inFuture(QUEUED_GRACE_MS + 1_000));
    const swept = await jobs().get(admin.tenantId, id);
    expect(swept.status).toBe(TrainingJobStatus.FAILED);
    expect(swept.failure).toMatch(/not in the queue/);
  });

  it('fails an ACTIVE job past its lease with no Bull job, and its model', async () => {
    const models = sut.app.get(MlModelsService);
    const transformation = normalizeTransformation(null);
    const jobRef = new Types.ObjectId();
    const model = await models.registerTraining({
      tenantId: admin.tenantId,
      type: MlModelType.NAIVE_BAYES,
      params: {},
      transformation,
      datasetVersionId: new Types.ObjectId(versionId),
      trainingJobId: jobRef,
      trainedBy: admin.userId,
      seed: 1,
    });
    // What a worker that died for good (and whose Bull job is gone) leaves behind.
    await jobs().create(admin.tenantId, {
      _id: jobRef,
      status: TrainingJobStatus.ACTIVE,
      stage: TrainingStage.FITTING,
      datasetVersionId: new Types.ObjectId(versionId),
      modelType: 'NAIVE_BAYES',
      params: {},
      transformation,
      seed: 1,
      requestedBy: admin.userId,
      modelId: model.modelId,
      attempts: 1,
    });
    const id = jobRef.toHexString();

    await sweeper().sweep(inFuture(ACTIVE_LEASE_MS / 2));
    expect((await jobs().get(admin.tenantId, id)).status).toBe(TrainingJobStatus.ACTIVE);
    await sweeper().sweep(inFuture(ACTIVE_LEASE_MS + 1_000));
    const swept = await jobs().get(admin.tenantId, id);
    expect(swept.status).toBe(TrainingJobStatus.FAILED);
    expect(swept.failure).toMatch(/no worker has written progress/);
    const stored = await models.get(admin.tenantId, model.modelId);
    expect(stored.status).toBe('FAILED');
  });
});
