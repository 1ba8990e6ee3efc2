import { getConnectionToken } from '@nestjs/mongoose';
import type { Connection } from 'mongoose';
import { Types } from 'mongoose';

import { bearer, registerTenant, Session } from '@test/utils/auth';
import { gql } from '@test/utils/graphql-client';
import { makeInteraction, makeLead, recordInteractions, upsertLeads } from '@test/utils/leads';
import { v1 } from '@test/utils/rest-api';
import { dropTestDatabase, newTestNamespace, startTestApp, TestApp } from '@test/utils/test-app';

const DAY = 86_400_000;

/**
 * Lead.trend, from the model-score points kept with each score (SCORE_TREND_WINDOW_DAYS=7,
 * SCORE_TREND_MIN_CHANGE=3 here). History older than the app cannot be made by calling it, so
 * the points of the window's start are written into the stored scores directly.
 */
describe('score trend', () => {
  const namespace = newTestNamespace();
  let sut: TestApp;
  let admin: Session;
  let refs: Map<string, string>;

  beforeAll(async () => {
    sut = await startTestApp({
      namespace,
      env: { SCORE_TREND_WINDOW_DAYS: '7', SCORE_TREND_MIN_CHANGE: '3' },
    });
    admin = await registerTenant(sut.url);
    const leads = await upsertLeads(sut.url, admin, [
      makeLead({ leadId: 'T-UP' }),
      makeLead({ leadId: 'T-DOWN' }),
      makeLead({ leadId: 'T-FLAT' }),
      makeLead({ leadId: 'T-NEW' }),
    ]);
    refs = new Map(leads.map((lead) => [lead.leadId, lead.id]));
  });

  afterAll(async () => {
    await sut?.close();
    await dropTestDatabase(namespace);
  });

  const scores = () => sut.app.get<Connection>(getConnectionToken()).collection('leadScores');

  async function backdate(leadId: string, score: number): Promise<void> {
    await scores().updateOne(
      { _id: new Types.ObjectId(refs.get(leadId)) },
      { $set: { trendPoints: [{ at: Date.now() - 10 * DAY, score }] } },
    );
  }

  async function ranked(filter = ''): Promise<Map<string, string>> {
    const response = await gql<{ leads: { items: { leadId: string; trend: string }[] } }>(
      sut.url,
      `{ leads(limit: 50${filter}) { items { leadId trend } } }`,
      { headers: bearer(admin) },
    );
    expect(response.errors).toBeUndefined();
    return new Map(response.data!.leads.items.map((item) => [item.leadId, item.trend]));
  }

  it('is NOT_ENOUGH_DATA for leads first scored inside the window', async () => {
    expect([...(await ranked()).values()]).toEqual(Array(4).fill('NOT_ENOUGH_DATA'));
  });

  it('compares the model score now with the one at the window start, on every read path', async () => {
    await backdate('T-UP', 0);
    await backdate('T-DOWN', 100);
    // The next score writes carry the points on (and into the Redis ranking index).
    const recorded = await recordInteractions(sut.url, admin, [
      makeInteraction({ leadId: 'T-UP' }),
      makeInteraction({ leadId: 'T-DOWN' }),
    ]);
    expect(recorded.errors).toBeUndefined();
    const flat = await scores().findOne({ _id: new Types.ObjectId(refs.get('T-FLAT')) });
    await backdate('T-FLAT', (flat!.modelScore as number) + 2.5);

    const stored = await scores().findOne({ _id: new Types.ObjectId(refs.get('T-UP')) });
    expect(stored!.trendPoints).toEqual([
      { at: expect.any(Number), score: 0 },
      { at: expect.any(Number), score: stored!.modelScore },
    ]);

    const fromIndex = await ranked();
    expect(fromIndex.get('T-UP')).toBe('IMPROVING');
    expect(fromIndex.get('T-DOWN')).toBe('DECLINING');
    expect(fromIndex.get('T-NEW')).toBe('NOT_ENOUGH_DATA');
    const fromMongo = await ranked(', filter: { status: "NEW" }');
    expect(Object.fromEntries(fromMongo)).toEqual({
      'T-UP': 'IMPROVING',
      'T-DOWN': 'DECLINING',
      'T-FLAT': 'STEADY',
      'T-NEW': 'NOT_ENOUGH_DATA',
    });

    const one = await gql<{ lead: { trend: string } }>(
      sut.url,
      'query($id: ID!) { lead(id: $id) { trend } }',
      {
        variables: { id: refs.get('T-FLAT') },
        headers: bearer(admin),
      },
    );
    expect(one.data!.lead.trend).toBe('STEADY');
    const rest = await v1(sut, admin).get('/leads/T-DOWN/score');
    expect(rest.body.trend).toBe('DECLINING');
    const batch = await v1(sut, admin).post('/ml/batch-score', { leadIds: ['T-UP', 'T-NEW'] });
    expect((batch.body as { scored: { trend: string }[] }).scored.map((s) => s.trend)).toEqual([
      'IMPROVING',
      'NOT_ENOUGH_DATA',
    ]);
  });
});
