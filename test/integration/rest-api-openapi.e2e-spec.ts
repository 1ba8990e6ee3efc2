import request from 'supertest';

import { signWebhook } from '@/leads/ingest/webhook-signature.util';
import { bearer, createUserSession, registerTenant, Session } from '@test/utils/auth';
import { gql } from '@test/utils/graphql-client';
import { importCsv, uploadCsv } from '@test/utils/imports';
import { makeInteraction, makeLead, recordInteractions, upsertLeads } from '@test/utils/leads';
import {
  fetchOpenApi,
  OpenApiDocument,
  registeredRoutes,
  ResponseValidator,
} from '@test/utils/openapi';
import { engineUrls, useTestApp } from '@test/utils/test-app';
import { HISTORY_MAPPING, historyCsv } from '@test/utils/training-data';

const DOCS = /^\/api\/docs/;
const PUBLIC = new Set(['/health', '/health/live', '/health/ready', '/metrics']);

type Answer = request.Response;

/** Routes that answer text, with the media type whose documented schema their body must meet. */
const TEXT_ANSWERS: Record<string, string> = {
  'GET /metrics': 'text/plain',
  'GET /leads/scoring/export': 'text/csv',
};

function key(method: string, path: string): string {
  return `${method.toUpperCase()} ${path}`;
}

describe('the OpenAPI document of the REST routes', () => {
  const sut = useTestApp();
  let document: OpenApiDocument;
  let admin: Session;

  beforeAll(async () => {
    document = await fetchOpenApi(sut.url);
    admin = await registerTenant(sut.url);
  });

  /** Every route of the app, as `GET /api/v1/ml/models/{id}`. */
  function routes(): string[] {
    return registeredRoutes(sut.app)
      .filter((route) => !DOCS.test(route.path))
      .map((route) => key(route.method, route.path))
      .sort();
  }

  it('is served at /api/docs-json, with Swagger UI at /api/docs outside production', async () => {
    expect(document.openapi).toMatch(/^3\./);
    expect(document.components.securitySchemes).toMatchObject({
      bearer: { type: 'http', scheme: 'bearer' },
    });
    const ui = await request(sut.url).get('/api/docs');
    expect(ui.status).toBe(200);
    expect(ui.headers['content-type']).toMatch(/text\/html/);
    const init = await request(sut.url).get('/api/docs/swagger-ui-init.js');
    expect(init.status).toBe(200);
  });

  it('documents every registered route, and no other', () => {
    const documented = Object.entries(document.paths)
      .flatMap(([path, operations]) => Object.keys(operations).map((m) => key(m, path)))
      .sort();
    expect(documented).toEqual(routes());
    expect(routes()).toEqual(
      expect.arrayContaining([
        'POST /api/v1/ml/score-lead',
        'POST /api/v1/ml/batch-score',
        'GET /api/v1/ml/models',
        'GET /api/v1/ml/models/{id}',
        'POST /api/v1/ml/train-model',
        'GET /api/v1/ml/training-status/{jobId}',
        'POST /api/v1/ml/feedback',
        'GET /api/v1/leads/{leadId}/score',
        'GET /api/v1/leads/{leadId}/score-history',
        'POST /api/v1/leads/scoring/refresh',
      ]),
    );
  });

  it('gives every operation a summary, a success schema, its auth and its error answers', () => {
    for (const [path, operations] of Object.entries(document.paths)) {
      for (const [method, operation] of Object.entries(operations)) {
        const where = key(method, path);
        const statuses = Object.keys(operation.responses);
        const success = statuses.filter((s) => /^2\d\d$/.test(s));
        expect({ where, success: success.length }).toEqual({ where, success: 1 });
        const content = operation.responses[success[0]].content ?? {};
        expect({ where, schemas: Object.values(content).every((c) => c.schema) }).toEqual({
          where,
          schemas: true,
        });
        expect({ where, summary: typeof (operation as { summary?: unknown }).summary }).toEqual({
          where,
          summary: 'string',
        });
        if (PUBLIC.has(path)) continue;
        expect({ where, errors: statuses }).toEqual({
          where,
          errors: expect.arrayContaining(['401', '429']),
        });
        const errorRef = path.startsWith('/api/v1/') ? 'ErrorResponse' : 'UnversionedErrorResponse';
        for (const status of statuses.filter((s) => /^[45]\d\d$/.test(s))) {
          const schema = operation.responses[status].content?.['application/json']?.schema;
          expect({ where, status, ref: schema?.$ref }).toEqual({
            where,
            status,
            ref: `#/components/schemas/${errorRef}`,
          });
        }
        if (path === '/ingest/interactions') continue;
        expect({ where, security: operation.security }).toEqual({
          where,
          security: [{ bearer: [] }],
        });
      }
    }
  });

  it('answers one request per route as its documented schema says', async () => {
    const validator = new ResponseValidator(document);
    const manager = await createUserSession(sut.url, admin, 'MANAGER');
    await upsertLeads(sut.url, admin, [makeLead({ leadId: 'OA-1' }), makeLead({ leadId: 'OA-2' })]);
    await recordInteractions(sut.url, admin, [
      makeInteraction({ leadId: 'OA-1', type: 'WEBSITE_VISIT', secondsSpent: 120 }),
    ]);
    await importCsv(sut.url, admin, historyCsv(120), HISTORY_MAPPING);
    const version = await gql<{ createDatasetVersion: { version: { id: string } } }>(
      sut.url,
      'mutation { createDatasetVersion(input: { name: "openapi" }) { version { id } } }',
      { headers: bearer(admin) },
    );
    const datasetVersionId = version.data!.createDatasetVersion.version.id;
    const secret = (
      await gql<{ rotateWebhookSecret: string }>(sut.url, 'mutation { rotateWebhookSecret }', {
        headers: bearer(admin),
      })
    ).data!.rotateWebhookSecret;
    const auth = bearer(admin);
    const api = () => request(sut.url);
    const delivery = JSON.stringify({
      interactions: [makeInteraction({ leadId: 'OA-2', type: 'EMAIL_OPEN' })],
    });
    const timestamp = Math.floor(Date.now() / 1000);

    // One request per route, in an order where each can use what the ones before made.
    const calls: [string, () => Promise<Answer>][] = [
      ['GET /leads/scoring', () => api().get('/leads/scoring?includeRaw=true').set(auth)],
      ['GET /leads/scoring/export', () => api().get('/leads/scoring/export').set(auth)],
      [
        'POST /ingest/interactions',
        () =>
          api()
            .post('/ingest/interactions')
            .set('content-type', 'application/json')
            .set('x-tenant-id', admin.tenantId)
            .set('x-webhook-timestamp', String(timestamp))
            .set('x-webhook-signature', signWebhook(secret, timestamp, delivery))
            .send(delivery),
      ],
      ['POST /import/leads', () => uploadCsv(sut.url, manager, 'id\nIMP-1', { leadId: 'id' })],
      ['GET /health', () => api().get('/health')],
      ['GET /health/live', () => api().get('/health/live')],
      ['GET /health/ready', () => api().get('/health/ready')],
      ['GET /metrics', () => api().get('/metrics')],
      [
        'POST /api/v1/ml/score-lead',
        () => api().post('/api/v1/ml/score-lead').set(auth).send({ leadId: 'OA-1' }),
      ],
      [
        'POST /api/v1/ml/batch-score',
        () =>
          api()
            .post('/api/v1/ml/batch-score')
            .set(auth)
            .send({ leadIds: ['OA-1', 'OA-2', 'OA-404'] }),
      ],
      ['GET /api/v1/ml/models', () => api().get('/api/v1/ml/models').set(bearer(manager))],
      [
        'POST /api/v1/ml/train-model',
        () =>
          api()
            .post('/api/v1/ml/train-model')
            .set(auth)
            .send({ datasetVersionId, modelType: 'LOGISTIC_REGRESSION' }),
      ],
      [
        'POST /api/v1/ml/feedback',
        () =>
          api()
            .post('/api/v1/ml/feedback')
            .set(auth)
            .send({ leadId: 'OA-1', rating: 'TOO_LOW', comment: 'hot on the phone' }),
      ],
      ['GET /api/v1/leads/{leadId}/score', () => api().get('/api/v1/leads/OA-1/score').set(auth)],
      [
        'GET /api/v1/leads/{leadId}/score-history',
        () => api().get('/api/v1/leads/OA-1/score-history').set(auth),
      ],
      [
        'PUT /api/v1/leads/{leadId}/override',
        () =>
          api()
            .put('/api/v1/leads/OA-2/override')
            .set(auth)
            .send({ score: 80, reason: 'openapi', expiresAt: new Date(Date.now() + 3_600_000) }),
      ],
      [
        'DELETE /api/v1/leads/{leadId}/override',
        () => api().delete('/api/v1/leads/OA-2/override').set(auth),
      ],
      [
        'POST /api/v1/leads/scoring/refresh',
        () => api().post('/api/v1/leads/scoring/refresh').set(auth).send({ minScore: 1 }),
      ],
    ];
    const answers = new Map<string, Answer>();
    for (const [route, call] of calls) answers.set(route, await call());
    const importId = (answers.get('POST /import/leads')!.body as { id: string }).id;
    const jobId = (answers.get('POST /api/v1/ml/train-model')!.body as { id: string }).id;
    answers.set('GET /import/leads/{id}', await api().get(`/import/leads/${importId}`).set(auth));
    answers.set(
      'GET /api/v1/ml/models/{id}',
      await api().get('/api/v1/ml/models/weighted-sum').set(auth),
    );
    answers.set(
      'GET /api/v1/ml/training-status/{jobId}',
      await api().get(`/api/v1/ml/training-status/${jobId}`).set(bearer(manager)),
    );

    expect([...answers.keys()].sort()).toEqual(routes());
    for (const [route, answer] of answers) {
      const [method, path] = route.split(' ');
      expect({ route, succeeded: answer.status < 300 }).toEqual({ route, succeeded: true });
      // Text answers are validated as the string their media type's schema describes.
      const mediaType = TEXT_ANSWERS[route];
      const problems = validator.problems(
        { method: method.toLowerCase(), path, status: answer.status },
        mediaType ? answer.text : answer.body,
        mediaType,
      );
      expect({ route, problems }).toEqual({ route, problems: [] });
    }
  });

  it('answers the errors as documented: 401 from every route that takes a token', async () => {
    const validator = new ResponseValidator(document);
    for (const route of routes()) {
      const [method, path] = route.split(' ');
      if (PUBLIC.has(path)) continue;
      const concrete = path.replace(/\{\w+\}/g, '65f1c0ffee0123456789abcd');
      const answer = await request(sut.url)[method.toLowerCase() as 'get' | 'post'](concrete);
      expect({ route, status: answer.status }).toEqual({ route, status: 401 });
      const problems = validator.problems(
        { method: method.toLowerCase(), path, status: 401 },
        answer.body,
      );
      expect({ route, problems }).toEqual({ route, problems: [] });
    }
  });
});

describe('the OpenAPI document in production', () => {
  const engines = engineUrls();
  const sut = useTestApp({
    role: 'api',
    env: { NODE_ENV: 'production', MONGODB_URI: engines.mongo, REDIS_URL: engines.redis },
  });

  it('is still served, without Swagger UI', async () => {
    expect((await request(sut.url).get('/api/docs-json')).status).toBe(200);
    const ui = await request(sut.url).get('/api/docs');
    expect(ui.status).toBe(404);
  });
});
