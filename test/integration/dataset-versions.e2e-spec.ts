import { DatasetVersionsService } from '@/versions/dataset-versions.service';

import { bearer, createUserSession, registerTenant, Session } from '@test/utils/auth';
import { gql } from '@test/utils/graphql-client';
import { importCsv } from '@test/utils/imports';
import { useTestApp } from '@test/utils/test-app';

const VERSION_FIELDS = `id name contentHash parentId rowCount converted lost labelRate firstEventAt lastEventAt chunkCount
  transformation { features exclude numeric { fill missingIndicator log1p standardize } categorical { minFrequency maxLevels } }
  features { name type count missing missingShare distinct numeric { mean std min max quantiles { p value } } topCategories { value count } }
  usedBy { kind id } archivedAt`;
const BUILD_FIELDS = `id status stage rowsRead totalRows reused error { code message fields { path messages } } version { ${VERSION_FIELDS} }`;

interface VersionView {
  id: string;
  name: string;
  contentHash: string;
  parentId: string | null;
  rowCount: number;
  converted: number;
  lost: number;
  labelRate: number;
  chunkCount: number;
  transformation: { exclude: string[]; features: string[] | null };
  features: {
    name: string;
    type: string;
    count: number;
    missing: number;
    missingShare: number;
    distinct: number;
    numeric: { mean: number; std: number; min: number; max: number } | null;
    topCategories: { value: string; count: number }[] | null;
  }[];
  archivedAt: string | null;
}

interface BuildView {
  id: string;
  status: string;
  stage: string;
  rowsRead: number;
  totalRows: number;
  reused: boolean;
  error: { code: string; message: string } | null;
  version: VersionView | null;
}

const MAPPING = {
  leadId: 'id',
  outcome: { column: 'y', converted: ['yes'], lost: ['no'], at: 'closed' },
  attributes: ['*'],
};

const FIRST = [
  'id;age;job;balance;y;closed',
  'L1;30;admin.;100;yes;2026-01-01',
  'L2;40;services;;no;2026-01-02',
  'L3;50;admin.;300;no;2026-01-03',
  'L4;60;retired;400;yes;2026-01-04',
].join('\n');

// L3's balance changes, L5 arrives, every row gets a region.
const SECOND = [
  'id;age;job;balance;region;y;closed',
  'L1;30;admin.;100;north;yes;2026-01-01',
  'L2;40;services;;south;no;2026-01-02',
  'L3;50;admin.;350;north;no;2026-01-03',
  'L4;60;retired;400;east;yes;2026-01-04',
  'L5;35;services;250;south;yes;2026-01-05',
].join('\n');

describe('dataset versions', () => {
  const sut = useTestApp();
  let admin: Session;

  beforeAll(async () => {
    admin = await registerTenant(sut.url);
  });

  function createVersion(session: Session, input: Record<string, unknown>) {
    return gql<{ createDatasetVersion: BuildView }>(
      sut.url,
      `mutation($input: CreateDatasetVersionInput!) { createDatasetVersion(input: $input) { ${BUILD_FIELDS} } }`,
      { variables: { input }, headers: bearer(session) },
    );
  }

  async function created(session: Session, input: Record<string, unknown>): Promise<BuildView> {
    const response = await createVersion(session, input);
    if (!response.data) throw new Error(JSON.stringify(response.errors));
    return response.data.createDatasetVersion;
  }

  let v1: VersionView;
  let v2: VersionView;
  let v3: VersionView;

  it('snapshots closed leads into a version with label counts and per-feature statistics', async () => {
    expect((await importCsv(sut.url, admin, FIRST, MAPPING)).importedRows).toBe(4);
    const build = await created(admin, { name: 'first' });
    expect(build).toMatchObject({ status: 'COMPLETED', stage: 'DONE', reused: false, error: null });
    v1 = build.version!;
    expect(v1).toMatchObject({
      name: 'first',
      parentId: null,
      rowCount: 4,
      converted: 2,
      lost: 2,
      labelRate: 0.5,
      chunkCount: 1,
    });
    expect(v1.contentHash).toMatch(/^[0-9a-f]{64}$/);
    const byName = Object.fromEntries(v1.features.map((f) => [f.name, f]));
    expect(Object.keys(byName).sort()).toEqual(
      [
        'age',
        'balance',
        'daysSinceLastActivity',
        'emailOpens',
        'job',
        'timeSpentSeconds',
        'websiteVisits',
      ].sort(),
    );
    // balance: 100, (missing), 300, 400 → mean 266.67, one missing of four.
    expect(byName.balance).toMatchObject({
      type: 'NUMERIC',
      count: 4,
      missing: 1,
      missingShare: 0.25,
      distinct: 3,
    });
    expect(byName.balance.numeric!.mean).toBeCloseTo(800 / 3, 10);
    expect(byName.balance.numeric).toMatchObject({ min: 100, max: 400 });
    expect(byName.job).toMatchObject({
      type: 'CATEGORICAL',
      distinct: 3,
      topCategories: [
        { value: 'admin.', count: 2 },
        { value: 'retired', count: 1 },
        { value: 'services', count: 1 },
      ],
    });
    expect(byName.daysSinceLastActivity).toMatchObject({ missing: 4, missingShare: 1 });
  });

  it('returns the existing version for the same data and transformation (same hash)', async () => {
    const again = await created(admin, { name: 'first again' });
    expect(again).toMatchObject({ status: 'COMPLETED', reused: true });
    expect(again.version).toMatchObject({ id: v1.id, name: 'first', contentHash: v1.contentHash });
    // The same rows imported again (new outcome records, same values) still hash the same.
    await importCsv(sut.url, admin, FIRST, MAPPING);
    expect((await created(admin, { name: 'reimported' })).version!.id).toBe(v1.id);
    const list = await gql<{ datasetVersions: { total: number } }>(
      sut.url,
      '{ datasetVersions { total } }',
      {
        headers: bearer(admin),
      },
    );
    expect(list.data!.datasetVersions.total).toBe(1);
  });

  it('makes a new version when one row changes, parented on the latest, and a three-generation lineage', async () => {
    await importCsv(sut.url, admin, SECOND, MAPPING);
    const second = await created(admin, { name: 'second' });
    v2 = second.version!;
    expect(second.reused).toBe(false);
    expect(v2.contentHash).not.toBe(v1.contentHash);
    expect(v2).toMatchObject({ parentId: v1.id, rowCount: 5, converted: 3 });

    const third = await created(admin, {
      name: 'third',
      parentId: v2.id,
      filter: { outcomeFrom: '2026-01-02T00:00:00Z' },
      transformation: { exclude: ['region'], categorical: { minFrequency: 1 } },
    });
    v3 = third.version!;
    expect(v3).toMatchObject({ parentId: v2.id, rowCount: 4 });
    expect(v3.transformation).toMatchObject({ exclude: ['region'], features: null });

    const lineage = await gql<{
      datasetLineage: {
        version: { id: string; depth: number };
        ancestors: { id: string; depth: number; name: string }[];
        descendants: {
          id: string;
          depth: number;
          parentId: string;
          transformation: { exclude: string[] };
        }[];
      };
    }>(
      sut.url,
      `query($id: ID!) { datasetLineage(id: $id) { version { id depth }
         ancestors { id depth name } descendants { id depth parentId transformation { exclude } } } }`,
      { variables: { id: v2.id }, headers: bearer(admin) },
    );
    expect(lineage.data!.datasetLineage).toEqual({
      version: { id: v2.id, depth: 0 },
      ancestors: [{ id: v1.id, depth: -1, name: 'first' }],
      descendants: [
        { id: v3.id, depth: 1, parentId: v2.id, transformation: { exclude: ['region'] } },
      ],
    });
    const fromRoot = await gql<{
      datasetLineage: { descendants: { id: string; depth: number }[] };
    }>(sut.url, 'query($id: ID!) { datasetLineage(id: $id) { descendants { id depth } } }', {
      variables: { id: v1.id },
      headers: bearer(admin),
    });
    expect(fromRoot.data!.datasetLineage.descendants).toEqual([
      { id: v2.id, depth: 1 },
      { id: v3.id, depth: 2 },
    ]);
  });

  it('compares two versions: rows added, removed and changed, label rate, schema, PSI', async () => {
    const compare = (a: string, b: string) =>
      gql<{
        compareDatasetVersions: {
          rowsA: number;
          rowsB: number;
          added: number;
          removed: number;
          changed: number;
          unchanged: number;
          sampleAdded: string[];
          sampleRemoved: string[];
          sampleChanged: string[];
          labelRateA: number;
          labelRateB: number;
          labelRateChange: number;
          schema: {
            added: { name: string; type: string }[];
            removed: { name: string }[];
            retyped: { name: string }[];
          };
          features: {
            name: string;
            psi: number;
            bins: { label: string; expectedShare: number; actualShare: number }[];
            newCategories: string[];
            vanishedCategories: string[];
          }[];
        };
      }>(
        sut.url,
        `query($a: ID!, $b: ID!) { compareDatasetVersions(a: $a, b: $b) {
          rowsA rowsB added removed changed unchanged sampleAdded sampleRemoved sampleChanged
          labelRateA labelRateB labelRateChange
          schema { added { name type } removed { name } retyped { name } }
          features { name psi bins { label expectedShare actualShare } newCategories vanishedCategories } } }`,
        { variables: { a, b }, headers: bearer(admin) },
      );
    const c = (await compare(v1.id, v2.id)).data!.compareDatasetVersions;
    expect(c).toMatchObject({
      rowsA: 4,
      rowsB: 5,
      added: 1,
      removed: 0,
      changed: 1,
      unchanged: 3,
      sampleAdded: ['L5'],
      sampleChanged: ['L3'],
      labelRateA: 0.5,
      labelRateB: 0.6,
    });
    expect(c.labelRateChange).toBeCloseTo(0.1, 12);
    expect(c.schema).toEqual({
      added: [{ name: 'region', type: 'CATEGORICAL' }],
      removed: [],
      retyped: [],
    });
    const job = c.features.find((f) => f.name === 'job')!;
    // a: admin. 2/4, retired 1/4, services 1/4; b: admin. 2/5, retired 1/5, services 2/5.
    // PSI = (0.4−0.5)ln(0.4/0.5) + (0.2−0.25)ln(0.2/0.25) + (0.4−0.25)ln(0.4/0.25)
    expect(job.psi).toBeCloseTo(
      -0.1 * Math.log(0.8) + -0.05 * Math.log(0.8) + 0.15 * Math.log(1.6),
      10,
    );
    expect(job.bins.map((b) => b.label)).toEqual(['admin.', 'retired', 'services']);

    const later = (await compare(v2.id, v3.id)).data!.compareDatasetVersions;
    expect(later).toMatchObject({ removed: 1, sampleRemoved: ['L1'], added: 0, changed: 0 });
    const same = (await compare(v2.id, v2.id)).data!.compareDatasetVersions;
    expect(same).toMatchObject({ changed: 0, unchanged: 5, labelRateChange: 0 });
    expect(same.features.every((f) => f.psi === 0)).toBe(true);
  });

  it('previews a transformation on hand-made rows before anything is saved', async () => {
    const preview = await gql<{
      previewTransformation: {
        inputFeatures: string[];
        outputFeatures: string[];
        rows: { leadId: string; label: number; values: number[] }[];
        fittedOn: number;
        warnings: string[];
      };
    }>(
      sut.url,
      `query($input: PreviewTransformationInput!) { previewTransformation(input: $input) {
         inputFeatures outputFeatures rows { leadId label values } fittedOn warnings } }`,
      {
        variables: {
          input: {
            datasetVersionId: v1.id,
            transformation: {
              features: ['age', 'job', 'balance'],
              categorical: { minFrequency: 2 },
            },
            rows: 4,
          },
        },
        headers: bearer(admin),
      },
    );
    expect(preview.errors).toBeUndefined();
    const p = preview.data!.previewTransformation;
    expect(p.inputFeatures).toEqual(['age', 'balance', 'job']);
    // job: only admin. reaches 2 rows; retired and services share "(other)".
    expect(p.outputFeatures).toEqual([
      'age',
      'balance',
      'balance:missing',
      'job=admin.',
      'job=(other)',
    ]);
    // age 30, 40, 50, 60: mean 45, population std √125. balance: 100, ∅, 300, 400; the median of
    // the three (300) fills L2; then mean (100+300+300+400)/4 = 275, std √(175²+25²+25²+125²)/2.
    const ageZ = (age: number) => (age - 45) / Math.sqrt(125);
    const balanceStd = Math.sqrt((175 ** 2 + 25 ** 2 + 25 ** 2 + 125 ** 2) / 4);
    const balanceZ = (balance: number) => (balance - 275) / balanceStd;
    const expected = [
      ['L1', 1, [ageZ(30), balanceZ(100), 0, 1, 0]],
      ['L2', 0, [ageZ(40), balanceZ(300), 1, 0, 1]],
      ['L3', 0, [ageZ(50), balanceZ(300), 0, 1, 0]],
      ['L4', 1, [ageZ(60), balanceZ(400), 0, 0, 1]],
    ] as const;
    expect(p.rows.map((r) => [r.leadId, r.label])).toEqual(
      expected.map(([id, label]) => [id, label]),
    );
    p.rows.forEach((row, i) => {
      expected[i][2].forEach((value, j) => expect(row.values[j]).toBeCloseTo(value, 9));
    });
    expect(p.fittedOn).toBe(4);

    // Without a version: the tenant's closed leads now (five after the second import).
    const live = await gql<{
      previewTransformation: { fittedOn: number; outputFeatures: string[] };
    }>(
      sut.url,
      '{ previewTransformation(input: { transformation: { features: ["region"], categorical: { minFrequency: 2 } } }) { fittedOn outputFeatures } }',
      { headers: bearer(admin) },
    );
    expect(live.data!.previewTransformation).toEqual({
      fittedOn: 5,
      outputFeatures: ['region=north', 'region=south', 'region=(other)'],
    });
  });

  it('names every bad field of a transformation and refuses an empty snapshot with the count needed', async () => {
    const bad = await createVersion(admin, {
      name: 'bad',
      transformation: {
        features: ['nope', 'age'],
        numeric: { log1p: ['job'] },
        categorical: { minFrequency: 0 },
      },
    });
    expect(bad.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
    const paths = (bad.errors?.[0].extensions?.fields as { path: string }[])
      .map((f) => f.path)
      .sort();
    expect(paths).toEqual(
      [
        'input.transformation.categorical.minFrequency',
        'input.transformation.features.1',
        'input.transformation.numeric.log1p.0',
      ].sort(),
    );
    expect(bad.errors?.[0].message).toMatch(/nope/);

    const empty = await registerTenant(sut.url);
    const none = await createVersion(empty, { name: 'nothing' });
    expect(none.errors?.[0].extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      needed: 1,
      found: 0,
    });
    const filtered = await createVersion(admin, {
      name: 'future',
      filter: { outcomeFrom: '2030-01-01T00:00:00Z' },
    });
    expect(filtered.errors?.[0].extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      needed: 1,
      found: 0,
      closed: 5,
    });
  });

  it('keeps tenants apart, admins only create, and a version in use cannot be archived', async () => {
    const other = await registerTenant(sut.url);
    await importCsv(sut.url, other, FIRST, MAPPING);
    const theirs = (await created(other, { name: 'theirs' })).version!;
    // The same rows in another tenant: another version, never the first tenant's.
    expect(theirs.id).not.toBe(v1.id);
    const cross = await gql(
      sut.url,
      'query($a: ID!, $b: ID!) { compareDatasetVersions(a: $a, b: $b) { added } }',
      {
        variables: { a: v1.id, b: theirs.id },
        headers: bearer(admin),
      },
    );
    expect(cross.errors?.[0].extensions?.code).toBe('NOT_FOUND');
    const peek = await gql(sut.url, 'query($id: ID!) { datasetVersion(id: $id) { id } }', {
      variables: { id: theirs.id },
      headers: bearer(admin),
    });
    expect(peek.errors?.[0].extensions?.code).toBe('NOT_FOUND');

    const manager = await createUserSession(sut.url, admin, 'MANAGER');
    const byManager = await createVersion(manager, { name: 'manager' });
    expect(byManager.errors?.[0].extensions?.code).toBe('FORBIDDEN');
    const read = await gql(sut.url, '{ datasetVersions { total } }', { headers: bearer(manager) });
    expect(read.errors).toBeUndefined();
    const rep = await createUserSession(sut.url, admin, 'REP');
    const byRep = await gql(sut.url, '{ datasetVersions { total } }', { headers: bearer(rep) });
    expect(byRep.errors?.[0].extensions?.code).toBe('FORBIDDEN');

    // What the model registry does when it deploys a model trained on v2.
    const versions = sut.app.get(DatasetVersionsService);
    await versions.markInUse(admin.tenantId, v2.id, { kind: 'MODEL', id: 'model-1' });
    const archive = (id: string) =>
      gql<{ archiveDatasetVersion: { id: string; archivedAt: string | null } }>(
        sut.url,
        'mutation($id: ID!) { archiveDatasetVersion(id: $id) { id archivedAt } }',
        { variables: { id }, headers: bearer(admin) },
      );
    const refused = await archive(v2.id);
    expect(refused.errors?.[0].extensions?.code).toBe('CONFLICT');
    expect(refused.errors?.[0].message).toMatch(/model model-1/);
    await versions.release(admin.tenantId, v2.id, { kind: 'MODEL', id: 'model-1' });
    expect((await archive(v2.id)).data!.archiveDatasetVersion.archivedAt).not.toBeNull();
    const listed = await gql<{ datasetVersions: { items: { id: string }[] } }>(
      sut.url,
      '{ datasetVersions { items { id } } }',
      { headers: bearer(admin) },
    );
    expect(listed.data!.datasetVersions.items.map((v) => v.id)).not.toContain(v2.id);
    // Still readable: lineage and models trained on it keep working.
    const still = await gql<{ datasetVersion: { archivedAt: string | null } }>(
      sut.url,
      'query($id: ID!) { datasetVersion(id: $id) { archivedAt } }',
      { variables: { id: v2.id }, headers: bearer(admin) },
    );
    expect(still.data!.datasetVersion.archivedAt).not.toBeNull();
  });
});

describe('dataset versions built by a job', () => {
  const sut = useTestApp({ env: { DATASET_INLINE_MAX_ROWS: '2' } });

  it('queues a build past the inline limit and reports its progress until it names the version', async () => {
    const admin = await registerTenant(sut.url);
    await importCsv(sut.url, admin, SECOND, MAPPING);
    const response = await gql<{ createDatasetVersion: BuildView }>(
      sut.url,
      `mutation { createDatasetVersion(input: { name: "queued" }) { ${BUILD_FIELDS} } }`,
      { headers: bearer(admin) },
    );
    expect(response.data!.createDatasetVersion).toMatchObject({
      status: 'QUEUED',
      totalRows: 5,
      version: null,
    });
    const id = response.data!.createDatasetVersion.id;
    let build: BuildView;
    const deadline = Date.now() + 20_000;
    do {
      await new Promise((resolve) => setTimeout(resolve, 100));
      build = (
        await gql<{ datasetVersionBuild: BuildView }>(
          sut.url,
          `query($id: ID!) { datasetVersionBuild(id: $id) { ${BUILD_FIELDS} } }`,
          { variables: { id }, headers: bearer(admin) },
        )
      ).data!.datasetVersionBuild;
    } while (build.status !== 'COMPLETED' && build.status !== 'FAILED' && Date.now() < deadline);
    expect(build).toMatchObject({ status: 'COMPLETED', stage: 'DONE', rowsRead: 5, reused: false });
    expect(build.version).toMatchObject({ name: 'queued', rowCount: 5, converted: 3 });

    // A refusal found by the job is recorded on the build, with its code and fields.
    const bad = await gql<{ createDatasetVersion: BuildView }>(
      sut.url,
      `mutation { createDatasetVersion(input: { name: "bad", transformation: { features: ["nope"] } }) { id status } }`,
      { headers: bearer(admin) },
    );
    const badId = bad.data!.createDatasetVersion.id;
    let failed: BuildView;
    do {
      await new Promise((resolve) => setTimeout(resolve, 100));
      failed = (
        await gql<{ datasetVersionBuild: BuildView }>(
          sut.url,
          `query($id: ID!) { datasetVersionBuild(id: $id) { ${BUILD_FIELDS} } }`,
          { variables: { id: badId }, headers: bearer(admin) },
        )
      ).data!.datasetVersionBuild;
    } while (failed.status !== 'COMPLETED' && failed.status !== 'FAILED' && Date.now() < deadline);
    expect(failed).toMatchObject({ status: 'FAILED', error: { code: 'BAD_USER_INPUT' } });
    expect(failed.error!.message).toMatch(/nope/);
  });
});
