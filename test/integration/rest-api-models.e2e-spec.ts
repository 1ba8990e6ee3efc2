import { bearer, createUserSession, registerTenant, Session } from '@test/utils/auth';
import { gql } from '@test/utils/graphql-client';
import { importCsv } from '@test/utils/imports';
import { makeInteraction, makeLead, recordInteractions, upsertLeads } from '@test/utils/leads';
import { fetchOpenApi, ResponseValidator } from '@test/utils/openapi';
import { v1, V1Error } from '@test/utils/rest-api';
import { useTestApp } from '@test/utils/test-app';
import { HISTORY_MAPPING, historyCsv } from '@test/utils/training-data';

const UNKNOWN_ID = '65f1c0ffee0123456789abcd';

interface JobView {
  id: string;
  status: string;
  stage: string;
  modelId: string | null;
  datasetVersionId: string;
  failure: string | null;
}

/** The REST v1 model routes: the registry, training and its status, and reps' feedback. */
describe('REST v1: models, training and feedback', () => {
  const sut = useTestApp();
  let admin: Session;
  let manager: Session;
  let rep: Session;
  let versionId: string;

  beforeAll(async () => {
    admin = await registerTenant(sut.url);
    [manager, rep] = await Promise.all([
      createUserSession(sut.url, admin, 'MANAGER'),
      createUserSession(sut.url, admin, 'REP'),
    ]);
    const done = await importCsv(sut.url, admin, historyCsv(), HISTORY_MAPPING);
    expect(done.importedRows).toBe(240);
    const version = await gql<{ createDatasetVersion: { version: { id: string } } }>(
      sut.url,
      'mutation { createDatasetVersion(input: { name: "history" }) { version { id } } }',
      { headers: bearer(admin) },
    );
    versionId = version.data!.createDatasetVersion.version.id;
    await upsertLeads(sut.url, admin, [
      makeLead({ leadId: 'F-1', ownerId: rep.userId }),
      makeLead({ leadId: 'F-2' }),
    ]);
    await recordInteractions(sut.url, admin, [makeInteraction({ leadId: 'F-1' })]);
  });

  async function trainingDone(jobId: string): Promise<JobView> {
    const deadline = Date.now() + 60_000;
    for (;;) {
      const response = await v1(sut, manager).get(`/ml/training-status/${jobId}`);
      expect(response.status).toBe(200);
      const job = response.body as JobView;
      if (['COMPLETED', 'FAILED', 'CANCELLED'].includes(job.status)) return job;
      if (Date.now() > deadline) throw new Error(`training not finished: ${JSON.stringify(job)}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }

  describe('POST /api/v1/ml/train-model and GET /api/v1/ml/training-status/:jobId', () => {
    it('queues the training (202), follows it to its model, as its schema says', async () => {
      const started = await v1(sut, admin).post('/ml/train-model', {
        datasetVersionId: versionId,
        modelType: 'LOGISTIC_REGRESSION',
        params: { maxIterations: 50 },
      });

      expect(started.status).toBe(202);
      expect(started.body).toMatchObject({
        status: 'QUEUED',
        datasetVersionId: versionId,
        modelType: 'LOGISTIC_REGRESSION',
        seed: 42,
        modelId: null,
      });
      const job = await trainingDone((started.body as JobView).id);
      expect(job).toMatchObject({ status: 'COMPLETED', stage: 'DONE', failure: null });

      const model = await v1(sut, manager).get(`/ml/models/${job.modelId}`);
      expect(model.status).toBe(200);
      expect(model.body).toMatchObject({
        id: job.modelId,
        version: 2,
        type: 'LOGISTIC_REGRESSION',
        status: 'READY',
        datasetVersionId: versionId,
        trainingJobId: job.id,
      });
      const validator = new ResponseValidator(await fetchOpenApi(sut.url));
      const where = (path: string) => ({ method: 'get', path, status: 200 });
      expect(validator.problems(where('/api/v1/ml/models/{id}'), model.body)).toEqual([]);
      const listed = await v1(sut, admin).get('/ml/models?status=READY');
      expect(validator.problems(where('/api/v1/ml/models'), listed.body)).toEqual([]);
      expect(listed.body).toMatchObject({
        total: 1,
        items: [{ id: job.modelId, metrics: { rows: expect.any(Number) as number } }],
      });
    });

    it.each([
      ['a dataset version id that is not one', { datasetVersionId: 'v1' }, ['datasetVersionId']],
      ['an unknown model type', { modelType: 'RANDOM_FOREST' }, ['modelType']],
      ['a bad parameter', { params: { l2: -1 } }, ['params.l2']],
      ['a negative seed', { seed: -1 }, ['seed']],
      ['a field it does not know', { epochs: 3 }, ['epochs']],
    ])('answers 400 for %s, naming the field', async (_label, change, paths) => {
      const response = await v1(sut, admin).post('/ml/train-model', {
        datasetVersionId: versionId,
        modelType: 'LOGISTIC_REGRESSION',
        ...change,
      });

      expect(response.status).toBe(400);
      const { error } = response.body as V1Error;
      expect(error.code).toBe('BAD_USER_INPUT');
      expect(error.fields?.map((field) => field.path)).toEqual(paths);
    });

    it('answers 404 for a dataset version of no one (or of another tenant)', async () => {
      const response = await v1(sut, admin).post('/ml/train-model', {
        datasetVersionId: UNKNOWN_ID,
        modelType: 'NAIVE_BAYES',
      });

      expect(response.status).toBe(404);
      expect(response.body).toEqual({
        error: {
          code: 'NOT_FOUND',
          message: `no dataset version ${UNKNOWN_ID}`,
          fields: [{ path: 'datasetVersionId', messages: ['no such dataset version'] }],
        },
      });
    });

    it('lets admins train, managers follow, reps neither (403), nobody without a token (401)', async () => {
      const body = { datasetVersionId: versionId, modelType: 'NAIVE_BAYES' };
      const byManager = await v1(sut, manager).post('/ml/train-model', body);
      expect(byManager.status).toBe(403);
      expect((byManager.body as V1Error).error).toMatchObject({
        code: 'FORBIDDEN',
        message: 'requires role ADMIN',
      });
      expect((await v1(sut, rep).post('/ml/train-model', body)).status).toBe(403);
      expect((await v1(sut).post('/ml/train-model', body)).status).toBe(401);

      const job = (await v1(sut, admin).post('/ml/train-model', body)).body as JobView;
      expect((await v1(sut, rep).get(`/ml/training-status/${job.id}`)).status).toBe(403);
      expect((await v1(sut).get(`/ml/training-status/${job.id}`)).status).toBe(401);
      expect((await trainingDone(job.id)).status).toBe('COMPLETED');
    });

    it('answers 400 for a job id that is not one and 404 for an unknown one', async () => {
      const bad = await v1(sut, admin).get('/ml/training-status/job-1');
      const unknown = await v1(sut, admin).get(`/ml/training-status/${UNKNOWN_ID}`);

      expect(bad.status).toBe(400);
      expect((bad.body as V1Error).error.fields).toEqual([
        { path: 'jobId', messages: ['jobId must be a training job id'] },
      ]);
      expect(unknown.status).toBe(404);
      expect((unknown.body as V1Error).error.code).toBe('NOT_FOUND');
    });
  });

  describe('GET /api/v1/ml/models and /api/v1/ml/models/:id', () => {
    it('lists the versions newest first, version 1 being the weighted sum', async () => {
      const response = await v1(sut, manager).get('/ml/models?type=WEIGHTED_SUM&limit=5');

      expect(response.status).toBe(200);
      expect(response.body).toMatchObject({ page: 1, limit: 5, total: 1, totalPages: 1 });
      expect((response.body as { items: unknown[] }).items).toEqual([
        expect.objectContaining({ id: 'weighted-sum', version: 1, type: 'WEIGHTED_SUM' }),
      ]);
      const one = await v1(sut, admin).get('/ml/models/weighted-sum');
      expect(one.status).toBe(200);
      expect(one.body).toMatchObject({ id: 'weighted-sum', version: 1, metrics: null });
    });

    it.each([
      ['limit=0', '/ml/models?limit=0', 'limit'],
      ['limit=201', '/ml/models?limit=201', 'limit'],
      ['an unknown status', '/ml/models?status=SLEEPING', 'status'],
      ['an id over 100 characters', `/ml/models/${'m'.repeat(101)}`, 'id'],
    ])('answers 400 for %s', async (_label, path, field) => {
      const response = await v1(sut, admin).get(path);

      expect(response.status).toBe(400);
      expect((response.body as V1Error).error.fields?.map((f) => f.path)).toEqual([field]);
    });

    it('answers 404 for an unknown model, 403 to reps, 401 without a token', async () => {
      const unknown = await v1(sut, admin).get('/ml/models/no-such-model');
      expect(unknown.status).toBe(404);
      expect(unknown.body).toEqual({
        error: { code: 'NOT_FOUND', message: 'no model no-such-model' },
      });
      for (const path of ['/ml/models', '/ml/models/weighted-sum']) {
        expect((await v1(sut, rep).get(path)).status).toBe(403);
        expect((await v1(sut).get(path)).status).toBe(401);
      }
    });
  });

  describe('POST /api/v1/ml/feedback', () => {
    it('records a rep’s rating of their lead with the score shown (201), keeping the earlier one', async () => {
      const first = await v1(sut, rep).post('/ml/feedback', { leadId: 'F-1', rating: 'TOO_LOW' });
      const second = await v1(sut, rep).post('/ml/feedback', {
        leadId: 'F-1',
        rating: 'ABOUT_RIGHT',
        comment: 'called back',
      });

      expect(first.status).toBe(201);
      expect(first.body).toMatchObject({
        leadId: 'F-1',
        userId: rep.userId,
        rating: 'TOO_LOW',
        comment: null,
        shown: { modelId: 'weighted-sum', modelVersion: 1, tier: expect.any(String) as string },
        history: [],
      });
      expect(second.body).toMatchObject({
        rating: 'ABOUT_RIGHT',
        comment: 'called back',
        history: [{ rating: 'TOO_LOW', comment: null }],
      });
    });

    it.each([
      ['an unknown rating', { leadId: 'F-1', rating: 'MEH' }, ['rating']],
      [
        'a comment over 2,000 characters',
        { leadId: 'F-1', rating: 'TOO_HIGH', comment: 'x'.repeat(2001) },
        ['comment'],
      ],
      ['no lead', { rating: 'TOO_HIGH' }, ['leadId']],
    ])('answers 400 for %s', async (_label, body, paths) => {
      const response = await v1(sut, admin).post('/ml/feedback', body);

      expect(response.status).toBe(400);
      expect((response.body as V1Error).error.fields?.map((f) => f.path)).toEqual(paths);
    });

    it('answers 403 to a rep rating another’s lead, 404 for an unknown lead, 401 without a token', async () => {
      const others = await v1(sut, rep).post('/ml/feedback', { leadId: 'F-2', rating: 'TOO_HIGH' });
      const unknown = await v1(sut, manager).post('/ml/feedback', {
        leadId: 'NOPE',
        rating: 'TOO_HIGH',
      });
      const anonymous = await v1(sut).post('/ml/feedback', { leadId: 'F-1', rating: 'TOO_HIGH' });

      expect(others.status).toBe(403);
      expect((others.body as V1Error).error).toMatchObject({
        code: 'FORBIDDEN',
        message: expect.stringMatching(/belongs to another rep/) as string,
      });
      expect(unknown.status).toBe(404);
      expect(unknown.body).toEqual({ error: { code: 'NOT_FOUND', message: 'no lead NOPE' } });
      expect(anonymous.status).toBe(401);
      // Managers rate any lead of the tenant.
      expect(
        (await v1(sut, manager).post('/ml/feedback', { leadId: 'F-2', rating: 'TOO_HIGH' })).status,
      ).toBe(201);
    });
  });
});
