import request from 'supertest';

import { scoreEngagement } from '@/scoring/scorer/score-engagement.util';
import { bearer, createUserSession, registerTenant, Session } from '@test/utils/auth';
import { gql } from '@test/utils/graphql-client';
import { makeInteraction, makeLead, recordInteractions, upsertLeads } from '@test/utils/leads';
import { dropTestDatabase, newTestNamespace, startTestApp, TestApp } from '@test/utils/test-app';

const DAY = 86_400_000;
const DEFAULTS = { weights: [0.4, 0.35, 0.25], caps: [10, 20, 600], halfLifeDays: 7 } as const;
const LEAD_FIELDS =
  'id leadId ownerId status score tier isStale engagement { emailOpens websiteVisits timeSpentSeconds lastActivityAt } breakdown { rawScore decayFactor configVersion modelId modelVersion computedAt terms { feature contribution } }';

interface LeadView {
  id: string;
  leadId: string;
  ownerId: string | null;
  status: string;
  score: number;
  tier: string;
  isStale: boolean;
  engagement: {
    emailOpens: number;
    websiteVisits: number;
    timeSpentSeconds: number;
    lastActivityAt: string | null;
  };
  breakdown: {
    rawScore: number;
    decayFactor: number;
    configVersion: number;
    modelId: string;
    modelVersion: number;
    computedAt: string;
    terms: { feature: string; contribution: number }[];
  };
}

describe('leads, interactions and live scores', () => {
  const namespace = newTestNamespace();
  let sut: TestApp;
  let admin: Session;
  let rep: Session;

  beforeAll(async () => {
    sut = await startTestApp({ namespace });
    admin = await registerTenant(sut.url);
    rep = await createUserSession(sut.url, admin, 'REP');
  });

  afterAll(async () => {
    await sut?.close();
    await dropTestDatabase(namespace);
  });

  async function lead(id: string, session: Session = admin, args = ''): Promise<LeadView> {
    const response = await gql<{ lead: LeadView }>(
      sut.url,
      `query($id: ID!) { lead(id: $id${args}) { ${LEAD_FIELDS} } }`,
      {
        variables: { id },
        headers: bearer(session),
      },
    );
    if (!response.data) throw new Error(JSON.stringify(response.errors));
    return response.data.lead;
  }

  it('creates leads with a zero score, then updates them by leadId', async () => {
    const [created] = await upsertLeads(sut.url, admin, [
      makeLead({ leadId: 'UP-1', ownerId: rep.userId }),
    ]);
    expect(created).toMatchObject({ leadId: 'UP-1', score: 0 });

    const again = await gql<{ upsertLeads: { created: number; updated: number } }>(
      sut.url,
      'mutation($input: UpsertLeadsInput!) { upsertLeads(input: $input) { created updated } }',
      {
        variables: {
          input: { leads: [{ leadId: 'UP-1', status: 'WORKING' }, { leadId: 'UP-2' }] },
        },
        headers: bearer(admin),
      },
    );
    expect(again.data?.upsertLeads).toEqual({ created: 1, updated: 1 });
    expect(await lead(created.id)).toMatchObject({ status: 'WORKING', ownerId: rep.userId });
  });

  it('refuses a bad batch whole, naming each bad item (over 1,000, unknown owner, duplicate id)', async () => {
    const tooMany = Array.from({ length: 1001 }, (_, i) => ({ leadId: `X-${i}` }));
    const big = await gql(
      sut.url,
      'mutation($input: UpsertLeadsInput!) { upsertLeads(input: $input) { created } }',
      {
        variables: { input: { leads: tooMany } },
        headers: bearer(admin),
      },
    );
    expect(big.errors?.[0]?.extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      fields: [{ path: 'leads', messages: [expect.stringMatching(/1000/)] }],
    });

    const bad = await gql(
      sut.url,
      'mutation($input: UpsertLeadsInput!) { upsertLeads(input: $input) { created } }',
      {
        variables: {
          input: {
            leads: [
              { leadId: 'OK-1' },
              { leadId: 'OK-2', ownerId: '0123456789abcdef01234567' },
              { leadId: 'OK-1' },
            ],
          },
        },
        headers: bearer(admin),
      },
    );
    const paths = (bad.errors?.[0]?.extensions?.fields as { path: string }[])
      .map((f) => f.path)
      .sort();
    expect(paths).toEqual(['leads.1.ownerId', 'leads.2.leadId']);
    const written = await gql<{ leads: { total: number } }>(
      sut.url,
      '{ leads(filter: { search: "ok-" }) { total } }',
      { headers: bearer(admin) },
    );
    expect(written.data?.leads.total).toBe(0);
  });

  it('scores interactions exactly as the formula says, at once', async () => {
    const [target] = await upsertLeads(sut.url, admin, [makeLead({ leadId: 'SC-1' })]);
    const now = Date.now();
    const events = [
      ...Array.from({ length: 5 }, (_, i) =>
        makeInteraction({
          leadId: 'SC-1',
          type: 'EMAIL_OPEN',
          occurredAt: new Date(now - 2 * DAY + i * 1000).toISOString(),
        }),
      ),
      ...Array.from({ length: 10 }, (_, i) =>
        makeInteraction({
          leadId: 'SC-1',
          type: 'WEBSITE_VISIT',
          secondsSpent: 30,
          occurredAt: new Date(now - 3 * DAY + i * 1000).toISOString(),
        }),
      ),
    ];
    const result = await recordInteractions(sut.url, admin, events);
    expect(result.data?.recordInteractions).toEqual({
      accepted: 15,
      duplicates: 0,
      leadsRescored: 1,
    });

    const view = await lead(target.id);
    const lastActivityAt = new Date(now - 2 * DAY + 4000);
    const expected = scoreEngagement(
      { emailOpens: 5, websiteVisits: 10, timeSpentSeconds: 300, lastActivityAt },
      DEFAULTS,
      new Date(view.breakdown.computedAt),
    );
    expect(view.engagement).toEqual({
      emailOpens: 5,
      websiteVisits: 10,
      timeSpentSeconds: 300,
      lastActivityAt: lastActivityAt.toISOString(),
    });
    expect(view.score).toBe(expected.score);
    expect(view.score).toBeCloseTo(50 * 0.5 ** (2 / 7), 1);
    expect(view.breakdown).toMatchObject({
      modelId: 'weighted-sum',
      modelVersion: 1,
      configVersion: 1,
    });
    expect(view.breakdown.terms.reduce((sum, term) => sum + term.contribution, 0)).toBeCloseTo(
      view.score,
      1,
    );
  });

  it('counts a retried delivery once (idempotency keys), whatever the order of events', async () => {
    const [target] = await upsertLeads(sut.url, admin, [makeLead({ leadId: 'ID-1' })]);
    const newest = new Date().toISOString();
    const events = [
      makeInteraction({
        leadId: 'ID-1',
        type: 'WEBSITE_VISIT',
        secondsSpent: 120,
        occurredAt: newest,
      }),
      makeInteraction({
        leadId: 'ID-1',
        type: 'EMAIL_OPEN',
        occurredAt: new Date(Date.now() - 5 * DAY).toISOString(),
      }),
    ];
    await recordInteractions(sut.url, admin, events);
    const before = await lead(target.id);

    const retry = await recordInteractions(sut.url, admin, [...events, { ...events[0] }]);
    const after = await lead(target.id);

    expect(retry.data?.recordInteractions).toEqual({
      accepted: 0,
      duplicates: 3,
      leadsRescored: 0,
    });
    expect(after.engagement).toEqual(before.engagement);
    expect(after.engagement).toEqual({
      emailOpens: 1,
      websiteVisits: 1,
      timeSpentSeconds: 120,
      lastActivityAt: newest,
    });
    expect(after.score).toBe(before.score);
  });

  it('refuses interactions for unknown leads or far-future dates, writing none of the batch', async () => {
    await upsertLeads(sut.url, admin, [makeLead({ leadId: 'IV-1' })]);
    const response = await recordInteractions(sut.url, admin, [
      makeInteraction({ leadId: 'IV-1' }),
      makeInteraction({ leadId: 'NOPE' }),
      makeInteraction({ leadId: 'IV-1', occurredAt: new Date(Date.now() + 3 * DAY).toISOString() }),
    ]);

    expect(response.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(
      (response.errors?.[0]?.extensions?.fields as { path: string }[]).map((f) => f.path),
    ).toEqual(['interactions.1.leadId', 'interactions.2.occurredAt']);
    const list = await gql<{ leads: { items: LeadView[] } }>(
      sut.url,
      `{ leads(filter: { search: "iv-1" }) { items { ${LEAD_FIELDS} } } }`,
      { headers: bearer(admin) },
    );
    expect(list.data?.leads.items[0].engagement.emailOpens).toBe(0);
  });

  it('ranks by score with a stable tie-break, filters, and pages within the limits', async () => {
    await upsertLeads(
      sut.url,
      admin,
      ['RK-A', 'RK-B', 'RK-C', 'RK-D'].map((leadId) => makeLead({ leadId, status: 'QUALIFIED' })),
    );
    const now = new Date().toISOString();
    await recordInteractions(sut.url, admin, [
      ...Array.from({ length: 8 }, () => makeInteraction({ leadId: 'RK-A', occurredAt: now })),
      ...Array.from({ length: 3 }, () => makeInteraction({ leadId: 'RK-B', occurredAt: now })),
      ...Array.from({ length: 3 }, () => makeInteraction({ leadId: 'RK-C', occurredAt: now })),
    ]);
    const page = (n: number) =>
      gql<{ leads: { items: LeadView[]; total: number; totalPages: number; page: number } }>(
        sut.url,
        `{ leads(filter: { status: "QUALIFIED" }, page: ${n}, limit: 2) { page total totalPages items { leadId score id } } }`,
        { headers: bearer(admin) },
      );
    const [first, second] = [await page(1), await page(2)];

    expect(first.data?.leads).toMatchObject({ page: 1, total: 4, totalPages: 2 });
    const order = [...first.data!.leads.items, ...second.data!.leads.items];
    expect(order.map((item) => item.leadId)[0]).toBe('RK-A');
    expect(order.map((item) => item.leadId)[3]).toBe('RK-D');
    // B and C tie: ordered by id, the same way every time.
    const tied = order.slice(1, 3);
    expect(tied[0].score).toBe(tied[1].score);
    expect(tied[0].id < tied[1].id).toBe(true);

    const minScore = await gql<{ leads: { items: LeadView[] } }>(
      sut.url,
      '{ leads(filter: { minScore: 20, status: "QUALIFIED" }) { items { leadId } } }',
      { headers: bearer(admin) },
    );
    expect(minScore.data?.leads.items.map((i) => i.leadId)).toEqual(['RK-A']);
  });

  it.each([
    ['limit: 201', 'limit'],
    ['limit: 0', 'limit'],
    ['page: 0', 'page'],
    ['filter: { minScore: 101 }', 'filter.minScore'],
    ['filter: { status: "MAYBE" }', 'filter.status'],
  ])('refuses %s with BAD_USER_INPUT naming %s', async (args, path) => {
    const response = await gql(sut.url, `{ leads(${args}) { total } }`, { headers: bearer(admin) });

    expect(response.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(
      (response.errors?.[0]?.extensions?.fields as { path: string }[]).map((f) => f.path),
    ).toContain(path);
  });

  it('shows reps only their own leads, whatever ownerId they ask for', async () => {
    const other = await createUserSession(sut.url, admin, 'REP');
    const [mine, theirs] = await upsertLeads(sut.url, admin, [
      makeLead({ leadId: 'OWN-1', ownerId: rep.userId }),
      makeLead({ leadId: 'OWN-2', ownerId: other.userId }),
    ]);

    const list = await gql<{ leads: { items: LeadView[] } }>(
      sut.url,
      `{ leads(filter: { ownerId: "${other.userId}" }, limit: 200) { items { id ownerId } } }`,
      { headers: bearer(rep) },
    );
    expect(list.data?.leads.items.every((item) => item.ownerId === rep.userId)).toBe(true);
    expect(list.data?.leads.items.map((item) => item.id)).toContain(mine.id);

    const direct = await gql(sut.url, 'query($id: ID!) { lead(id: $id) { id } }', {
      variables: { id: theirs.id },
      headers: bearer(rep),
    });
    expect(direct.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
  });

  it('keeps a history entry per move of a point or more, with the reason', async () => {
    const [target] = await upsertLeads(sut.url, admin, [makeLead({ leadId: 'HI-1' })]);
    await recordInteractions(sut.url, admin, [makeInteraction({ leadId: 'HI-1' })]);
    await recordInteractions(sut.url, admin, [
      makeInteraction({ leadId: 'HI-1', type: 'ACTIVITY' }),
    ]);
    await recordInteractions(sut.url, admin, [
      makeInteraction({ leadId: 'HI-1', type: 'WEBSITE_VISIT', secondsSpent: 600 }),
    ]);

    const history = await gql<{
      leadScoreHistory: { score: number; previousScore: number | null; reason: string }[];
    }>(
      sut.url,
      'query($id: ID!) { leadScoreHistory(id: $id) { score previousScore reason configVersion } }',
      { variables: { id: target.id }, headers: bearer(admin) },
    );
    // New (0), first open (+4), the activity moved nothing (no entry), the visit (+~27).
    expect(history.data?.leadScoreHistory.map((e) => e.reason)).toEqual([
      'INTERACTION',
      'INTERACTION',
      'LEAD_UPDATED',
    ]);
    expect(history.data?.leadScoreHistory[1]).toMatchObject({ previousScore: 0 });

    const latest = await gql<{ leadScoreHistory: { reason: string; score: number }[] }>(
      sut.url,
      'query($id: ID!) { leadScoreHistory(id: $id, limit: 2) { score reason } }',
      { variables: { id: target.id }, headers: bearer(admin) },
    );
    expect(latest.data?.leadScoreHistory).toEqual(
      history.data?.leadScoreHistory.slice(0, 2).map(({ score, reason }) => ({ score, reason })),
    );
  });
});

describe('freshness', () => {
  const namespace = newTestNamespace();
  let sut: TestApp;
  let admin: Session;

  beforeAll(async () => {
    // 0.002 minutes: every score is stale after 120 ms.
    sut = await startTestApp({ namespace, env: { SCORE_FRESHNESS_MINUTES: '0.002' } });
    admin = await registerTenant(sut.url);
  });

  afterAll(async () => {
    await sut?.close();
    await dropTestDatabase(namespace);
  });

  it('marks old scores stale and recomputes them on read when refresh is asked', async () => {
    const [target] = await upsertLeads(sut.url, admin, [makeLead({ leadId: 'FR-1' })]);
    await recordInteractions(sut.url, admin, [
      makeInteraction({ leadId: 'FR-1', occurredAt: new Date(Date.now() - 3 * DAY).toISOString() }),
    ]);
    await new Promise((resolve) => setTimeout(resolve, 300));

    const query = (refresh: boolean) =>
      gql<{ lead: LeadView }>(
        sut.url,
        `query($id: ID!) { lead(id: $id, refresh: ${refresh}) { ${LEAD_FIELDS} } }`,
        { variables: { id: target.id }, headers: bearer(admin) },
      );
    // The repeatable freshness job (every minute at least, on minute boundaries) may have just
    // recomputed it: a score is stale again 120 ms later.
    let stale = (await query(false)).data!.lead;
    for (let i = 0; i < 5 && !stale.isStale; i++) {
      await new Promise((resolve) => setTimeout(resolve, 150));
      stale = (await query(false)).data!.lead;
    }
    const fresh = (await query(true)).data!.lead;
    const list = await gql<{ leads: { items: LeadView[] } }>(
      sut.url,
      `{ leads(refresh: true, filter: { search: "fr-1" }) { items { ${LEAD_FIELDS} } } }`,
      { headers: bearer(admin) },
    );

    expect(stale.isStale).toBe(true);
    expect(fresh.isStale).toBe(false);
    expect(new Date(fresh.breakdown.computedAt).getTime()).toBeGreaterThan(
      new Date(stale.breakdown.computedAt).getTime(),
    );
    expect(fresh.breakdown.decayFactor).toBeLessThanOrEqual(stale.breakdown.decayFactor);
    expect(list.data?.leads.items[0].isStale).toBe(false);
  });
});

describe('GET /leads/scoring', () => {
  const namespace = newTestNamespace();
  let sut: TestApp;
  let admin: Session;

  beforeAll(async () => {
    // One budget for GraphQL and REST: the setup's mutations and the 400 cases below share it.
    sut = await startTestApp({ namespace, env: { RATE_LIMIT_USER_PER_MINUTE: '12' } });
    admin = await registerTenant(sut.url);
    await upsertLeads(sut.url, admin, [
      makeLead({ leadId: 'RE-1', attributes: { industry: 'retail' } }),
      makeLead({ leadId: 'RE-2' }),
    ]);
    await recordInteractions(sut.url, admin, [makeInteraction({ leadId: 'RE-1' })]);
  });

  afterAll(async () => {
    await sut?.close();
    await dropTestDatabase(namespace);
  });

  it('answers {data, meta} with the parameters of the specification', async () => {
    const response = await request(sut.url)
      .get('/leads/scoring?limit=1&page=1&sort=score&minScore=0&includeRaw=true&refresh=false')
      .set(bearer(admin));

    expect(response.status).toBe(200);
    expect(response.body.meta).toEqual({
      page: 1,
      limit: 1,
      total: 2,
      totalPages: 2,
      sort: 'score',
      order: 'desc',
    });
    expect(response.body.data).toHaveLength(1);
    expect(response.body.data[0]).toMatchObject({
      leadId: 'RE-1',
      attributes: { industry: 'retail' },
      breakdown: { modelId: 'weighted-sum' },
    });
  });

  it('order=asc gives the reverse order', async () => {
    const response = await request(sut.url)
      .get('/leads/scoring?sort=score&order=asc')
      .set(bearer(admin));
    expect(response.status).toBe(200);
    expect(response.body.meta).toMatchObject({ sort: 'score', order: 'asc' });
    const { data } = response.body as { data: { leadId: string }[] };
    expect(data.map((lead) => lead.leadId)).toEqual(['RE-2', 'RE-1']);
  });

  it.each([
    ['limit=201'],
    ['limit=abc'],
    ['page=0'],
    ['sort=name'],
    ['order=up'],
    ['minScore=abc'],
    ['ownerId=xyz'],
    ['includeRaw=maybe'],
  ])('answers 400 for %s', async (query) => {
    const response = await request(sut.url).get(`/leads/scoring?${query}`).set(bearer(admin));

    expect(response.status).toBe(400);
    expect(response.body.error).toMatchObject({
      code: 'BAD_USER_INPUT',
      fields: expect.any(Array),
    });
  });

  it('answers 401 without a token', async () => {
    const response = await request(sut.url).get('/leads/scoring');

    expect(response.status).toBe(401);
    expect(response.body.error.code).toBe('UNAUTHENTICATED');
  });

  it('answers 429 with Retry-After over the rate limit', async () => {
    const session = await registerTenant(sut.url);
    const statuses: number[] = [];
    let last: request.Response | undefined;
    for (let i = 0; i < 13; i++) {
      last = await request(sut.url).get('/leads/scoring').set(bearer(session));
      statuses.push(last.status);
    }

    expect(statuses.slice(0, 12).every((status) => status === 200)).toBe(true);
    expect(statuses[12]).toBe(429);
    expect(Number(last!.headers['retry-after'])).toBeGreaterThan(0);
    expect(last!.body.error.code).toBe('RATE_LIMITED');
  });
});
