import { bearer, createUserSession, registerTenant, Session } from '@test/utils/auth';
import { FakeOpenAI } from '@test/utils/fake-openai';
import { gql } from '@test/utils/graphql-client';
import { importCsv } from '@test/utils/imports';
import { dropTestDatabase, newTestNamespace, startTestApp, TestApp } from '@test/utils/test-app';
import { converts, segmentOf, sizeOf } from '@test/utils/training-data';

const TAGS = ['zq-hot-tag', 'zq-cold-tag', 'zq-open-tag'];
const budgetOf = (i: number): string => (1000.123 + i * 7.77).toFixed(3);
/** The planted leak: minutes of the closing call, known only once the outcome is. */
const callMinutesOf = (i: number): number => (converts(i) !== (i % 17 === 0) ? 30 : 3) + (i % 11);

/** `S-0` …: the training history's outcome, plus a leak, sales tags and a budget. */
function setupCsv(rows: number): string {
  const lines = ['id;segment;size;region;salesTag;budget;callMinutes;y'];
  for (let i = 0; i < rows; i++) {
    const region = ['north', 'south'][i % 2];
    lines.push(
      `S-${i};${segmentOf(i)};${sizeOf(i)};${region};${TAGS[i % 3]};${budgetOf(i)};${callMinutesOf(i)};${converts(i) ? 'yes' : 'no'}`,
    );
  }
  return lines.join('\n');
}

const MAPPING = {
  leadId: 'id',
  outcome: { column: 'y', converted: ['yes'], lost: ['no'] },
  attributes: ['*'],
};

const PROFILE_FIELDS = `versionId status queued error durationMs finishedAt
  profile { rows positives sampleRows sampled quickModel { type features auc }
    columns { name kind role missingShare distinct singleFeatureAuc aucMethod orientation dropColumnImportance } }
  flags { column kind message reason evidence { singleFeatureAuc aloneShareOfLift dropShareOfLift } }`;
const RECOMMENDATION = `source transformation { features exclude numeric { log1p } }
  included { name role reason } excluded { name role reason } transformationChoices { field value reason }
  model { type params reason } notes`;
const RECOMMEND_FIELDS = `versionId status flags { column kind } aiModel aiUnavailableReason
  deterministic { ${RECOMMENDATION} } ai { ${RECOMMENDATION} } applied { modelType }`;
const APPLIED_FIELDS =
  'versionId source transformation { features exclude } modelType params seed keptFlagged trainInput appliedBy';

interface ProfileView {
  versionId: string;
  status: string;
  queued: boolean;
  error: string | null;
  durationMs: number | null;
  finishedAt: string | null;
  profile: {
    rows: number;
    positives: number;
    quickModel: { auc: number | null; features: string[] };
    columns: { name: string; kind: string; role: string; singleFeatureAuc: number | null }[];
  } | null;
  flags: { column: string; kind: string; message: string; reason: string }[];
}

interface RecommendationView {
  source: string;
  transformation: { features: string[]; exclude: string[] } | null;
  excluded: { name: string; reason: string }[];
  included: { name: string }[];
  model: { type: string; params: Record<string, unknown>; reason: string } | null;
}

interface RecommendView {
  status: string;
  aiModel: string | null;
  aiUnavailableReason: string | null;
  deterministic: RecommendationView | null;
  ai: RecommendationView | null;
  applied: { modelType: string } | null;
}

interface AppliedView {
  source: string;
  transformation: { features: string[]; exclude: string[] };
  modelType: string;
  params: Record<string, unknown>;
  keptFlagged: string[];
  trainInput: Record<string, unknown>;
}

const AI_ADVICE = {
  excludeColumns: [
    {
      column: 'salesTag',
      concern: 'POSSIBLE_LEAKAGE',
      reason: 'tags are entered by sales as the deal moves: likely set after the outcome',
    },
  ],
  modelType: 'LOGISTIC_REGRESSION',
  modelReason: 'a few hundred rows: a regularized linear model whose weights can be read',
  notes: ['check how salesTag is filled in before relying on it'],
};

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('guided model setup: profile, leakage screen, recommendations and apply', () => {
  const fake = new FakeOpenAI();
  const namespace = newTestNamespace();
  let sut: TestApp;
  /** The same deployment's api without an OpenAI key. */
  let noKey: TestApp;
  let admin: Session;
  let rep: Session;
  let other: Session;
  let versionId: string;
  let otherVersionId: string;

  const query = <T>(app: TestApp, session: Session | null, text: string, variables = {}) =>
    gql<T>(app.url, text, { variables, headers: session ? bearer(session) : {} });

  const profileOf = (session: Session, id: string) =>
    query<{ datasetProfile: ProfileView }>(
      sut,
      session,
      `query($id: ID!) { datasetProfile(versionId: $id) { ${PROFILE_FIELDS} } }`,
      { id },
    );

  const recommend = (app: TestApp, id = versionId) =>
    query<{ recommendSetup: RecommendView }>(
      app,
      admin,
      `query($id: ID!) { recommendSetup(versionId: $id) { ${RECOMMEND_FIELDS} } }`,
      { id },
    );

  const applySetup = (session: Session, input: Record<string, unknown> = {}, id = versionId) =>
    query<{ applySetup: AppliedView }>(
      sut,
      session,
      `mutation($id: ID!, $input: ApplySetupInput) { applySetup(versionId: $id, input: $input) { ${APPLIED_FIELDS} } }`,
      { id, input },
    );

  async function createVersion(session: Session): Promise<string> {
    const created = await query<{
      createDatasetVersion: { id: string; status: string; version: { id: string } | null };
    }>(
      sut,
      session,
      'mutation { createDatasetVersion(input: { name: "setup" }) { id status version { id } } }',
    );
    let build = created.data!.createDatasetVersion;
    for (const deadline = Date.now() + 20_000; !build.version && Date.now() < deadline;) {
      await sleep(100);
      build = (
        await query<{ datasetVersionBuild: typeof build }>(
          sut,
          session,
          'query($id: ID!) { datasetVersionBuild(id: $id) { id status version { id } } }',
          { id: build.id },
        )
      ).data!.datasetVersionBuild;
    }
    return build.version!.id;
  }

  beforeAll(async () => {
    await fake.start();
    const env = { DATASET_INLINE_MAX_ROWS: '300' };
    sut = await startTestApp({
      namespace,
      env: {
        ...env,
        OPENAI_API_KEY: 'sk-test-local',
        OPENAI_BASE_URL: fake.url,
        OPENAI_MODEL: 'gpt-4o-mini',
        OPENAI_MAX_RETRIES: '0',
      },
    });
    noKey = await startTestApp({ namespace, role: 'api', env });
    admin = await registerTenant(sut.url);
    rep = await createUserSession(sut.url, admin, 'REP');
    other = await registerTenant(sut.url, { tenantName: 'Other' });
    expect((await importCsv(sut.url, admin, setupCsv(600), MAPPING)).importedRows).toBe(600);
    expect((await importCsv(sut.url, other, setupCsv(120), MAPPING)).importedRows).toBe(120);
    versionId = await createVersion(admin);
    otherVersionId = await createVersion(other);
  }, 60_000);

  afterAll(async () => {
    await noKey?.close();
    await sut?.close();
    await fake.stop();
    await dropTestDatabase(namespace);
  });

  it('profiles a version past the inline limit in the worker, flags the leak, then reads it stored', async () => {
    const first = (await profileOf(admin, versionId)).data!.datasetProfile;
    expect(first.queued).toBe(true);
    expect(['PENDING', 'RUNNING', 'READY']).toContain(first.status);
    let view = first;
    for (const deadline = Date.now() + 30_000; view.status !== 'READY';) {
      expect(view.status).not.toBe('FAILED');
      if (Date.now() > deadline) throw new Error(`profile not ready: ${JSON.stringify(view)}`);
      await sleep(100);
      view = (await profileOf(admin, versionId)).data!.datasetProfile;
    }
    expect(view.profile).toMatchObject({ rows: 600 });
    const leak = view.profile!.columns.find((column) => column.name === 'callMinutes')!;
    expect(leak).toMatchObject({ kind: 'FEATURE', role: 'NUMERIC' });
    expect(leak.singleFeatureAuc).toBeGreaterThan(0.85);
    expect(view.profile!.columns.find((column) => column.name === 'budget')!.role).toBe('NUMERIC');
    expect(
      view.flags.filter((flag) => flag.kind === 'POSSIBLE_LEAKAGE').map((flag) => flag.column),
    ).toEqual(['callMinutes']);
    expect(view.flags[0].message).toBe('possible leakage — recorded after the outcome?');

    const again = (await profileOf(admin, versionId)).data!.datasetProfile;
    expect(again).toEqual(view);
  });

  it('profiles a small version within the call', async () => {
    const view = (await profileOf(other, otherVersionId)).data!.datasetProfile;
    expect(view).toMatchObject({ status: 'READY', queued: false, profile: { rows: 120 } });
    expect(view.durationMs).toBeGreaterThanOrEqual(0);
  });

  it('without an OpenAI key: the deterministic recommendation only, and why', async () => {
    const view = (await recommend(noKey)).data!.recommendSetup;
    expect(view).toMatchObject({ status: 'READY', ai: null, aiModel: null });
    expect(view.aiUnavailableReason).toMatch(/no OPENAI_API_KEY/);
    const deterministic = view.deterministic!;
    expect(deterministic.source).toBe('DETERMINISTIC');
    expect(deterministic.transformation!.features).not.toContain('callMinutes');
    expect(deterministic.transformation!.features).toEqual(
      expect.arrayContaining(['segment', 'size', 'salesTag']),
    );
    expect(
      deterministic.excluded.find((feature) => feature.name === 'callMinutes')!.reason,
    ).toMatch(/^possible leakage/);
    expect(deterministic.model!.reason).not.toBe('');
    expect(fake.requests).toHaveLength(0);
  });

  it('an OpenAI answer that is garbage twice: deterministic only, with the reason', async () => {
    fake.enqueue({ content: 'not json at all' }, { content: JSON.stringify({ also: 'wrong' }) });
    const view = (await recommend(sut)).data!.recommendSetup;
    expect(view.ai).toBeNull();
    expect(view.deterministic!.source).toBe('DETERMINISTIC');
    expect(view.aiUnavailableReason).toMatch(/invalid twice/);
    expect(fake.requests).toHaveLength(2);
  });

  it('with OpenAI: both side by side; the model saw names and statistics, never row values', async () => {
    fake.reset();
    fake.defaultReply = { content: JSON.stringify(AI_ADVICE) };
    const view = (await recommend(sut)).data!.recommendSetup;
    expect(view.aiUnavailableReason).toBeNull();
    expect(view.aiModel).toBe('gpt-4o-mini');
    expect(view.deterministic!.transformation!.features).toContain('salesTag');
    expect(view.ai!.source).toBe('AI');
    expect(view.ai!.transformation!.features).not.toContain('salesTag');
    expect(view.ai!.excluded.map((feature) => feature.name)).toEqual(
      expect.arrayContaining(['callMinutes', 'salesTag']),
    );
    expect(view.ai!.model!.reason).toBe(AI_ADVICE.modelReason);

    expect(fake.requests).toHaveLength(1);
    const body = fake.requests[0].body;
    expect(body.response_format).toMatchObject({
      type: 'json_schema',
      json_schema: { name: 'model_setup_advice', strict: true },
    });
    const sent = JSON.stringify(body.messages);
    expect(sent).toContain('callMinutes');
    expect(sent).toContain('salesTag');
    const rowValues = [...TAGS, 'S-1', 'north', ...[0, 1, 2, 299, 599].map(budgetOf)];
    for (const value of rowValues) expect(sent).not.toContain(value);

    // Asked once per prompt: the stored answer is read back.
    expect((await recommend(sut)).data!.recommendSetup.ai).toEqual(view.ai);
    expect(fake.requests).toHaveLength(1);
  });

  it('applySetup records a setup that trains a model through trainModel', async () => {
    const bad = await applySetup(admin, { keepColumns: ['nope'], params: { l2: -1 } });
    expect(bad.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT' });
    expect((bad.errors![0].extensions!.fields as { path: string }[]).map((f) => f.path)).toEqual([
      'input.keepColumns.0',
      'input.params.l2',
    ]);

    const fromAi = (await applySetup(admin, { source: 'AI' })).data!.applySetup;
    expect(fromAi.transformation.exclude).toEqual(expect.arrayContaining(['salesTag']));

    const applied = await applySetup(admin);
    expect(applied.errors).toBeUndefined();
    const setup = applied.data!.applySetup;
    expect(setup).toMatchObject({ source: 'DETERMINISTIC', keptFlagged: [] });
    expect(setup.transformation.features).not.toContain('callMinutes');
    expect(setup.trainInput).toMatchObject({
      datasetVersionId: versionId,
      modelType: setup.modelType,
    });

    const events = await query<{
      auditEvents: { targetId: string; details: { source?: string } }[];
    }>(sut, admin, '{ auditEvents(action: MODEL_SETUP_APPLIED) { targetId details } }');
    expect(events.data!.auditEvents[0]).toMatchObject({
      targetId: versionId,
      details: { source: 'DETERMINISTIC' },
    });
    expect((await recommend(sut)).data!.recommendSetup.applied).toEqual({
      modelType: setup.modelType,
    });

    const started = await query<{ trainModel: { id: string } }>(
      sut,
      admin,
      'mutation($input: TrainModelInput!) { trainModel(input: $input) { id status } }',
      { input: setup.trainInput },
    );
    expect(started.errors).toBeUndefined();
    let job = { status: 'QUEUED', auc: null as number | null, failure: null as string | null };
    for (const deadline = Date.now() + 30_000; !['COMPLETED', 'FAILED'].includes(job.status);) {
      if (Date.now() > deadline) throw new Error(`training not finished: ${JSON.stringify(job)}`);
      await sleep(100);
      job = (
        await query<{ trainingJob: typeof job }>(
          sut,
          admin,
          'query($id: ID!) { trainingJob(id: $id) { status auc failure } }',
          { id: started.data!.trainModel.id },
        )
      ).data!.trainingJob;
    }
    expect(job).toMatchObject({ status: 'COMPLETED', failure: null });
    expect(job.auc).toBeGreaterThan(0.7);
  }, 45_000);

  it('is for admins of the version’s tenant only', async () => {
    const operations = [
      `query($id: ID!) { datasetProfile(versionId: $id) { status } }`,
      `query($id: ID!) { recommendSetup(versionId: $id) { status } }`,
      `mutation($id: ID!) { applySetup(versionId: $id) { modelType } }`,
    ];
    for (const operation of operations) {
      const anonymous = await query(sut, null, operation, { id: versionId });
      expect(anonymous.errors?.[0].extensions?.code).toBe('UNAUTHENTICATED');
      const asRep = await query(sut, rep, operation, { id: versionId });
      expect(asRep.errors?.[0].extensions?.code).toBe('FORBIDDEN');
      const otherTenant = await query(sut, other, operation, { id: versionId });
      expect(otherTenant.errors?.[0].extensions?.code).toBe('NOT_FOUND');
    }
  });
});
