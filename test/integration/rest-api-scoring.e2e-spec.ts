import { LeadScoringService } from '@/scoring/lead-scoring.service';
import { bearer, createUserSession, registerTenant, Session } from '@test/utils/auth';
import { FakeOpenAI, VALID_INSIGHT } from '@test/utils/fake-openai';
import { gql } from '@test/utils/graphql-client';
import { makeInteraction, makeLead, recordInteractions, upsertLeads } from '@test/utils/leads';
import { ageScores, v1, V1Error } from '@test/utils/rest-api';
import { waitForJob } from '@test/utils/scoring-jobs';
import { dropTestDatabase, newTestNamespace, startTestApp, TestApp } from '@test/utils/test-app';

interface LeadScoreView {
  id: string;
  leadId: string;
  ownerId: string | null;
  score: number;
  tier: string;
  isStale: boolean;
  degraded: string | null;
  model: { id: string; version: number; type: string };
  breakdown: { computedAt: string; terms: { feature: string; contribution: number }[] };
  engagement: { emailOpens: number; websiteVisits: number; timeSpentSeconds: number };
  insight?: { status: string; current: boolean; source: string | null; insight: unknown } | null;
}

/** The REST v1 scoring routes: score-lead, batch-score, a lead's score and history, refresh. */
describe('REST v1: scoring', () => {
  const fake = new FakeOpenAI();
  const namespace = newTestNamespace();
  let sut: TestApp;
  let admin: Session;
  let manager: Session;
  let rep: Session;
  let otherRep: Session;

  beforeAll(async () => {
    await fake.start();
    sut = await startTestApp({
      namespace,
      env: { OPENAI_API_KEY: 'sk-test-local', OPENAI_BASE_URL: fake.url },
    });
    admin = await registerTenant(sut.url);
    [manager, rep, otherRep] = await Promise.all([
      createUserSession(sut.url, admin, 'MANAGER'),
      createUserSession(sut.url, admin, 'REP'),
      createUserSession(sut.url, admin, 'REP'),
    ]);
    await upsertLeads(sut.url, admin, [
      makeLead({ leadId: 'S-1', ownerId: rep.userId }),
      makeLead({ leadId: 'S-2', ownerId: rep.userId }),
      makeLead({ leadId: 'S-3', ownerId: otherRep.userId }),
    ]);
    const recorded = await recordInteractions(sut.url, admin, [
      ...['S-1', 'S-2', 'S-3'].map((leadId) => makeInteraction({ leadId })),
      makeInteraction({ leadId: 'S-1', type: 'WEBSITE_VISIT', secondsSpent: 300 }),
      makeInteraction({ leadId: 'S-1', type: 'WEBSITE_VISIT', secondsSpent: 200 }),
    ]);
    expect(recorded.errors).toBeUndefined();
  });

  afterAll(async () => {
    await sut?.close();
    await fake.stop();
    await dropTestDatabase(namespace);
  });

  afterEach(() => jest.restoreAllMocks());

  async function graphqlLead(leadId: string) {
    const response = await gql<{ leads: { items: { id: string; score: number; tier: string }[] } }>(
      sut.url,
      `{ leads(filter: { search: "${leadId.toLowerCase()}" }) { items { id score tier } } }`,
      { headers: bearer(admin) },
    );
    return response.data!.leads.items[0];
  }

  describe('POST /api/v1/ml/score-lead', () => {
    it('answers the score, its terms, the model and the insight, which becomes READY', async () => {
      const first = await v1(sut, admin).post('/ml/score-lead', { leadId: 'S-1' });

      expect(first.status).toBe(200);
      const body = first.body as LeadScoreView;
      expect(body).toMatchObject({
        leadId: 'S-1',
        ownerId: rep.userId,
        isStale: false,
        degraded: null,
        model: { id: 'weighted-sum', version: 1, type: 'WEIGHTED_SUM' },
        engagement: { emailOpens: 1, websiteVisits: 2, timeSpentSeconds: 500 },
      });
      expect(body.score).toBeGreaterThan(0);
      const sum = body.breakdown.terms.reduce((total, term) => total + term.contribution, 0);
      expect(sum).toBeCloseTo(body.score, 2);
      // The same lead, score and tier as GraphQL reads.
      expect(await graphqlLead('S-1')).toEqual({ id: body.id, score: body.score, tier: body.tier });
      expect(body.insight?.status).toMatch(/^(QUEUED|RUNNING|READY)$/);

      const deadline = Date.now() + 30_000;
      let insight = body.insight;
      while (!(insight?.status === 'READY' && insight.current) && Date.now() < deadline) {
        await new Promise((resolve) => setTimeout(resolve, 100));
        insight = (
          await v1(sut, admin)
            .post('/ml/score-lead', { leadId: 'S-1' })
            .then((r) => r.body as LeadScoreView)
        ).insight;
      }
      expect(insight).toMatchObject({
        status: 'READY',
        current: true,
        source: 'OPENAI',
        insight: VALID_INSIGHT,
      });
      expect(fake.requests).toHaveLength(1);
    });

    it('recomputes a stale score first, and leaves the insight out when asked', async () => {
      await ageScores(sut, admin.tenantId, ['S-2']);
      const before = await v1(sut, admin).get('/leads/S-2/score');
      expect(before.body).toMatchObject({ isStale: true });

      const scored = await v1(sut, admin).post('/ml/score-lead', {
        leadId: 'S-2',
        includeInsight: false,
      });

      expect(scored.status).toBe(200);
      expect(scored.body).toMatchObject({ leadId: 'S-2', isStale: false, insight: null });
      const at = (view: { body: LeadScoreView }) => Date.parse(view.body.breakdown.computedAt);
      expect(at(scored)).toBeGreaterThan(at(before));
    });

    it('serves the cached score, flagged, when the recomputation fails', async () => {
      await ageScores(sut, admin.tenantId, ['S-2']);
      const scoring = sut.app.get(LeadScoringService);
      jest.spyOn(scoring, 'rescoreStored').mockRejectedValue(new Error('scorer down'));

      const scored = await v1(sut, admin).post('/ml/score-lead', {
        leadId: 'S-2',
        includeInsight: false,
      });

      expect(scored.status).toBe(200);
      expect(scored.body).toMatchObject({ isStale: true, degraded: 'REFRESH_FAILED' });
    });

    it.each([
      ['no leadId', {}, ['leadId']],
      ['an empty leadId', { leadId: '' }, ['leadId']],
      ['a field it does not know', { leadId: 'S-1', score: 100 }, ['score']],
      [
        'includeInsight that is not a boolean',
        { leadId: 'S-1', includeInsight: 'yes' },
        ['includeInsight'],
      ],
    ])('answers 400 with the fields for %s', async (_label, body, paths) => {
      const response = await v1(sut, admin).post('/ml/score-lead', body);

      expect(response.status).toBe(400);
      const { error } = response.body as V1Error;
      expect(error.code).toBe('BAD_USER_INPUT');
      expect(error.fields?.map((field) => field.path)).toEqual(paths);
    });

    it('answers 401 without a token or with a bad one', async () => {
      const anonymous = await v1(sut).post('/ml/score-lead', { leadId: 'S-1' });
      const forged = await v1(sut, { ...admin, accessToken: 'not-a-jwt' }).post('/ml/score-lead', {
        leadId: 'S-1',
      });

      expect(anonymous.status).toBe(401);
      expect(anonymous.body).toEqual({
        error: {
          code: 'UNAUTHENTICATED',
          message: expect.stringMatching(/Bearer/) as string,
          details: { reason: 'INVALID_TOKEN' },
        },
      });
      expect(forged.status).toBe(401);
    });

    it('lets every role score (reps: their own leads; another rep’s is 404, as a missing lead)', async () => {
      const own = await v1(sut, rep).post('/ml/score-lead', {
        leadId: 'S-2',
        includeInsight: false,
      });
      const managers = await v1(sut, manager).post('/ml/score-lead', {
        leadId: 'S-3',
        includeInsight: false,
      });
      const others = await v1(sut, rep).post('/ml/score-lead', { leadId: 'S-3' });
      const missing = await v1(sut, admin).post('/ml/score-lead', { leadId: 'NOPE' });

      expect([own.status, managers.status]).toEqual([200, 200]);
      expect(others.status).toBe(404);
      expect(others.body).toEqual(missing.body);
      expect(missing.body).toEqual({ error: { code: 'NOT_FOUND', message: 'lead not found' } });
    });
  });

  describe('POST /api/v1/ml/batch-score', () => {
    it('scores each lead once, in the order asked, and lists those not found', async () => {
      await ageScores(sut, admin.tenantId, ['S-1', 'S-3']);

      const response = await v1(sut, admin).post('/ml/batch-score', {
        leadIds: ['S-3', 'NOPE', 'S-1', 'S-3', 'S-2'],
      });

      expect(response.status).toBe(200);
      const { scored, notFound } = response.body as { scored: LeadScoreView[]; notFound: string[] };
      expect(scored.map((lead) => [lead.leadId, lead.isStale, lead.degraded])).toEqual([
        ['S-3', false, null],
        ['S-1', false, null],
        ['S-2', false, null],
      ]);
      expect(notFound).toEqual(['NOPE']);
      expect(scored[1].score).toBe((await graphqlLead('S-1')).score);
    });

    describe('with many stale leads (a tenant of its own)', () => {
      const MANY = Array.from({ length: 40 }, (_, i) => `M-${i}`);
      let other: Session;

      beforeAll(async () => {
        other = await registerTenant(sut.url);
        await upsertLeads(
          sut.url,
          other,
          MANY.map((leadId) => makeLead({ leadId })),
        );
        const recorded = await recordInteractions(
          sut.url,
          other,
          MANY.map((leadId, i) =>
            makeInteraction({ leadId, type: 'WEBSITE_VISIT', secondsSpent: 10 * (i + 1) }),
          ),
        );
        expect(recorded.errors).toBeUndefined();
      });

      async function batchScore(leadIds: string[]) {
        const response = await v1(sut, other).post('/ml/batch-score', { leadIds });
        expect(response.status).toBe(200);
        return (response.body as { scored: LeadScoreView[] }).scored;
      }

      it('recomputes them together, each as GraphQL then reads it', async () => {
        await ageScores(sut, other.tenantId, MANY);
        const rescore = jest.spyOn(sut.app.get(LeadScoringService), 'rescoreStored');
        const agedAt = Date.now() - 3_600_000;

        const scored = await batchScore(MANY);

        expect(scored.map((lead) => [lead.leadId, lead.isStale, lead.degraded])).toEqual(
          MANY.map((leadId) => [leadId, false, null]),
        );
        for (const lead of scored)
          expect(Date.parse(lead.breakdown.computedAt)).toBeGreaterThan(agedAt);
        // One recomputation for the whole batch, not one per lead.
        expect(rescore).toHaveBeenCalledTimes(1);
        expect(rescore.mock.calls[0][1]).toHaveLength(MANY.length);
        const graphql = await gql<{
          leads: { items: { leadId: string; score: number; tier: string }[] };
        }>(sut.url, `{ leads(limit: ${MANY.length}) { items { leadId score tier } } }`, {
          headers: bearer(other),
        });
        const byLeadId = new Map(graphql.data!.leads.items.map((lead) => [lead.leadId, lead]));
        expect(scored.map(({ leadId, score, tier }) => ({ leadId, score, tier }))).toEqual(
          MANY.map((leadId) => byLeadId.get(leadId)),
        );
      });

      it('flags only the stale ones, served cached, when the recomputation fails', async () => {
        const stale = MANY.filter((_, i) => i % 2 === 0);
        await ageScores(sut, other.tenantId, stale);
        jest
          .spyOn(sut.app.get(LeadScoringService), 'rescoreStored')
          .mockRejectedValue(new Error('scorer down'));

        const scored = await batchScore(MANY);

        expect(scored.map((lead) => [lead.leadId, lead.isStale, lead.degraded])).toEqual(
          MANY.map((leadId, i) =>
            i % 2 === 0 ? [leadId, true, 'REFRESH_FAILED'] : [leadId, false, null],
          ),
        );
      });

      it('answers within the budget, every stale score flagged, when recomputing is slow', async () => {
        await ageScores(sut, other.tenantId, MANY);
        const scoring = sut.app.get(LeadScoringService);
        const original = scoring.rescoreStored.bind(scoring);
        let landed!: Promise<unknown>;
        jest.spyOn(scoring, 'rescoreStored').mockImplementation((...args) => {
          landed = new Promise((resolve) => setTimeout(resolve, 1_500)).then(() =>
            original(...args),
          );
          return landed as ReturnType<typeof original>;
        });
        const startedAt = Date.now();

        const scored = await batchScore(MANY);

        expect(Date.now() - startedAt).toBeLessThan(1_400);
        expect(scored.map((lead) => [lead.isStale, lead.degraded])).toEqual(
          MANY.map(() => [true, 'REFRESH_TIMEOUT']),
        );
        // The recomputation carries on and lands after the answer.
        await landed;
        expect((await batchScore(MANY)).every((lead) => !lead.isStale)).toBe(true);
      });
    });

    it('gives reps their own leads only', async () => {
      const response = await v1(sut, rep).post('/ml/batch-score', { leadIds: ['S-1', 'S-3'] });

      expect(response.status).toBe(200);
      expect((response.body as { scored: LeadScoreView[] }).scored.map((l) => l.leadId)).toEqual([
        'S-1',
      ]);
      expect(response.body).toMatchObject({ notFound: ['S-3'] });
    });

    it.each([
      ['101 leads', { leadIds: Array.from({ length: 101 }, (_, i) => `L-${i}`) }, 'leadIds'],
      ['no leads', { leadIds: [] }, 'leadIds'],
      ['a lead id that is not a string', { leadIds: ['S-1', 7] }, 'leadIds'],
      ['no body', undefined, 'leadIds'],
    ])('answers 400 for %s', async (_label, body, path) => {
      const response = await v1(sut, admin).post('/ml/batch-score', body);

      expect(response.status).toBe(400);
      expect((response.body as V1Error).error).toMatchObject({
        code: 'BAD_USER_INPUT',
        fields: [expect.objectContaining({ path })],
      });
    });

    it('answers 401 without a token', async () => {
      const response = await v1(sut).post('/ml/batch-score', { leadIds: ['S-1'] });

      expect(response.status).toBe(401);
      expect((response.body as V1Error).error.code).toBe('UNAUTHENTICATED');
    });
  });

  describe('GET /api/v1/leads/:leadId/score and /score-history', () => {
    it('reads the stored score, and recomputes a stale one with refresh=true', async () => {
      await ageScores(sut, admin.tenantId, ['S-1']);
      const cached = await v1(sut, rep).get('/leads/S-1/score');
      const refreshed = await v1(sut, rep).get('/leads/S-1/score?refresh=true');

      expect(cached.status).toBe(200);
      expect(cached.body).toMatchObject({ leadId: 'S-1', isStale: true, degraded: null });
      expect(cached.body).not.toHaveProperty('insight');
      expect(refreshed.body).toMatchObject({ leadId: 'S-1', isStale: false });
    });

    it('answers the history newest first, as leadScoreHistory does', async () => {
      const response = await v1(sut, admin).get('/leads/S-1/score-history?limit=2');
      const { id } = await graphqlLead('S-1');
      const graphql = await gql<{ leadScoreHistory: { score: number; reason: string }[] }>(
        sut.url,
        `{ leadScoreHistory(id: "${id}", limit: 2) { score reason } }`,
        { headers: bearer(admin) },
      );

      expect(response.status).toBe(200);
      const body = response.body as {
        leadId: string;
        entries: { score: number; reason: string }[];
      };
      expect(body.leadId).toBe('S-1');
      expect(body.entries.map((e) => ({ score: e.score, reason: e.reason }))).toEqual(
        graphql.data!.leadScoreHistory,
      );
      expect(body.entries.length).toBeGreaterThan(0);
    });

    it.each([
      ['refresh=maybe', '/leads/S-1/score?refresh=maybe', 'refresh'],
      ['a parameter it does not know', '/leads/S-1/score?page=2', 'page'],
      ['limit=0', '/leads/S-1/score-history?limit=0', 'limit'],
      ['limit=501', '/leads/S-1/score-history?limit=501', 'limit'],
      ['a leadId over 200 characters', `/leads/${'x'.repeat(201)}/score`, 'leadId'],
    ])('answers 400 for %s', async (_label, path, field) => {
      const response = await v1(sut, admin).get(path);

      expect(response.status).toBe(400);
      expect((response.body as V1Error).error.fields?.[0]?.path).toBe(field);
    });

    it('answers 404 for a missing lead and for another rep’s, 401 without a token', async () => {
      for (const path of ['/leads/NOPE/score', '/leads/NOPE/score-history']) {
        expect((await v1(sut, admin).get(path)).status).toBe(404);
        expect((await v1(sut).get(path)).status).toBe(401);
      }
      expect((await v1(sut, rep).get('/leads/S-3/score')).status).toBe(404);
      expect((await v1(sut, rep).get('/leads/S-3/score-history')).status).toBe(404);
    });
  });

  describe('POST /api/v1/leads/scoring/refresh', () => {
    it('starts a rescoring job (managers and admins) and answers 202 with it', async () => {
      const response = await v1(sut, manager).post('/leads/scoring/refresh', {
        ownerId: rep.userId,
      });

      expect(response.status).toBe(202);
      const job = response.body as { id: string; status: string; reason: string };
      expect(job).toMatchObject({ status: 'QUEUED', reason: 'BATCH_RESCORE' });
      expect(await waitForJob(sut, manager, job.id)).toMatchObject({
        status: 'COMPLETED',
        total: 2,
      });
      const everything = await v1(sut, admin).post('/leads/scoring/refresh');
      expect(everything.status).toBe(202);
      expect(await waitForJob(sut, admin, (everything.body as { id: string }).id)).toMatchObject({
        total: 3,
      });
    });

    it.each([
      [{ minScore: 101 }, 'minScore'],
      [{ status: 'SOMEWHERE' }, 'status'],
      [{ ownerId: 'rep-1' }, 'ownerId'],
      [{ everything: true }, 'everything'],
    ])('answers 400 for %j', async (body, path) => {
      const response = await v1(sut, admin).post('/leads/scoring/refresh', body);

      expect(response.status).toBe(400);
      expect((response.body as V1Error).error.fields?.map((f) => f.path)).toEqual([path]);
    });

    it('answers 403 to reps and 401 without a token', async () => {
      const response = await v1(sut, rep).post('/leads/scoring/refresh', {});

      expect(response.status).toBe(403);
      expect(response.body).toEqual({
        error: {
          code: 'FORBIDDEN',
          message: 'requires role ADMIN or MANAGER',
          details: { reason: 'FORBIDDEN_ROLE' },
        },
      });
      expect((await v1(sut).post('/leads/scoring/refresh', {})).status).toBe(401);
    });
  });
});
