import Redis from 'ioredis';

import { bearer, createUserSession, registerTenant, Session } from '@test/utils/auth';
import { gql } from '@test/utils/graphql-client';
import { makeInteraction, makeLead, recordInteractions, upsertLeads } from '@test/utils/leads';
import { engineUrls, startTestApp, useTestApp } from '@test/utils/test-app';

const DAY = 86_400_000;

interface Page {
  total: number;
  items: { id: string; leadId: string; ownerId: string | null; score: number }[];
}

/**
 * The Redis ranking index against MongoDB: every page the index serves must be the page MongoDB
 * serves. A `status` filter is never served by the index, so `status: "NEW"` (every lead here is NEW)
 * is the MongoDB answer to compare with.
 */
describe('ranking index (Redis sorted sets) and its MongoDB fallback', () => {
  const sut = useTestApp();
  const { namespace } = sut;
  let redis: Redis;
  let admin: Session;
  let repA: Session;
  let repB: Session;

  const readyKey = () => `${namespace.redisPrefix}:ranking:{${admin.tenantId}}:ready`;

  async function leads(session: Session, args: string): Promise<Page> {
    const response = await gql<{ leads: Page }>(
      sut.url,
      `{ leads(${args}) { total items { id leadId ownerId score } } }`,
      { headers: bearer(session) },
    );
    if (!response.data) throw new Error(JSON.stringify(response.errors));
    return response.data.leads;
  }

  /** The same query with and without the filter that forces MongoDB. */
  async function expectIndexMatchesMongo(
    session: Session,
    { filter = '', rest = '' }: { filter?: string; rest?: string },
  ): Promise<Page> {
    const fromIndex = await leads(session, `filter: { ${filter} } ${rest}`);
    const fromMongo = await leads(session, `filter: { ${filter} status: "NEW" } ${rest}`);
    expect(fromIndex).toEqual(fromMongo);
    return fromIndex;
  }

  async function waitForIndex(): Promise<void> {
    // A read that finds the index incomplete asks a worker to rebuild it.
    const deadline = Date.now() + 15_000;
    while ((await redis.exists(readyKey())) !== 1) {
      if (Date.now() > deadline) throw new Error('the ranking index was not rebuilt');
      await leads(admin, 'limit: 1');
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }

  beforeAll(async () => {
    redis = new Redis(engineUrls().redis);
    admin = await registerTenant(sut.url);
    repA = await createUserSession(sut.url, admin, 'REP');
    repB = await createUserSession(sut.url, admin, 'REP');
    // 40 leads: a third never active (score 0, ties broken by id), the rest with varied activity,
    // several with identical engagement (equal scores and last activity).
    await upsertLeads(
      sut.url,
      admin,
      Array.from({ length: 40 }, (_, i) =>
        makeLead({
          leadId: `RX-${String(i).padStart(2, '0')}`,
          ownerId: [repA.userId, repB.userId, undefined][i % 3],
        }),
      ),
    );
    const now = Date.now();
    await recordInteractions(
      sut.url,
      admin,
      Array.from({ length: 26 }, (_, i) =>
        makeInteraction({
          leadId: `RX-${String(i).padStart(2, '0')}`,
          type: i % 2 === 0 ? 'EMAIL_OPEN' : 'WEBSITE_VISIT',
          secondsSpent: i % 2 === 0 ? undefined : (i % 4) * 60,
          occurredAt: new Date(now - (i % 5) * DAY).toISOString(),
        }),
      ),
    );
    await waitForIndex();
  });

  afterAll(() => {
    redis?.disconnect();
  });

  it('serves the same pages as MongoDB: both orders, paging, minScore, ownerId, totals', async () => {
    for (const sort of ['SCORE', 'LAST_ACTIVITY']) {
      const pages: Page[] = [];
      for (const page of [1, 2, 3, 4]) {
        pages.push(
          await expectIndexMatchesMongo(admin, { rest: `sort: ${sort} limit: 12 page: ${page}` }),
        );
      }
      expect(pages[0].total).toBe(40);
      expect(pages.flatMap((p) => p.items)).toHaveLength(40);
      expect(pages[3].items).toHaveLength(4);
    }
    const hot = await expectIndexMatchesMongo(admin, {
      filter: 'minScore: 3',
      rest: 'limit: 200',
    });
    expect(hot.total).toBeGreaterThan(0);
    expect(hot.total).toBeLessThan(40);
    expect(hot.items.every((item) => item.score >= 3)).toBe(true);

    const ofA = await expectIndexMatchesMongo(admin, {
      filter: `ownerId: "${repA.userId}"`,
      rest: 'limit: 200',
    });
    expect(ofA.total).toBe(14);
    await expectIndexMatchesMongo(admin, {
      filter: `ownerId: "${repA.userId}" minScore: 3`,
      rest: 'limit: 5 page: 2',
    });
    const repView = await expectIndexMatchesMongo(repB, { rest: 'sort: LAST_ACTIVITY limit: 200' });
    expect(repView.items.every((item) => item.ownerId === repB.userId)).toBe(true);
  });

  it('follows live changes: new scores, a new owner, a new lead', async () => {
    const before = await leads(admin, 'limit: 1');
    await recordInteractions(sut.url, admin, [
      makeInteraction({ leadId: 'RX-39', type: 'WEBSITE_VISIT', secondsSpent: 600 }),
      makeInteraction({ leadId: 'RX-39', type: 'EMAIL_OPEN' }),
      makeInteraction({ leadId: 'RX-39', type: 'EMAIL_OPEN' }),
    ]);
    const top = await expectIndexMatchesMongo(admin, { rest: 'limit: 3' });
    expect(top.items[0].leadId).toBe('RX-39');
    expect(top.items[0].score).toBeGreaterThan(before.items[0].score);

    // RX-00 moves from rep A to rep B: it leaves A's list and joins B's.
    await upsertLeads(sut.url, admin, [makeLead({ leadId: 'RX-00', ownerId: repB.userId })]);
    const ofA = await expectIndexMatchesMongo(admin, {
      filter: `ownerId: "${repA.userId}"`,
      rest: 'limit: 200',
    });
    const ofB = await expectIndexMatchesMongo(admin, {
      filter: `ownerId: "${repB.userId}"`,
      rest: 'limit: 200',
    });
    expect(ofA.items.map((item) => item.leadId)).not.toContain('RX-00');
    expect(ofB.items.map((item) => item.leadId)).toContain('RX-00');

    await upsertLeads(sut.url, admin, [makeLead({ leadId: 'RX-NEW', ownerId: repA.userId })]);
    const all = await expectIndexMatchesMongo(admin, { rest: 'sort: LAST_ACTIVITY limit: 200' });
    expect(all.total).toBe(41);
    // Never active: after the 26 active leads, among the other never-active ones (ties by id).
    expect(all.items.slice(26).map((item) => item.leadId)).toContain('RX-NEW');
  });

  it('answers from MongoDB while the index is missing, and rebuilds it', async () => {
    const truth = await leads(admin, 'filter: { status: "NEW" } limit: 200');
    const keys = await redis.keys(`${namespace.redisPrefix}:ranking:{${admin.tenantId}}*`);
    expect(keys.length).toBeGreaterThan(3);
    await redis.del(...keys); // as after a Redis flush

    expect(await leads(admin, 'limit: 200')).toEqual(truth);
    await waitForIndex();
    expect(await leads(admin, 'limit: 200')).toEqual(truth);
  });

  it('drops an index that names scores MongoDB does not have, and answers from MongoDB', async () => {
    const truth = await leads(admin, 'filter: { status: "NEW" } limit: 200');
    // A ghost ranked first: an index out of step with the database.
    await redis.zadd(
      `${namespace.redisPrefix}:ranking:{${admin.tenantId}}:score`,
      -1000,
      '000000000000000000000000',
    );
    expect(await leads(admin, 'limit: 200')).toEqual(truth);
    await waitForIndex();
    expect(
      await redis.zscore(
        `${namespace.redisPrefix}:ranking:{${admin.tenantId}}:score`,
        '000000000000000000000000',
      ),
    ).toBeNull();
    expect(await leads(admin, 'limit: 200')).toEqual(truth);
  });

  it('keeps tenants apart: another tenant has an index of its own', async () => {
    const other = await registerTenant(sut.url, { tenantName: 'Other' });
    await upsertLeads(sut.url, other, [makeLead({ leadId: 'RX-00' })]);
    const page = await leads(other, 'limit: 200');
    expect(page.total).toBe(1);
    expect((await leads(admin, 'limit: 200')).total).toBe(41);
  });

  // Last: the processes it starts and stops replace the suite app's passport strategy (passport is
  // one global per Node process; a deployment runs one app per process).
  it('with RANKING_INDEX=off serves MongoDB; a process started with it on again forgets the indexes', async () => {
    const off = await startTestApp({ namespace, env: { RANKING_INDEX: 'off' } });
    try {
      // Written while the index is off: the index never sees it.
      await recordInteractions(
        off.url,
        admin,
        Array.from({ length: 6 }, () =>
          makeInteraction({ leadId: 'RX-20', type: 'WEBSITE_VISIT', secondsSpent: 600 }),
        ),
      );
      const fromOff = await gql<{ leads: Page }>(
        off.url,
        '{ leads(limit: 200) { total items { id leadId ownerId score } } }',
        { headers: bearer(admin) },
      );
      expect(fromOff.data?.leads).toEqual(
        await leads(admin, 'filter: { status: "NEW" } limit: 200'),
      );
    } finally {
      await off.close();
    }
    expect(await redis.exists(readyKey())).toBe(1);

    const on = await startTestApp({ namespace });
    try {
      expect(await redis.exists(readyKey())).toBe(0);
      await waitForIndex();
      const truth = await leads(admin, 'filter: { status: "NEW" } limit: 200');
      expect(await leads(admin, 'limit: 200')).toEqual(truth);
      expect(truth.items[0].leadId).toBe('RX-20');
    } finally {
      await on.close();
    }
  });
});
