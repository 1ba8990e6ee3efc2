import { getConnectionToken } from '@nestjs/mongoose';
import { Connection } from 'mongoose';

import { leadRefFor } from '@/leads/lead-snapshot.util';
import { compareLive } from '@/ml/lifecycle/model-comparison.util';

import { bearer, createUserSession, registerTenant, Session } from '@test/utils/auth';
import { gql } from '@test/utils/graphql-client';
import { importCsv } from '@test/utils/imports';
import { makeLead, upsertLeads } from '@test/utils/leads';
import { waitForJob } from '@test/utils/scoring-jobs';
import { useTestApp } from '@test/utils/test-app';
import { trainedModelId } from '@test/utils/training-jobs';
import { HISTORY_MAPPING as MAPPING, historyCsv } from '@test/utils/training-data';

describe('shadow mode: a challenger scored beside the champion, compared on live outcomes', () => {
  const sut = useTestApp();
  let admin: Session;
  let manager: Session;
  let champion: string;
  let challenger: string;

  const train = (modelType: string, versionId: string): Promise<string> =>
    trainedModelId(sut.url, admin, versionId, modelType);

  beforeAll(async () => {
    admin = await registerTenant(sut.url);
    manager = await createUserSession(sut.url, admin, 'MANAGER');
    await importCsv(sut.url, admin, historyCsv(), MAPPING);
    const version = await gql<{ createDatasetVersion: { version: { id: string } } }>(
      sut.url,
      'mutation { createDatasetVersion(input: { name: "history" }) { version { id } } }',
      { headers: bearer(admin) },
    );
    const versionId = version.data!.createDatasetVersion.version.id;
    champion = await train('LOGISTIC_REGRESSION', versionId);
    challenger = await train('NAIVE_BAYES', versionId);
    const deployed = await gql<{ deployModel: { rescoreJobId: string } }>(
      sut.url,
      `mutation { deployModel(id: "${champion}") { rescoreJobId } }`,
      { headers: bearer(admin) },
    );
    await waitForJob(sut, admin, deployed.data!.deployModel.rescoreJobId);
  });

  function shadow(session: Session, id: string) {
    return gql<{ shadowModel: { modelId: string; since: string; rescoreJobId: string } }>(
      sut.url,
      'mutation($id: ID!) { shadowModel(id: $id) { modelId since rescoreJobId } }',
      { variables: { id }, headers: bearer(session) },
    );
  }

  it('refuses shadowing the deployed model, the weighted sum, and non-admins', async () => {
    expect((await shadow(admin, champion)).errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
    expect((await shadow(admin, 'weighted-sum')).errors?.[0].extensions?.code).toBe(
      'BAD_USER_INPUT',
    );
    expect((await shadow(manager, challenger)).errors?.[0].extensions?.code).toBe('FORBIDDEN');
  });

  it('stores the shadow score with every score, keeps both with each outcome, and compares them', async () => {
    const started = await shadow(admin, challenger);
    expect(started.errors).toBeUndefined();
    await waitForJob(sut, admin, started.data!.shadowModel.rescoreJobId);
    const connection = sut.app.get<Connection>(getConnectionToken());
    const scores = connection.collection<{
      modelId: string;
      score: number;
      shadow?: { modelId: string; score: number };
    }>('leadScores');
    const stored = await scores.findOne({ _id: leadRefFor(admin.tenantId, 'H-1') } as never);
    expect(stored!.modelId).toBe(champion);
    expect(stored!.shadow).toMatchObject({ modelId: challenger, score: expect.any(Number) });

    // Live leads: scored by both on the way in, then closed.
    const fresh = Array.from({ length: 30 }, (_, i) =>
      makeLead({
        leadId: `S-${i}`,
        attributes: { segment: ['A', 'B', 'C'][i % 3], size: (i * 37) % 100, region: 'south' },
      }),
    );
    await upsertLeads(sut.url, admin, fresh);
    for (const [i, lead] of fresh.entries()) {
      const answer = await gql(
        sut.url,
        'mutation($input: RecordOutcomeInput!) { recordOutcome(input: $input) { id } }',
        {
          variables: {
            input: { leadId: lead.leadId, outcome: i % 3 === 0 ? 'CONVERTED' : 'LOST' },
          },
          headers: bearer(admin),
        },
      );
      expect(answer.errors).toBeUndefined();
    }
    const records = await connection
      .collection<{ outcome: string; shown: { score: number; shadow: { score: number } } }>(
        'outcomes',
      )
      .find({ leadId: { $regex: '^S-' }, current: true } as never)
      .toArray();
    expect(records).toHaveLength(30);
    const expected = compareLive(
      records.map((r) => ({
        converted: r.outcome === 'CONVERTED',
        championScore: r.shown.score,
        challengerScore: r.shown.shadow.score,
      })),
      { hot: 70, warm: 40 },
    );
    const compared = await gql<{
      modelComparison: {
        outcomes: number;
        converted: number;
        champion: {
          modelId: string;
          auc: number | null;
          byTier: { tier: string; outcomes: number }[];
        };
        challenger: { modelId: string; auc: number | null };
      };
    }>(
      sut.url,
      'query($a: ID!, $b: ID!) { modelComparison(championId: $a, challengerId: $b) { outcomes converted champion { modelId auc byTier { tier outcomes } } challenger { modelId auc } } }',
      { variables: { a: champion, b: challenger }, headers: bearer(manager) },
    );
    expect(compared.errors).toBeUndefined();
    const result = compared.data!.modelComparison;
    expect(result).toMatchObject({ outcomes: 30, converted: 10 });
    expect(result.champion.auc).toBeCloseTo(expected.champion.auc!, 12);
    expect(result.challenger.auc).toBeCloseTo(expected.challenger.auc!, 12);
    expect(result.champion.byTier.map((t) => t.outcomes).reduce((a, b) => a + b, 0)).toBe(30);

    // Deploying the shadow ends it.
    const deployed = await gql<{ deployModel: { rescoreJobId: string } }>(
      sut.url,
      `mutation { deployModel(id: "${challenger}") { rescoreJobId } }`,
      { headers: bearer(admin) },
    );
    expect(deployed.errors).toBeUndefined();
    await waitForJob(sut, admin, deployed.data!.deployModel.rescoreJobId);
    const status = await gql<{ shadowStatus: { modelId: string | null } }>(
      sut.url,
      '{ shadowStatus { modelId } }',
      { headers: bearer(admin) },
    );
    expect(status.data!.shadowStatus.modelId).toBeNull();
  });
});
