import { Types } from 'mongoose';

import { ScoringJobsService } from '@/scoring/jobs/scoring-jobs.service';
import { LeadScoreQueries } from '@/scoring/lead-score-queries.service';
import { LeadScoringService, toSnapshot } from '@/scoring/lead-scoring.service';
import { ScoreChangeReason } from '@/scoring/schemas/score-history.schema';
import { ScoringException } from '@/scoring/scoring.exception';
import { bearer, createUserSession, registerTenant, Session } from '@test/utils/auth';
import { gql } from '@test/utils/graphql-client';
import { makeInteraction, makeLead, recordInteractions, upsertLeads } from '@test/utils/leads';
import { waitForJob } from '@test/utils/scoring-jobs';
import { useTestApp } from '@test/utils/test-app';

/**
 * What scoring refuses or skips, on the real app and engines: a job list limit out of range,
 * another tenant's job, a config saved by two managers at once, a snapshot older than the stored
 * score.
 */
describe('scoring: refusals and skips', () => {
  const sut = useTestApp();
  let admin: Session;
  let manager: Session;
  let otherAdmin: Session;

  beforeAll(async () => {
    admin = await registerTenant(sut.url);
    manager = await createUserSession(sut.url, admin, 'MANAGER');
    otherAdmin = await registerTenant(sut.url, { tenantName: 'Other Co' });
  });

  it('answers BAD_USER_INPUT for a job list limit outside 1 to 100, naming the argument', async () => {
    for (const limit of [0, 101, -5]) {
      const response = await gql(sut.url, `{ scoringJobs(limit: ${limit}) { id } }`, {
        headers: bearer(manager),
      });
      expect(response.data).toBeNull();
      expect(response.errors?.[0].extensions).toMatchObject({
        code: 'BAD_USER_INPUT',
        fields: [{ path: 'limit', messages: ['must be 1 to 100'] }],
      });
    }
    const ok = await gql<{ scoringJobs: unknown[] }>(
      sut.url,
      '{ scoringJobs(limit: 100) { id } }',
      {
        headers: bearer(manager),
      },
    );
    expect(ok.errors).toBeUndefined();
    expect(Array.isArray(ok.data?.scoringJobs)).toBe(true);
  });

  it('does not let a worker start or update another tenant’s job', async () => {
    const started = await gql<{ rescoreLeads: { id: string } }>(
      sut.url,
      'mutation { rescoreLeads { id } }',
      { headers: bearer(otherAdmin) },
    );
    const jobId = started.data!.rescoreLeads.id;
    await waitForJob(sut, otherAdmin, jobId);
    const jobs = sut.app.get(ScoringJobsService);

    await expect(jobs.markStarted(admin.tenantId, jobId, 10)).rejects.toThrow(
      ScoringException.jobNotFound(),
    );
    await expect(jobs.update(admin.tenantId, jobId, { error: 'tampered' })).resolves.toBeNull();
    // A job id that is no id at all finds nothing either.
    await expect(jobs.markStarted(admin.tenantId, 'not-an-id', 10)).rejects.toThrow(
      'scoring job not found',
    );

    const job = await jobs.get(otherAdmin.tenantId, jobId);
    expect(job).toMatchObject({ status: 'COMPLETED', attempts: 1, error: null });
  });

  it('lets one of two managers saving at once win, and tells the other to retry', async () => {
    const SAVE = `mutation($input: UpdateScoringConfigInput!) {
      updateScoringConfig(input: $input) { version halfLifeDays }
    }`;
    const read = async () =>
      (
        await gql<{ scoringConfig: { version: number; halfLifeDays: number } }>(
          sut.url,
          '{ scoringConfig { version halfLifeDays } }',
          { headers: bearer(manager) },
        )
      ).data!.scoringConfig;
    const first = await read();
    let saved = 0;
    let conflicts = 0;
    // Saves in rounds of three at once, until one round has seen the race (the first, as a rule).
    for (let round = 0; round < 10 && conflicts === 0; round++) {
      const responses = await Promise.all(
        [1, 2, 3].map((i) =>
          gql<{ updateScoringConfig: { version: number } }>(sut.url, SAVE, {
            variables: { input: { halfLifeDays: 10 + round * 3 + i } },
            headers: bearer(manager),
          }),
        ),
      );
      const versions: number[] = [];
      for (const response of responses) {
        if (response.errors) {
          expect(response.errors[0].extensions?.code).toBe('CONFLICT');
          expect(response.errors[0].message).toBe(
            'the scoring config changed meanwhile; read it again and retry',
          );
          conflicts++;
        } else {
          versions.push(response.data!.updateScoringConfig.version);
        }
      }
      // Never two saves of one version.
      expect(new Set(versions).size).toBe(versions.length);
      saved += versions.length;
    }
    expect(conflicts).toBeGreaterThan(0);
    // Every save that answered is a version; nothing else is.
    expect((await read()).version).toBe(first.version + saved);
  });

  it('skips a snapshot of the lead older than its stored score', async () => {
    const [lead] = await upsertLeads(sut.url, admin, [makeLead({ leadId: 'STALE-1' })]);
    const queries = sut.app.get(LeadScoreQueries);
    // What a slow writer read, before the interaction below.
    const before = (await queries.findOneByLeadRef(admin.tenantId, lead.id))!;
    await recordInteractions(sut.url, admin, [
      makeInteraction({ leadId: 'STALE-1', type: 'EMAIL_OPEN' }),
    ]);
    const stored = (await queries.findOneByLeadRef(admin.tenantId, lead.id))!;
    expect(stored.leadVersion).toBeGreaterThan(before.leadVersion);
    expect(stored.emailOpens).toBe(1);

    // The slow writer scores what it read (engagement of its own, say) only now.
    const stale = { ...toSnapshot(before), emailOpens: 40 };
    expect(stale.version).toBe(before.leadVersion);
    const outcome = await sut.app
      .get(LeadScoringService)
      .scoreSnapshots(admin.tenantId, [stale], ScoreChangeReason.LEAD_UPDATED);
    expect(outcome).toEqual({ scored: 0, changed: 0 });

    const after = (await queries.findOneByLeadRef(admin.tenantId, lead.id))!;
    expect(after).toMatchObject({
      leadVersion: stored.leadVersion,
      emailOpens: 1,
      score: stored.score,
      computedAt: stored.computedAt,
      historyCount: stored.historyCount,
    });
    expect(new Types.ObjectId(lead.id).equals(after.leadRef)).toBe(true);
  });
});
