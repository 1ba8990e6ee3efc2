import { getConnectionToken } from '@nestjs/mongoose';
import { Connection, Types } from 'mongoose';

import { leadRefFor } from '@/leads/lead-snapshot.util';
import { LeadScoringService, StoredScore } from '@/scoring/lead-scoring.service';
import { historyIdFor, ScoreChangeReason } from '@/scoring/schemas/score-history.schema';
import { scoreEngagement } from '@/scoring/scorer/score-engagement.util';
import { bearer, registerTenant, Session } from '@test/utils/auth';
import { gql } from '@test/utils/graphql-client';
import { makeInteraction, makeLead, recordInteractions, upsertLeads } from '@test/utils/leads';
import { waitForJob } from '@test/utils/scoring-jobs';
import { useTestApp } from '@test/utils/test-app';

const PARAMETERS = { weights: [0.4, 0.35, 0.25], caps: [10, 20, 600], halfLifeDays: 7 } as const;

/** Scoring writes racing each other: nothing a later write knew is overwritten by an earlier one. */
describe('integrity of the scoring write paths', () => {
  const sut = useTestApp({ env: { SCORING_BATCH_CHUNK_SIZE: '7' } });
  let admin: Session;
  let db: Connection;

  beforeAll(async () => {
    admin = await registerTenant(sut.url);
    db = sut.app.get<Connection>(getConnectionToken());
  });

  const tenant = () => new Types.ObjectId(admin.tenantId);

  async function storedScore(leadId: string): Promise<StoredScore> {
    const doc = await db
      .collection<StoredScore>('leadScores')
      .findOne({ _id: leadRefFor(admin.tenantId, leadId), tenantId: tenant() });
    if (!doc) throw new Error(`no score for ${leadId}`);
    return doc;
  }

  /** The engagement the interaction log gives a lead: the truth every copy must match. */
  async function engagementFromLog(leadRef: Types.ObjectId) {
    const events = await db
      .collection('interactions')
      .find({ tenantId: tenant(), leadRef })
      .toArray();
    return {
      emailOpens: events.reduce((n, e) => n + (e.emailOpen as number), 0),
      websiteVisits: events.reduce((n, e) => n + (e.visit as number), 0),
      timeSpentSeconds: events.reduce((n, e) => n + (e.secondsSpent as number), 0),
    };
  }

  it('a rescoring from a copy read before an interaction does not overwrite it', async () => {
    await upsertLeads(sut.url, admin, [makeLead({ leadId: 'RACE-1' })]);
    // What a batch chunk (or the freshness job, or refresh: true) read...
    const copy = await storedScore('RACE-1');
    // ...before an interaction landed on the same lead...
    await recordInteractions(sut.url, admin, [
      makeInteraction({ leadId: 'RACE-1', type: 'WEBSITE_VISIT', secondsSpent: 300 }),
    ]);
    const afterEvent = await storedScore('RACE-1');

    // ...and the chunk's write lands after it.
    await sut.app
      .get(LeadScoringService)
      .rescoreStored(admin.tenantId, [copy], ScoreChangeReason.BATCH_RESCORE);

    const final = await storedScore('RACE-1');
    expect(final).toMatchObject({ websiteVisits: 1, timeSpentSeconds: 300 });
    expect(final.leadVersion).toBe(afterEvent.leadVersion);
    expect(final.score).toBe(afterEvent.score);
  });

  it('a lost race is scored again from what won when the config changed', async () => {
    await upsertLeads(sut.url, admin, [makeLead({ leadId: 'RACE-2' })]);
    const copy = await storedScore('RACE-2');
    await recordInteractions(sut.url, admin, [makeInteraction({ leadId: 'RACE-2' })]);
    const scoring = sut.app.get(LeadScoringService);
    const config = {
      version: 99,
      parameters: { weights: [1, 0, 0] as const, caps: [10, 20, 600] as const, halfLifeDays: 7 },
      thresholds: { hot: 70, warm: 40 },
      createdAt: null,
      createdBy: null,
    };

    await scoring.rescoreStored(admin.tenantId, [copy], ScoreChangeReason.CONFIG_CHANGED, {
      config,
    });

    const final = await storedScore('RACE-2');
    expect(final).toMatchObject({ emailOpens: 1, configVersion: 99 });
    expect(final.score).toBe(scoreEngagement(final, config.parameters, final.computedAt).score);
  });

  it('ingestion and a batch rescoring on the same leads leave every lead matching its log', async () => {
    const ids = Array.from({ length: 40 }, (_, i) => `CONC-${i}`);
    await upsertLeads(
      sut.url,
      admin,
      ids.map((leadId) => makeLead({ leadId })),
    );
    const started = await gql<{ rescoreLeads: { id: string } }>(
      sut.url,
      'mutation { rescoreLeads { id } }',
      { headers: bearer(admin) },
    );
    // Interactions flow in while the job walks the same leads, chunk by chunk.
    const sends = [];
    for (let round = 0; round < 5; round++) {
      sends.push(
        recordInteractions(
          sut.url,
          admin,
          ids.map((leadId, i) =>
            makeInteraction({
              leadId,
              type: (i + round) % 2 === 0 ? 'EMAIL_OPEN' : 'WEBSITE_VISIT',
              secondsSpent: (i + round) % 2 === 0 ? undefined : 10 + round,
            }),
          ),
        ),
      );
    }
    const answers = await Promise.all(sends);
    expect(answers.every((answer) => answer.data?.recordInteractions.accepted === 40)).toBe(true);
    expect((await waitForJob(sut, admin, started.data!.rescoreLeads.id)).status).toBe('COMPLETED');

    for (const leadId of ids) {
      const ref = leadRefFor(admin.tenantId, leadId);
      const truth = await engagementFromLog(ref);
      const lead = await db.collection('leads').findOne({ _id: ref, tenantId: tenant() });
      const score = await storedScore(leadId);
      expect({ leadId, ...truth }).toEqual({
        leadId,
        emailOpens: lead!.emailOpens,
        websiteVisits: lead!.websiteVisits,
        timeSpentSeconds: lead!.timeSpentSeconds,
      });
      expect({ leadId, ...truth }).toEqual({
        leadId,
        emailOpens: score.emailOpens,
        websiteVisits: score.websiteVisits,
        timeSpentSeconds: score.timeSpentSeconds,
      });
      expect(score.leadVersion).toBe(lead!.version);
      expect(score.score).toBe(scoreEngagement(score, PARAMETERS, score.computedAt).score);
    }
  });

  it('a lead of a batch that cannot be written is reported; the others are written and scored', async () => {
    // A write the engine refuses for one lead only: its stored document has a version that is
    // not a number (damaged data), which the write's version increment cannot apply to.
    await db.collection('leads').insertOne({
      _id: leadRefFor(admin.tenantId, 'LEGACY-1'),
      tenantId: tenant(),
      leadId: 'LEGACY-1',
      status: 'NEW',
      version: 'not-a-number',
    });

    const response = await gql<{
      upsertLeads: {
        created: number;
        leads: { leadId: string; score: number }[];
        failed: { index: number; leadId: string; reason: string }[];
      };
    }>(
      sut.url,
      'mutation($input: UpsertLeadsInput!) { upsertLeads(input: $input) { created leads { leadId score } failed { index leadId reason } } }',
      {
        variables: {
          input: { leads: [makeLead({ leadId: 'LEGACY-1' }), makeLead({ leadId: 'FRESH-1' })] },
        },
        headers: bearer(admin),
      },
    );

    expect(response.errors).toBeUndefined();
    expect(response.data?.upsertLeads).toMatchObject({
      created: 1,
      leads: [{ leadId: 'FRESH-1', score: 0 }],
      failed: [{ index: 0, leadId: 'LEGACY-1', reason: expect.stringMatching(/refused it/) }],
    });
    const ranked = await gql<{ leads: { items: { leadId: string }[] } }>(
      sut.url,
      '{ leads(limit: 200, filter: { search: "fresh-1" }) { items { leadId } } }',
      { headers: bearer(admin) },
    );
    expect(ranked.data?.leads.items).toEqual([{ leadId: 'FRESH-1' }]);
  });

  it('a resumed job restores the history entry its dead attempt counted, and counts the change', async () => {
    await upsertLeads(sut.url, admin, [makeLead({ leadId: 'REDO-1' })]);
    const scoring = sut.app.get(LeadScoringService);
    const config = {
      version: 77,
      parameters: { weights: [0, 1, 0] as const, caps: [10, 20, 600] as const, halfLifeDays: 7 },
      thresholds: { hot: 70, warm: 40 },
      createdAt: null,
      createdBy: null,
    };
    const jobCreatedAt = new Date();
    // The dead attempt wrote the score, then died before its history entry.
    await scoring.rescoreStored(
      admin.tenantId,
      [await storedScore('REDO-1')],
      ScoreChangeReason.CONFIG_CHANGED,
      { config },
    );
    const written = await storedScore('REDO-1');
    const entryId = historyIdFor(tenant(), written.leadRef, written.historyCount);
    await db.collection('scoreHistory').deleteOne({ _id: entryId });

    const outcome = await scoring.rescoreStored(
      admin.tenantId,
      [written],
      ScoreChangeReason.CONFIG_CHANGED,
      {
        config,
        redoSince: jobCreatedAt,
      },
    );

    expect(outcome).toEqual({ scored: 1, changed: 1 });
    expect(await db.collection('scoreHistory').findOne({ _id: entryId })).toMatchObject({
      seq: written.historyCount,
      configVersion: 77,
      score: written.score,
      reason: 'CONFIG_CHANGED',
    });
    // Not rewritten: the score the dead attempt computed stands.
    expect((await storedScore('REDO-1')).computedAt).toEqual(written.computedAt);
  });
});
