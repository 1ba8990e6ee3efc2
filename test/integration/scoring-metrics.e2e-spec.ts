import request from 'supertest';

import { BatchScoringProcessor } from '@/scoring/jobs/batch-scoring.processor';
import { bearer, registerTenant, Session } from '@test/utils/auth';
import { gql } from '@test/utils/graphql-client';
import { makeInteraction, makeLead, recordInteractions, upsertLeads } from '@test/utils/leads';
import { sampleOf as sample } from '@test/utils/metrics';
import { waitForJob } from '@test/utils/scoring-jobs';
import { useTestApp } from '@test/utils/test-app';

/**
 * Scoring's series move on real traffic: leads and interactions through GraphQL, a read that
 * meets stale scores, and the freshness job. Scores go stale after 60 ms here
 * (SCORE_FRESHNESS_MINUTES=0.001), so the KPI has something to show.
 */
describe('scoring metrics on /metrics', () => {
  const sut = useTestApp({ env: { SCORE_FRESHNESS_MINUTES: '0.001' } });
  let admin: Session;
  const scrape = async () => (await request(sut.url).get('/metrics').expect(200)).text;

  beforeAll(async () => {
    admin = await registerTenant(sut.url);
  });

  it('counts scores computed by reason and model, their batch durations, and interactions stored and refused', async () => {
    const before = await scrape();
    await upsertLeads(sut.url, admin, [makeLead({ leadId: 'M-1' }), makeLead({ leadId: 'M-2' })]);
    const event = makeInteraction({ leadId: 'M-1' });
    const first = await recordInteractions(sut.url, admin, [event]);
    const again = await recordInteractions(sut.url, admin, [event]);
    expect(first.data?.recordInteractions).toMatchObject({ accepted: 1, duplicates: 0 });
    expect(again.data?.recordInteractions).toMatchObject({ accepted: 0, duplicates: 1 });
    const after = await scrape();

    const delta = (name: string, labels: Record<string, string> = {}) =>
      sample(after, name, labels) - sample(before, name, labels);
    expect(
      delta('leadscoring_scores_computed_total', { reason: 'LEAD_UPDATED', model: 'WEIGHTED_SUM' }),
    ).toBe(2);
    expect(
      delta('leadscoring_scores_computed_total', { reason: 'INTERACTION', model: 'WEIGHTED_SUM' }),
    ).toBe(1);
    expect(
      delta('leadscoring_score_batch_duration_seconds_count', { reason: 'LEAD_UPDATED' }),
    ).toBe(1);
    expect(delta('leadscoring_interactions_total', { outcome: 'stored' })).toBe(1);
    expect(delta('leadscoring_interactions_total', { outcome: 'duplicate' })).toBe(1);
  });

  it('counts stale scores met on a refreshing read, and measures freshness before the job refreshes', async () => {
    await new Promise((resolve) => setTimeout(resolve, 150));
    const before = await scrape();
    const page = await gql<{ leads: { items: { isStale: boolean }[] } }>(
      sut.url,
      '{ leads(refresh: true) { items { isStale } } }',
      { headers: bearer(admin) },
    );
    expect(page.errors).toBeUndefined();
    const afterRead = await scrape();
    // Recomputed within the refresh budget, or served stale past it: two stale scores either way.
    const staleReads = (text: string) =>
      sample(text, 'leadscoring_stale_score_reads_total', { outcome: 'recomputed' }) +
      sample(text, 'leadscoring_stale_score_reads_total', { outcome: 'served_stale' });
    expect(staleReads(afterRead) - staleReads(before)).toBe(2);

    // Stale again, then the freshness job: it measures first (nothing fresh), then refreshes.
    await new Promise((resolve) => setTimeout(resolve, 150));
    const { refreshed } = await sut.app.get(BatchScoringProcessor).refreshStale();
    expect(refreshed).toBeGreaterThanOrEqual(2);
    const afterJob = await scrape();
    expect(sample(afterJob, 'leadscoring_scores_fresh_ratio')).toBeLessThan(0.95);
    expect(sample(afterJob, 'leadscoring_tenants_below_freshness_target')).toBeGreaterThanOrEqual(
      1,
    );
    expect(afterJob).toMatch(/^leadscoring_scores_computed_total\{reason="FRESHNESS"/m);
  });

  it('times each stage of a batch rescoring, and does not read again the scores a chunk read', async () => {
    const before = await scrape();
    const started = await gql<{ rescoreLeads: { id: string } }>(
      sut.url,
      'mutation { rescoreLeads { id } }',
      { headers: bearer(admin) },
    );
    const job = await waitForJob(sut, admin, started.data!.rescoreLeads.id);
    expect(job).toMatchObject({ status: 'COMPLETED', processed: 2 });
    const after = await scrape();
    const count = (stage: string) =>
      sample(after, 'leadscoring_scoring_stage_seconds_count', { stage }) -
      sample(before, 'leadscoring_scoring_stage_seconds_count', { stage });
    // One chunk: its read and its progress recorded (batch jobs only), the scores computed,
    // written and indexed (also by a freshness run, should the scheduler meet this test).
    for (const stage of ['batch_read', 'batch_progress'])
      expect({ stage, count: count(stage) }).toEqual({ stage, count: 1 });
    for (const stage of ['compute', 'write', 'ranking_index'])
      expect({ stage, count: count(stage) }).toEqual({
        stage,
        count: expect.any(Number) as number,
      });
    expect(Math.min(count('compute'), count('write'), count('ranking_index'))).toBeGreaterThan(0);
    // The chunk's documents are the previous scores: no second read of them.
    expect(count('read_previous')).toBe(0);
    expect(
      sample(after, 'leadscoring_scoring_stage_seconds_sum', { stage: 'write' }),
    ).toBeGreaterThan(0);
  });
});
