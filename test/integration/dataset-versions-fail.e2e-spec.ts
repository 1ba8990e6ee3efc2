import { getQueueToken } from '@nestjs/bull';
import type { Queue } from 'bull';

import { DatasetBuilder } from '@/versions/dataset-builder.service';
import { DatasetVersionsService } from '@/versions/dataset-versions.service';
import { DatasetBuildsService } from '@/versions/jobs/dataset-builds.service';
import { DATASETS_QUEUE } from '@/versions/jobs/dataset-queue.constants';

import { bearer, registerTenant, Session } from '@test/utils/auth';
import { gql } from '@test/utils/graphql-client';
import { importCsv } from '@test/utils/imports';
import { useTestApp } from '@test/utils/test-app';

const MAPPING = {
  leadId: 'id',
  outcome: { column: 'y', converted: ['yes'], lost: ['no'], at: 'closed' },
  attributes: ['*'],
};

/** `rows` closed leads `<prefix>1` … with an age, a job and an outcome each. */
function closedLeadsCsv(prefix: string, rows: number, { ageShift = 0 } = {}): string {
  const lines = ['id;age;job;y;closed'];
  for (let i = 1; i <= rows; i++)
    lines.push(
      `${prefix}${i};${20 + i + ageShift};${['admin.', 'services', 'retired'][i % 3]};${i % 2 ? 'yes' : 'no'};2026-01-0${1 + (i % 9)}`,
    );
  return lines.join('\n');
}

const BUILD_FIELDS = 'id status error { code message }';

describe('dataset version builds that fail', () => {
  // Up to 3 closed leads built within the call; more by a job.
  const sut = useTestApp({ env: { DATASET_INLINE_MAX_ROWS: '3' } });
  let small: Session;
  let big: Session;

  beforeAll(async () => {
    small = await registerTenant(sut.url);
    big = await registerTenant(sut.url);
    await importCsv(sut.url, small, closedLeadsCsv('S', 2), MAPPING);
    await importCsv(sut.url, big, closedLeadsCsv('B', 5), MAPPING);
  });

  afterEach(() => jest.restoreAllMocks());

  function createVersion(session: Session, name: string) {
    return gql<{ createDatasetVersion: { id: string; status: string } }>(
      sut.url,
      `mutation($name: String!) { createDatasetVersion(input: { name: $name }) { ${BUILD_FIELDS} } }`,
      { variables: { name }, headers: bearer(session) },
    );
  }

  function build(session: Session, id: string) {
    return gql<{
      datasetVersionBuild: {
        id: string;
        status: string;
        error: { code: string; message: string } | null;
      };
    }>(sut.url, `query($id: ID!) { datasetVersionBuild(id: $id) { ${BUILD_FIELDS} } }`, {
      variables: { id },
      headers: bearer(session),
    });
  }

  async function statusesOf(session: Session): Promise<string[]> {
    const builds = await sut.app.get(DatasetBuildsService).find(session.tenantId);
    return builds.map((b) => b.status);
  }

  it('records an inline build that throws an unexpected error FAILED with the reason, and answers its id', async () => {
    jest
      .spyOn(sut.app.get(DatasetBuilder), 'build')
      .mockRejectedValueOnce(new Error('disk on fire'));
    const response = await createVersion(small, 'doomed');
    expect(response.errors?.[0].extensions?.code).toBe('INTERNAL_SERVER_ERROR');
    // Clean: the client learns the build, not the internal error.
    expect(response.errors?.[0].message).not.toMatch(/disk on fire/);
    const buildId = response.errors?.[0].extensions?.buildId as string;
    expect(buildId).toMatch(/^[0-9a-f]{24}$/);
    expect(await statusesOf(small)).toEqual(['FAILED']);
    const failed = (await build(small, buildId)).data!.datasetVersionBuild;
    expect(failed).toMatchObject({ status: 'FAILED', error: { code: 'INTERNAL_SERVER_ERROR' } });
    expect(failed.error!.message).toMatch(/disk on fire/);

    // The next call builds as usual.
    const next = await createVersion(small, 'fine');
    expect(next.data!.createDatasetVersion.status).toBe('COMPLETED');
  });

  it('records a build whose job cannot be queued FAILED and answers UNAVAILABLE with its id', async () => {
    const queue = sut.app.get<Queue>(getQueueToken(DATASETS_QUEUE));
    jest.spyOn(queue, 'add').mockRejectedValueOnce(new Error('Connection is closed.'));
    const response = await createVersion(big, 'unqueued');
    expect(response.errors?.[0].extensions?.code).toBe('UNAVAILABLE');
    const buildId = response.errors?.[0].extensions?.buildId as string;
    expect(buildId).toMatch(/^[0-9a-f]{24}$/);
    expect(await statusesOf(big)).toEqual(['FAILED']);
    const failed = (await build(big, buildId)).data!.datasetVersionBuild;
    expect(failed).toMatchObject({ status: 'FAILED', error: { code: 'UNAVAILABLE' } });
    expect(failed.error!.message).toMatch(/could not be queued: Connection is closed/);
    expect(await queue.getJob(buildId)).toBeNull();
  });
});

describe('dataset versions in use and archived', () => {
  const sut = useTestApp();
  let admin: Session;

  beforeAll(async () => {
    admin = await registerTenant(sut.url);
    await importCsv(sut.url, admin, closedLeadsCsv('L', 4), MAPPING);
  });

  async function versionId(): Promise<string> {
    // The same content each time: an archived version comes back (unarchived).
    const response = await gql<{ createDatasetVersion: { version: { id: string } } }>(
      sut.url,
      'mutation { createDatasetVersion(input: { name: "v" }) { version { id } } }',
      { headers: bearer(admin) },
    );
    return response.data!.createDatasetVersion.version.id;
  }

  function archive(id: string) {
    return gql<{ archiveDatasetVersion: { archivedAt: string | null } }>(
      sut.url,
      'mutation($id: ID!) { archiveDatasetVersion(id: $id) { archivedAt } }',
      { variables: { id }, headers: bearer(admin) },
    );
  }

  it('refuses to mark an archived version in use (CONFLICT) and leaves it unused', async () => {
    const versions = sut.app.get(DatasetVersionsService);
    const id = await versionId();
    expect((await archive(id)).data!.archiveDatasetVersion.archivedAt).not.toBeNull();
    await expect(
      versions.markInUse(admin.tenantId, id, { kind: 'MODEL', id: 'model-1' }),
    ).rejects.toMatchObject({ code: 'CONFLICT', message: expect.stringMatching(/archived/) });
    const stored = await versions.get(admin.tenantId, id);
    expect(stored.usedBy).toEqual([]);
    expect(stored.archivedAt).not.toBeNull();
  });

  it('never ends an archive racing a deploy with an archived version in use', async () => {
    const versions = sut.app.get(DatasetVersionsService);
    for (let round = 0; round < 6; round++) {
      const id = await versionId();
      const use = { kind: 'MODEL', id: `model-${round}` };
      const [archived, marked] = await Promise.allSettled([
        archive(id),
        versions.markInUse(admin.tenantId, id, use),
      ]);
      const stored = await versions.get(admin.tenantId, id);
      expect(stored.archivedAt !== null && stored.usedBy.length > 0).toBe(false);
      // Exactly one wins: the archive (and the mark is refused) or the mark (and the archive).
      if (stored.archivedAt) expect(marked.status).toBe('rejected');
      else {
        expect(stored.usedBy.map((u) => u.id)).toEqual([use.id]);
        expect(archived.status === 'fulfilled' && archived.value.errors?.[0].extensions?.code).toBe(
          'CONFLICT',
        );
        await versions.release(admin.tenantId, id, use);
      }
    }
  });
});

describe('dataset analysis on a sample', () => {
  // At most 3 rows fitted on, typed and binned.
  const sut = useTestApp({ env: { DATASET_ANALYSIS_SAMPLE_ROWS: '3' } });
  let admin: Session;
  let first: string;
  let second: string;

  beforeAll(async () => {
    admin = await registerTenant(sut.url);
    await importCsv(sut.url, admin, closedLeadsCsv('L', 4), MAPPING);
    const created = async (name: string): Promise<string> => {
      const response = await gql<{ createDatasetVersion: { version: { id: string } } }>(
        sut.url,
        'mutation($name: String!) { createDatasetVersion(input: { name: $name }) { version { id } } }',
        { variables: { name }, headers: bearer(admin) },
      );
      return response.data!.createDatasetVersion.version.id;
    };
    first = await created('first');
    // L1–L4 again with other ages (all changed), L5 and L6 new.
    await importCsv(sut.url, admin, closedLeadsCsv('L', 6, { ageShift: 10 }), MAPPING);
    second = await created('second');
  });

  function preview(input: Record<string, unknown>) {
    return gql<{
      previewTransformation: { fittedOn: number; rows: { leadId: string }[] };
    }>(
      sut.url,
      `query($input: PreviewTransformationInput!) { previewTransformation(input: $input) { fittedOn rows { leadId } } }`,
      { variables: { input }, headers: bearer(admin) },
    );
  }

  it('previews on at most the sample size of the closed leads now, the same sample each time', async () => {
    const live = await preview({ rows: 50 });
    expect(live.errors).toBeUndefined();
    const shown = live.data!.previewTransformation.rows.map((r) => r.leadId);
    expect(live.data!.previewTransformation.fittedOn).toBe(3);
    expect(shown).toHaveLength(3);
    expect([...shown].sort()).toEqual(shown);
    expect((await preview({ rows: 50 })).data!.previewTransformation.rows).toEqual(
      live.data!.previewTransformation.rows,
    );
    const onVersion = await preview({ datasetVersionId: second, rows: 50 });
    expect(onVersion.data!.previewTransformation.fittedOn).toBe(3);
    // The version holds the same leads as the tenant now: the same sample.
    expect(onVersion.data!.previewTransformation.rows).toEqual(
      live.data!.previewTransformation.rows,
    );
  });

  it('compares every row but types and bins a sample of the same leads in both', async () => {
    const response = await gql<{
      compareDatasetVersions: {
        rowsA: number;
        rowsB: number;
        added: number;
        removed: number;
        changed: number;
        unchanged: number;
        sampleAdded: string[];
        labelRateA: number;
        labelRateB: number;
        sampledRowsA: number;
        sampledRowsB: number;
      };
    }>(
      sut.url,
      `query($a: ID!, $b: ID!) { compareDatasetVersions(a: $a, b: $b) {
        rowsA rowsB added removed changed unchanged sampleAdded labelRateA labelRateB sampledRowsA sampledRowsB } }`,
      { variables: { a: first, b: second }, headers: bearer(admin) },
    );
    expect(response.errors).toBeUndefined();
    const c = response.data!.compareDatasetVersions;
    expect(c).toMatchObject({
      rowsA: 4,
      rowsB: 6,
      added: 2,
      removed: 0,
      changed: 4,
      unchanged: 0,
      sampleAdded: ['L5', 'L6'],
      labelRateA: 0.5,
      labelRateB: 0.5,
    });
    expect(c.sampledRowsA).toBeGreaterThan(0);
    expect(c.sampledRowsA).toBeLessThanOrEqual(3);
    expect(c.sampledRowsB).toBeLessThanOrEqual(3);
  });
});
