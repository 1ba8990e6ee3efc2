import { bearer, registerTenant, Session } from '@test/utils/auth';
import { gql } from '@test/utils/graphql-client';
import { registeredRoutes } from '@test/utils/openapi';
import { v1, V1Error } from '@test/utils/rest-api';
import { useTestApp } from '@test/utils/test-app';

const UNKNOWN_ID = '65f1c0ffee0123456789abcd';
const BUDGET = 2;

/** One call of each v1 route; the answer does not matter, only that it spends the budget. */
const CALLS: Record<
  string,
  (api: ReturnType<typeof v1>) => ReturnType<ReturnType<typeof v1>['get']>
> = {
  'POST /api/v1/ml/score-lead': (api) => api.post('/ml/score-lead', { leadId: 'L-1' }),
  'POST /api/v1/ml/batch-score': (api) => api.post('/ml/batch-score', { leadIds: ['L-1'] }),
  'GET /api/v1/ml/models': (api) => api.get('/ml/models'),
  'GET /api/v1/ml/models/{id}': (api) => api.get('/ml/models/weighted-sum'),
  'POST /api/v1/ml/train-model': (api) =>
    api.post('/ml/train-model', { datasetVersionId: UNKNOWN_ID, modelType: 'NAIVE_BAYES' }),
  'GET /api/v1/ml/training-status/{jobId}': (api) => api.get(`/ml/training-status/${UNKNOWN_ID}`),
  'POST /api/v1/ml/feedback': (api) =>
    api.post('/ml/feedback', { leadId: 'L-1', rating: 'TOO_LOW' }),
  'GET /api/v1/leads/{leadId}/score': (api) => api.get('/leads/L-1/score'),
  'GET /api/v1/leads/{leadId}/score-history': (api) => api.get('/leads/L-1/score-history'),
  'POST /api/v1/leads/scoring/refresh': (api) => api.post('/leads/scoring/refresh', {}),
  'PUT /api/v1/leads/{leadId}/override': (api) =>
    api.put('/leads/L-1/override', { score: 80, reason: 'limits' }),
  'DELETE /api/v1/leads/{leadId}/override': (api) => api.delete('/leads/L-1/override'),
};

/** The per-user budget (RATE_LIMIT_USER_PER_MINUTE) over REST v1, shared with GraphQL. */
describe('REST v1: rate limits', () => {
  const sut = useTestApp({ env: { RATE_LIMIT_USER_PER_MINUTE: String(BUDGET) } });

  it('has a case for every v1 route', () => {
    const routes = registeredRoutes(sut.app)
      .filter((route) => route.path.startsWith('/api/v1/'))
      .map((route) => `${route.method.toUpperCase()} ${route.path}`);
    expect(Object.keys(CALLS).sort()).toEqual(routes.sort());
  });

  it.each(Object.keys(CALLS))(
    'answers 429 with Retry-After once a user spent the budget: %s',
    async (route) => {
      // Registering is public: it spends no user budget.
      const admin = await registerTenant(sut.url);
      const statuses: number[] = [];
      for (let i = 0; i < BUDGET; i++) statuses.push((await CALLS[route](v1(sut, admin))).status);
      const limited = await CALLS[route](v1(sut, admin));

      expect(statuses).not.toContain(429);
      expect(limited.status).toBe(429);
      const { error } = limited.body as V1Error;
      expect(error).toEqual({
        code: 'RATE_LIMITED',
        message: expect.stringMatching(/^too many requests: retry in \d+ s$/) as string,
        details: { retryAfterSeconds: expect.any(Number) as number },
      });
      expect(Number(limited.headers['retry-after'])).toBe(error.details!.retryAfterSeconds);
    },
  );

  it('counts REST calls and GraphQL operations against one budget', async () => {
    const admin: Session = await registerTenant(sut.url);
    const me = () => gql(sut.url, '{ me { id } }', { headers: bearer(admin) });

    expect((await me()).errors).toBeUndefined();
    expect((await v1(sut, admin).get('/ml/models')).status).toBe(200);
    expect((await v1(sut, admin).get('/ml/models')).status).toBe(429);
    expect((await me()).errors?.[0]?.extensions?.code).toBe('RATE_LIMITED');
  });
});
