import { bearer, createUserSession, registerTenant, Session } from '@test/utils/auth';
import { gql } from '@test/utils/graphql-client';
import { makeInteraction, makeLead, recordInteractions, upsertLeads } from '@test/utils/leads';
import { waitForJob } from '@test/utils/scoring-jobs';
import { useTestApp } from '@test/utils/test-app';

const PREVIEW = `query($input: UpdateScoringConfigInput!) {
  scoringConfigPreview(input: $input) {
    leads sampled changed
    current { buckets { from to count } tiers { hot warm cold } mean median }
    proposed { buckets { from to count } tiers { hot warm cold } mean median }
    tierMoves { from to count }
  }
}`;

interface Distribution {
  buckets: { from: number; to: number; count: number }[];
  tiers: { hot: number; warm: number; cold: number };
  mean: number;
  median: number;
}
interface Preview {
  leads: number;
  sampled: boolean;
  changed: number;
  current: Distribution;
  proposed: Distribution;
  tierMoves: { from: string; to: string; count: number }[];
}

/** Ten 10-point buckets and tier counts of scores as the leads list shows them. */
function distributionOf(scores: number[], hot: number, warm: number) {
  const counts = new Array<number>(10).fill(0);
  for (const score of scores) counts[Math.min(Math.floor(score / 10), 9)]++;
  return {
    counts,
    tiers: {
      hot: scores.filter((s) => s >= hot).length,
      warm: scores.filter((s) => s >= warm && s < hot).length,
      cold: scores.filter((s) => s < warm).length,
    },
  };
}

describe('scoringConfigPreview: the score distribution under proposed values, before saving', () => {
  const sut = useTestApp();
  let admin: Session;
  let manager: Session;
  let rep: Session;

  async function scores(session: Session): Promise<number[]> {
    const response = await gql<{ leads: { items: { score: number }[] } }>(
      sut.url,
      '{ leads(limit: 100) { items { score } } }',
      { headers: bearer(session) },
    );
    return response.data!.leads.items.map((item) => item.score);
  }

  beforeAll(async () => {
    admin = await registerTenant(sut.url);
    manager = await createUserSession(sut.url, admin, 'MANAGER');
    rep = await createUserSession(sut.url, admin, 'REP');
    await upsertLeads(
      sut.url,
      admin,
      Array.from({ length: 24 }, (_, i) => makeLead({ leadId: `PV-${i}` })),
    );
    // Varied engagement: opens for some, visits with time for others, none for a few.
    await recordInteractions(
      sut.url,
      admin,
      Array.from({ length: 20 }, (_, i) =>
        i % 2 === 0
          ? makeInteraction({ leadId: `PV-${i}`, type: 'EMAIL_OPEN' })
          : makeInteraction({ leadId: `PV-${i}`, type: 'WEBSITE_VISIT', secondsSpent: i * 30 }),
      ),
    );
  });

  it("shows the saved configuration's distribution as the list has it, and the proposed one as saving gives it; saves nothing", async () => {
    const input = {
      weights: { emailOpens: 0.1, websiteVisits: 0.1, timeSpent: 0.8 },
      thresholds: { hot: 30, warm: 10 },
    };
    const before = await scores(manager);
    const response = await gql<{ scoringConfigPreview: Preview }>(sut.url, PREVIEW, {
      headers: bearer(manager),
      variables: { input },
    });
    expect(response.errors).toBeUndefined();
    const preview = response.data!.scoringConfigPreview;
    expect(preview).toMatchObject({ leads: 24, sampled: false });

    const shown = distributionOf(before, 70, 40);
    expect(preview.current.buckets.map((b) => b.count)).toEqual(shown.counts);
    expect(preview.current.tiers).toEqual(shown.tiers);
    expect(preview.current.buckets[0]).toEqual({ from: 0, to: 10, count: shown.counts[0] });

    // Nothing saved.
    const config = await gql<{ scoringConfig: { version: number } }>(
      sut.url,
      '{ scoringConfig { version } }',
      { headers: bearer(manager) },
    );
    expect(config.data!.scoringConfig.version).toBe(1);

    // Saving the same values gives the distribution the preview announced.
    const saved = await gql(
      sut.url,
      'mutation($input: UpdateScoringConfigInput!) { updateScoringConfig(input: $input) { version } }',
      { headers: bearer(manager), variables: { input } },
    );
    expect(saved.errors).toBeUndefined();
    const jobs = await gql<{ scoringJobs: { id: string }[] }>(
      sut.url,
      '{ scoringJobs(limit: 1) { id } }',
      { headers: bearer(manager) },
    );
    await waitForJob(sut, manager, jobs.data!.scoringJobs[0].id);
    const after = distributionOf(await scores(manager), 30, 10);
    expect(preview.proposed.buckets.map((b) => b.count)).toEqual(after.counts);
    expect(preview.proposed.tiers).toEqual(after.tiers);
    const moved = preview.tierMoves.reduce((n, move) => n + move.count, 0);
    expect(moved).toBeGreaterThan(0);
    expect(preview.changed).toBeGreaterThan(0);
  });

  it('applies the rules of updateScoringConfig, every problem at once', async () => {
    const response = await gql(sut.url, PREVIEW, {
      headers: bearer(admin),
      variables: {
        input: {
          weights: { emailOpens: 0, websiteVisits: 0, timeSpent: 0 },
          thresholds: { hot: 20, warm: 60 },
        },
      },
    });
    expect(response.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    const text = JSON.stringify(response.errors);
    expect(text).toContain('weights');
    expect(text).toContain('thresholds');
  });

  it('is for managers and admins: a rep is refused', async () => {
    const response = await gql(sut.url, PREVIEW, {
      headers: bearer(rep),
      variables: { input: { halfLifeDays: 3 } },
    });
    expect(response.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
  });
});
