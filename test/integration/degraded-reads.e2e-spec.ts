import request from 'supertest';

import { LeadScoringService } from '@/scoring/lead-scoring.service';
import { bearer, registerTenant, Session } from '@test/utils/auth';
import { gql } from '@test/utils/graphql-client';
import { makeLead, upsertLeads } from '@test/utils/leads';
import { useTestApp } from '@test/utils/test-app';

const LIST = '{ leads(refresh: true) { items { leadId isStale } } }';

/**
 * When recomputing stale scores is slow (or fails), a read with `refresh` answers in time with
 * the cached scores and says so, instead of running into the client's timeout.
 */
describe('reads when scoring is slow', () => {
  // Every score is stale after 60 ms; a refresh may take 200 ms.
  const sut = useTestApp({
    env: { SCORE_FRESHNESS_MINUTES: '0.001', SCORING_REFRESH_BUDGET_MS: '200' },
  });
  let admin: Session;
  let leadId: string;

  beforeAll(async () => {
    admin = await registerTenant(sut.url);
    [{ id: leadId }] = await upsertLeads(sut.url, admin, [makeLead({ leadId: 'SLOW-1' })]);
    await new Promise((resolve) => setTimeout(resolve, 100));
  });

  afterEach(() => jest.restoreAllMocks());

  /** Scoring that takes `ms` longer than it does (or fails), on the real app's service. */
  function slowScoring(ms: number, fail = false) {
    const scoring = sut.app.get(LeadScoringService);
    const original = scoring.rescoreStored.bind(scoring);
    return jest.spyOn(scoring, 'rescoreStored').mockImplementation(async (...args) => {
      await new Promise((resolve) => setTimeout(resolve, ms));
      if (fail) throw new Error('scoring engine unavailable');
      return original(...args);
    });
  }

  it('answers fresh scores without a flag when refreshing is quick (control)', async () => {
    const response = await gql<{ leads: { items: { isStale: boolean }[] } }>(sut.url, LIST, {
      headers: bearer(admin),
    });

    expect(response.errors).toBeUndefined();
    expect(response.data?.leads.items).toEqual([{ leadId: 'SLOW-1', isStale: false }]);
    expect((response as { extensions?: unknown }).extensions).toBeUndefined();
  });

  it('serves the cached scores past the budget, flagged in GraphQL extensions', async () => {
    await new Promise((resolve) => setTimeout(resolve, 100));
    slowScoring(2_000);
    const startedAt = Date.now();

    const response = await request(sut.url)
      .post('/graphql')
      .set(bearer(admin))
      .send({ query: LIST });

    expect(Date.now() - startedAt).toBeLessThan(1_500);
    expect(response.body.errors).toBeUndefined();
    expect(response.body.data.leads.items).toEqual([{ leadId: 'SLOW-1', isStale: true }]);
    expect(response.body.extensions).toEqual({ degraded: { reasons: ['REFRESH_TIMEOUT'] } });
  });

  it('serves the cached score when the refresh fails, flagged for one lead and in REST meta', async () => {
    await new Promise((resolve) => setTimeout(resolve, 100));
    slowScoring(0, true);

    const one = await request(sut.url)
      .post('/graphql')
      .set(bearer(admin))
      .send({ query: `{ lead(id: "${leadId}", refresh: true) { leadId isStale } }` });
    const rest = await request(sut.url).get('/leads/scoring?refresh=true').set(bearer(admin));

    expect(one.body.data.lead).toEqual({ leadId: 'SLOW-1', isStale: true });
    expect(one.body.extensions).toEqual({ degraded: { reasons: ['REFRESH_FAILED'] } });
    expect(rest.status).toBe(200);
    expect(rest.body.meta.degraded).toBe('REFRESH_FAILED');
    expect(rest.body.data).toHaveLength(1);
  });
});
