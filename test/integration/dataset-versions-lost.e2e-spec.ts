import { getQueueToken } from '@nestjs/bull';
import type { Job, Queue } from 'bull';

import { DatasetBuildsService } from '@/versions/jobs/dataset-builds.service';
import {
  BUILD_LEASE_MS,
  DatasetBuildsSweeper,
  QUEUED_GRACE_MS,
} from '@/versions/jobs/dataset-builds.sweeper';
import { DATASETS_QUEUE, DatasetJobName } from '@/versions/jobs/dataset-queue.constants';
import { DatasetBuildStage, DatasetBuildStatus } from '@/versions/schemas/dataset-build.schema';

import { bearer, registerTenant, Session } from '@test/utils/auth';
import { gql } from '@test/utils/graphql-client';
import { importCsv } from '@test/utils/imports';
import { useTestApp } from '@test/utils/test-app';

const MAPPING = {
  leadId: 'id',
  outcome: { column: 'y', converted: ['yes'], lost: ['no'] },
  attributes: ['*'],
};
const LEADS = ['id;age;y', 'L1;30;yes', 'L2;40;no', 'L3;50;yes', 'L4;60;no'].join('\n');

const inFuture = (ms: number): Date => new Date(Date.now() + ms);

describe('dataset version builds that lost their process or their job', () => {
  // Every build of more than one closed lead is queued.
  const sut = useTestApp({ env: { DATASET_INLINE_MAX_ROWS: '1' } });
  let admin: Session;

  beforeAll(async () => {
    admin = await registerTenant(sut.url);
    await importCsv(sut.url, admin, LEADS, MAPPING);
  });

  afterEach(() => jest.restoreAllMocks());

  const builds = () => sut.app.get(DatasetBuildsService);
  const sweeper = () => sut.app.get(DatasetBuildsSweeper);
  const queue = () => sut.app.get<Queue>(getQueueToken(DATASETS_QUEUE));

  async function statusOf(id: string): Promise<{ status: string; message?: string }> {
    const record = await builds().findById(admin.tenantId, id);
    return { status: record!.status, message: record!.error?.message };
  }

  /** A build record as a process writes it when it starts one (inline, or a job's first step). */
  async function runningBuild(): Promise<string> {
    const record = await builds().create(admin.tenantId, {
      status: DatasetBuildStatus.RUNNING,
      stage: DatasetBuildStage.READING,
      request: { name: 'abandoned', filter: {}, transformation: null, parentId: null },
      totalRows: 4,
      requestedBy: admin.userId,
      heartbeatAt: new Date(),
    });
    return record._id.toHexString();
  }

  it('fails a build left QUEUED with no job in the queue, once past the grace period', async () => {
    // The enqueue "succeeded" but the job never reached Redis (or Redis lost it since).
    jest.spyOn(queue(), 'add').mockResolvedValueOnce({} as Job);
    const response = await gql<{ createDatasetVersion: { id: string; status: string } }>(
      sut.url,
      'mutation { createDatasetVersion(input: { name: "lost" }) { id status } }',
      { headers: bearer(admin) },
    );
    const { id, status } = response.data!.createDatasetVersion;
    expect(status).toBe('QUEUED');

    await sweeper().sweep(new Date());
    expect((await statusOf(id)).status).toBe('QUEUED');
    await sweeper().sweep(inFuture(QUEUED_GRACE_MS + 1_000));
    const swept = await statusOf(id);
    expect(swept.status).toBe('FAILED');
    expect(swept.message).toMatch(/not in the queue/);
  });

  it('fails a RUNNING build past its lease that no live job holds, and leaves the others', async () => {
    const abandoned = await runningBuild();
    const held = await runningBuild();
    // A job that will still run (a retry waiting out its backoff) holds `held`.
    await queue().add(
      DatasetJobName.BUILD,
      { tenantId: admin.tenantId, buildId: held },
      { jobId: held, delay: 10 * 60_000 },
    );
    try {
      await sweeper().sweep(inFuture(BUILD_LEASE_MS / 2));
      expect((await statusOf(abandoned)).status).toBe('RUNNING');

      await sweeper().sweep(inFuture(BUILD_LEASE_MS + 1_000));
      const swept = await statusOf(abandoned);
      expect(swept.status).toBe('FAILED');
      expect(swept.message).toMatch(/no process has worked on it/);
      expect((await statusOf(held)).status).toBe('RUNNING');
    } finally {
      await (await queue().getJob(held))?.remove();
    }
  });

  it('leaves a queued build alone while its job waits, and never touches a finished one', async () => {
    await queue().pause(true);
    let id: string;
    try {
      const response = await gql<{ createDatasetVersion: { id: string; status: string } }>(
        sut.url,
        'mutation { createDatasetVersion(input: { name: "waiting" }) { id status } }',
        { headers: bearer(admin) },
      );
      id = response.data!.createDatasetVersion.id;
      await sweeper().sweep(inFuture(BUILD_LEASE_MS + QUEUED_GRACE_MS));
      expect((await statusOf(id)).status).toBe('QUEUED');
    } finally {
      await queue().resume(true);
    }
    const deadline = Date.now() + 20_000;
    while ((await statusOf(id)).status !== 'COMPLETED' && Date.now() < deadline)
      await new Promise((resolve) => setTimeout(resolve, 100));
    expect((await statusOf(id)).status).toBe('COMPLETED');

    const finished = await builds().find(admin.tenantId, {
      status: { $in: [DatasetBuildStatus.COMPLETED, DatasetBuildStatus.FAILED] },
    });
    const before = finished.map((b) => [b._id.toHexString(), b.status, b.updatedAt.getTime()]);
    await sweeper().sweep(inFuture(10 * BUILD_LEASE_MS));
    const after = await builds().find(admin.tenantId, {
      _id: { $in: finished.map((b) => b._id) },
    });
    expect(
      after
        .map((b) => [b._id.toHexString(), b.status, b.updatedAt.getTime()])
        .sort((x, y) => String(x[0]).localeCompare(String(y[0]))),
    ).toEqual(before.sort((x, y) => String(x[0]).localeCompare(String(y[0]))));
  });

  it('does not run again a build recorded as ended (a job queued by an enqueue answered as failed)', async () => {
    const id = await runningBuild();
    await builds().finish(admin.tenantId, id, {
      status: DatasetBuildStatus.FAILED,
      error: { code: 'UNAVAILABLE', message: 'the build could not be queued' },
    });
    const done = await builds().run(admin.tenantId, id);
    expect(done.status).toBe('FAILED');
    expect(done.versionId).toBeNull();
  });
});
