import { abArmOf } from '@/ml/lifecycle/ab-assignment.util';
import { twoProportionTest } from '@/ml/lifecycle/two-proportion.util';

import { bearer, createUserSession, registerTenant, Session } from '@test/utils/auth';
import { gql } from '@test/utils/graphql-client';
import { importCsv } from '@test/utils/imports';
import { makeLead, upsertLeads } from '@test/utils/leads';
import { waitForJob } from '@test/utils/scoring-jobs';
import { useTestApp } from '@test/utils/test-app';
import { trainedModelId } from '@test/utils/training-jobs';
import { HISTORY_MAPPING as MAPPING, historyCsv } from '@test/utils/training-data';

const TEST_FIELDS = `id status modelA modelB shareA winner rescoreJobId
  arms { arm modelId leads outcomes converted conversionRate byTier { tier outcomes converted conversionRate } }
  significance { difference z pValue }`;

interface ArmView {
  arm: string;
  modelId: string;
  leads: number;
  outcomes: number;
  converted: number;
  conversionRate: number | null;
}

interface AbTestView {
  id: string;
  status: string;
  modelA: string;
  modelB: string;
  shareA: number;
  winner: string | null;
  rescoreJobId: string | null;
  arms: ArmView[];
  significance: { difference: number; z: number | null; pValue: number | null };
}

describe('A/B tests: leads scored by their arm, the report per arm, one test at a time', () => {
  const sut = useTestApp();
  let admin: Session;
  let manager: Session;
  let other: Session;
  let trained: string;
  let otherModel: string;

  async function train(session: Session, modelType: string): Promise<string> {
    await importCsv(sut.url, session, historyCsv(), MAPPING);
    const version = await gql<{ createDatasetVersion: { version: { id: string } } }>(
      sut.url,
      'mutation { createDatasetVersion(input: { name: "history" }) { version { id } } }',
      { headers: bearer(session) },
    );
    return trainedModelId(
      sut.url,
      session,
      version.data!.createDatasetVersion.version.id,
      modelType,
    );
  }

  beforeAll(async () => {
    admin = await registerTenant(sut.url);
    manager = await createUserSession(sut.url, admin, 'MANAGER');
    other = await registerTenant(sut.url);
    trained = await train(admin, 'LOGISTIC_REGRESSION');
    otherModel = await train(other, 'NAIVE_BAYES');
  });

  function start(session: Session, input: Record<string, unknown>) {
    return gql<{ startAbTest: AbTestView }>(
      sut.url,
      `mutation($input: StartAbTestInput!) { startAbTest(input: $input) { ${TEST_FIELDS} } }`,
      { variables: { input }, headers: bearer(session) },
    );
  }

  async function report(id: string): Promise<AbTestView> {
    const response = await gql<{ abTest: AbTestView }>(
      sut.url,
      `query($id: ID!) { abTest(id: $id) { ${TEST_FIELDS} } }`,
      { variables: { id }, headers: bearer(manager) },
    );
    return response.data!.abTest;
  }

  it("refuses the same model twice, a share outside (0, 1), another tenant's model and non-admins", async () => {
    const same = await start(admin, { modelA: trained, modelB: trained });
    expect(same.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
    const share = await start(admin, { modelA: 'weighted-sum', modelB: trained, share: 1 });
    expect(share.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
    const foreign = await start(admin, { modelA: 'weighted-sum', modelB: otherModel });
    expect(foreign.errors?.[0].extensions?.code).toBe('NOT_FOUND');
    const forbidden = await start(manager, { modelA: 'weighted-sum', modelB: trained });
    expect(forbidden.errors?.[0].extensions?.code).toBe('FORBIDDEN');
  });

  it('scores each lead with its arm, reports per arm, and ends with the winner deployed', async () => {
    const started = await start(admin, { modelA: 'weighted-sum', modelB: trained, share: 0.5 });
    expect(started.errors).toBeUndefined();
    const test = started.data!.startAbTest;
    expect(test).toMatchObject({ status: 'RUNNING', modelA: 'weighted-sum', modelB: trained });
    await waitForJob(sut, admin, test.rescoreJobId!);

    // One test at a time, and no deploy while it runs.
    const second = await start(admin, { modelA: trained, modelB: 'weighted-sum' });
    expect(second.errors?.[0].extensions?.code).toBe('CONFLICT');
    const deploy = await gql(
      sut.url,
      `mutation { deployModel(id: "${trained}") { previousModelId } }`,
      {
        headers: bearer(admin),
      },
    );
    expect(deploy.errors?.[0].extensions?.code).toBe('CONFLICT');

    // The history's leads were rescored by arm: the same hash decides, every time.
    const leads = await gql<{
      leads: { items: { leadId: string; breakdown: { modelId: string } }[] };
    }>(
      sut.url,
      '{ leads(limit: 200, filter: { search: "h-" }) { items { leadId breakdown { modelId } } } }',
      { headers: bearer(admin) },
    );
    const items = leads.data!.leads.items;
    expect(items.length).toBe(200);
    for (const lead of items)
      expect(lead.breakdown.modelId).toBe(
        abArmOf(test.id, lead.leadId, 0.5) === 'A' ? 'weighted-sum' : trained,
      );
    expect(new Set(items.map((lead) => lead.breakdown.modelId)).size).toBe(2);

    // New leads scored by their arms, then closed during the test.
    const fresh = Array.from({ length: 60 }, (_, i) =>
      makeLead({
        leadId: `N-${i}`,
        attributes: { segment: ['A', 'B', 'C'][i % 3], size: (i * 37) % 100, region: 'north' },
      }),
    );
    await upsertLeads(sut.url, admin, fresh);
    const expected = { A: { outcomes: 0, converted: 0 }, B: { outcomes: 0, converted: 0 } };
    for (const [i, lead] of fresh.entries()) {
      const converted = i % 3 === 0;
      const answer = await gql(
        sut.url,
        'mutation($input: RecordOutcomeInput!) { recordOutcome(input: $input) { id } }',
        {
          variables: { input: { leadId: lead.leadId, outcome: converted ? 'CONVERTED' : 'LOST' } },
          headers: bearer(admin),
        },
      );
      expect(answer.errors).toBeUndefined();
      const arm = expected[abArmOf(test.id, lead.leadId, 0.5)];
      arm.outcomes += 1;
      if (converted) arm.converted += 1;
    }
    const now = await report(test.id);
    expect(now.arms.map((arm) => arm.arm)).toEqual(['A', 'B']);
    expect(now.arms[0]).toMatchObject({ modelId: 'weighted-sum', ...expected.A });
    expect(now.arms[1]).toMatchObject({ modelId: trained, ...expected.B });
    expect(now.arms[0].leads + now.arms[1].leads).toBe(300);
    const hand = twoProportionTest(
      { successes: expected.A.converted, trials: expected.A.outcomes },
      { successes: expected.B.converted, trials: expected.B.outcomes },
    );
    expect(now.significance.difference).toBeCloseTo(hand.difference, 12);
    expect(now.significance.pValue).toBeCloseTo(hand.pValue!, 12);

    const stopped = await gql<{ stopAbTest: AbTestView }>(
      sut.url,
      `mutation($id: ID!) { stopAbTest(id: $id, winner: "B") { ${TEST_FIELDS} } }`,
      { variables: { id: test.id }, headers: bearer(admin) },
    );
    expect(stopped.errors).toBeUndefined();
    expect(stopped.data!.stopAbTest).toMatchObject({ status: 'STOPPED', winner: trained });
    await waitForJob(sut, admin, stopped.data!.stopAbTest.rescoreJobId!);
    const readiness = await gql<{ trainingReadiness: { deployedModelId: string } }>(
      sut.url,
      '{ trainingReadiness { deployedModelId } }',
      { headers: bearer(admin) },
    );
    expect(readiness.data!.trainingReadiness.deployedModelId).toBe(trained);
    const again = await gql(sut.url, `mutation($id: ID!) { stopAbTest(id: $id) { id } }`, {
      variables: { id: test.id },
      headers: bearer(admin),
    });
    expect(again.errors?.[0].extensions?.code).toBe('CONFLICT');
  });
});
