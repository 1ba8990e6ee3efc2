import { bearer, createUserSession, registerTenant, Session } from '@test/utils/auth';
import { gql } from '@test/utils/graphql-client';
import { importCsv } from '@test/utils/imports';
import { makeInteraction, makeLead, recordInteractions, upsertLeads } from '@test/utils/leads';
import { useTestApp } from '@test/utils/test-app';

const OUTCOME_FIELDS = `id leadId ownerId outcome at reason source recordedBy current replacedAt reopenedAt reopenedBy
  importRow { importId row } shown { score tier modelId modelVersion configVersion }`;

interface OutcomeView {
  id: string;
  leadId: string;
  ownerId: string | null;
  outcome: 'CONVERTED' | 'LOST';
  at: string;
  reason: string | null;
  source: 'API' | 'IMPORT';
  recordedBy: string;
  current: boolean;
  replacedAt: string | null;
  reopenedAt: string | null;
  reopenedBy: string | null;
  importRow: { importId: string; row: number } | null;
  shown: {
    score: number;
    tier: string;
    modelId: string;
    modelVersion: number;
    configVersion: number;
  } | null;
}

describe('outcomes and rep feedback', () => {
  const sut = useTestApp();
  let admin: Session;
  let manager: Session;
  let rep: Session;
  let otherRep: Session;

  beforeAll(async () => {
    admin = await registerTenant(sut.url);
    [manager, rep, otherRep] = await Promise.all([
      createUserSession(sut.url, admin, 'MANAGER'),
      createUserSession(sut.url, admin, 'REP'),
      createUserSession(sut.url, admin, 'REP'),
    ]);
  });

  function recordOutcome(session: Session, input: Record<string, unknown>) {
    return gql<{ recordOutcome: OutcomeView }>(
      sut.url,
      `mutation($input: RecordOutcomeInput!) { recordOutcome(input: $input) { ${OUTCOME_FIELDS} } }`,
      { variables: { input }, headers: bearer(session) },
    );
  }

  function outcomes(session: Session, filter: Record<string, unknown> = {}) {
    return gql<{ outcomes: { items: OutcomeView[]; total: number } }>(
      sut.url,
      `query($filter: OutcomeFilterInput) { outcomes(filter: $filter, limit: 200) { total items { ${OUTCOME_FIELDS} } } }`,
      { variables: { filter }, headers: bearer(session) },
    );
  }

  async function leadStatus(
    leadId: string,
  ): Promise<{ status: string; score: number; tier: string }> {
    const response = await gql<{
      leads: { items: { leadId: string; status: string; score: number; tier: string }[] };
    }>(
      sut.url,
      'query($s: String) { leads(filter: { search: $s }) { items { leadId status score tier } } }',
      { variables: { s: leadId }, headers: bearer(admin) },
    );
    return response.data!.leads.items.find((lead) => lead.leadId === leadId)!;
  }

  it('records an outcome with the score shown, replaces it, reopens the lead, and keeps the history', async () => {
    await upsertLeads(sut.url, admin, [makeLead({ leadId: 'OUT-1', status: 'WORKING' })]);
    await recordInteractions(sut.url, admin, [makeInteraction({ leadId: 'OUT-1' })]);
    const before = await leadStatus('OUT-1');

    const first = await recordOutcome(manager, {
      leadId: 'OUT-1',
      outcome: 'CONVERTED',
      reason: 'signed',
    });
    expect(first.errors).toBeUndefined();
    expect(first.data!.recordOutcome).toMatchObject({
      leadId: 'OUT-1',
      outcome: 'CONVERTED',
      reason: 'signed',
      source: 'API',
      recordedBy: manager.userId,
      current: true,
      shown: {
        score: before.score,
        tier: before.tier,
        modelId: 'weighted-sum',
        modelVersion: 1,
        configVersion: 1,
      },
    });
    expect((await leadStatus('OUT-1')).status).toBe('CONVERTED');

    const second = await recordOutcome(admin, { leadId: 'OUT-1', outcome: 'LOST' });
    expect(second.data!.recordOutcome).toMatchObject({ outcome: 'LOST', current: true });
    expect((await leadStatus('OUT-1')).status).toBe('LOST');

    const history = await outcomes(admin, { leadId: 'OUT-1', includeHistory: true });
    expect(
      history.data!.outcomes.items.map((o) => [o.outcome, o.current, o.replacedAt !== null]),
    ).toEqual([
      ['LOST', true, false],
      ['CONVERTED', false, true],
    ]);
    const current = await outcomes(admin, { leadId: 'OUT-1' });
    expect(current.data!.outcomes.items.map((o) => o.outcome)).toEqual(['LOST']);

    const reopened = await gql<{
      reopenLead: { leadId: string; status: string; cleared: OutcomeView };
    }>(
      sut.url,
      `mutation { reopenLead(leadId: "OUT-1") { leadId status cleared { ${OUTCOME_FIELDS} } } }`,
      { headers: bearer(manager) },
    );
    expect(reopened.errors).toBeUndefined();
    // The status before the first close comes back, not the closed one in between.
    expect(reopened.data!.reopenLead).toMatchObject({ leadId: 'OUT-1', status: 'WORKING' });
    expect(reopened.data!.reopenLead.cleared).toMatchObject({
      id: second.data!.recordOutcome.id,
      current: false,
      reopenedBy: manager.userId,
    });
    expect((await leadStatus('OUT-1')).status).toBe('WORKING');
    expect((await outcomes(admin, { leadId: 'OUT-1' })).data!.outcomes.total).toBe(0);
    const all = await outcomes(admin, { leadId: 'OUT-1', includeHistory: true });
    expect(
      all.data!.outcomes.items.map((o) => [o.outcome, o.current, o.reopenedAt !== null]),
    ).toEqual([
      ['LOST', false, true],
      ['CONVERTED', false, false],
    ]);

    const again = await gql(sut.url, 'mutation { reopenLead(leadId: "OUT-1") { status } }', {
      headers: bearer(admin),
    });
    expect(again.errors?.[0].extensions?.code).toBe('CONFLICT');
  });

  it('answers the same idempotency key with the first outcome, and refuses it for another', async () => {
    await upsertLeads(sut.url, admin, [
      makeLead({ leadId: 'IDEM-1' }),
      makeLead({ leadId: 'IDEM-2' }),
    ]);
    const input = { leadId: 'IDEM-1', outcome: 'CONVERTED', idempotencyKey: 'crm-close-77' };
    const [a, b] = await Promise.all([recordOutcome(admin, input), recordOutcome(admin, input)]);
    expect(a.errors).toBeUndefined();
    expect(b.errors).toBeUndefined();
    expect(b.data!.recordOutcome.id).toBe(a.data!.recordOutcome.id);
    const third = await recordOutcome(admin, input);
    expect(third.data!.recordOutcome).toMatchObject({
      id: a.data!.recordOutcome.id,
      current: true,
    });
    expect(
      (await outcomes(admin, { leadId: 'IDEM-1', includeHistory: true })).data!.outcomes.total,
    ).toBe(1);

    const reused = await recordOutcome(admin, { ...input, leadId: 'IDEM-2' });
    expect(reused.errors?.[0].extensions?.code).toBe('CONFLICT');
    const otherOutcome = await recordOutcome(admin, { ...input, outcome: 'LOST' });
    expect(otherOutcome.errors?.[0].extensions?.code).toBe('CONFLICT');
    expect((await leadStatus('IDEM-2')).status).toBe('NEW');
  });

  it('lets reps close and rate their own leads only, and shows them their own', async () => {
    await upsertLeads(sut.url, admin, [
      makeLead({ leadId: 'REP-MINE', ownerId: rep.userId }),
      makeLead({ leadId: 'REP-THEIRS', ownerId: otherRep.userId }),
    ]);
    const mine = await recordOutcome(rep, { leadId: 'REP-MINE', outcome: 'CONVERTED' });
    expect(mine.data!.recordOutcome.ownerId).toBe(rep.userId);
    const theirs = await recordOutcome(rep, { leadId: 'REP-THEIRS', outcome: 'CONVERTED' });
    expect(theirs.errors?.[0].extensions?.code).toBe('FORBIDDEN');
    expect((await leadStatus('REP-THEIRS')).status).toBe('NEW');

    const rate = (session: Session, leadId: string, rating: string, comment?: string) =>
      gql<{
        submitFeedback: {
          id: string;
          userId: string;
          rating: string;
          comment: string | null;
          shown: { score: number } | null;
          history: { rating: string }[];
        };
      }>(
        sut.url,
        'mutation($input: SubmitFeedbackInput!) { submitFeedback(input: $input) { id userId rating comment shown { score } history { rating } } }',
        { variables: { input: { leadId, rating, comment } }, headers: bearer(session) },
      );
    const forbidden = await rate(rep, 'REP-THEIRS', 'TOO_HIGH');
    expect(forbidden.errors?.[0].extensions?.code).toBe('FORBIDDEN');

    const first = await rate(rep, 'REP-MINE', 'TOO_HIGH', 'they never answer');
    expect(first.data!.submitFeedback).toMatchObject({
      userId: rep.userId,
      rating: 'TOO_HIGH',
      history: [],
    });
    expect(first.data!.submitFeedback.shown).not.toBeNull();
    const second = await rate(rep, 'REP-MINE', 'ABOUT_RIGHT');
    expect(second.data!.submitFeedback).toMatchObject({
      id: first.data!.submitFeedback.id,
      rating: 'ABOUT_RIGHT',
      comment: null,
      history: [{ rating: 'TOO_HIGH' }],
    });
    await rate(manager, 'REP-MINE', 'TOO_LOW');
    await rate(manager, 'REP-THEIRS', 'TOO_LOW');

    const list = (session: Session) =>
      gql<{
        feedback: { total: number; items: { leadId: string; userId: string; rating: string }[] };
      }>(
        sut.url,
        '{ feedback(filter: { leadId: "REP-MINE" }) { total items { leadId userId rating } } }',
        { headers: bearer(session) },
      );
    const byManager = await list(manager);
    expect(byManager.data!.feedback.items.map((f) => [f.userId, f.rating]).sort()).toEqual(
      [
        [manager.userId, 'TOO_LOW'],
        [rep.userId, 'ABOUT_RIGHT'],
      ].sort(),
    );
    const allForRep = await gql<{ feedback: { items: { leadId: string }[] } }>(
      sut.url,
      '{ feedback { items { leadId } } }',
      { headers: bearer(rep) },
    );
    expect(new Set(allForRep.data!.feedback.items.map((f) => f.leadId))).toEqual(
      new Set(['REP-MINE']),
    );
    const repOutcomes = await outcomes(rep);
    expect(repOutcomes.data!.outcomes.items.map((o) => o.leadId)).toEqual(['REP-MINE']);

    const long = await rate(rep, 'REP-MINE', 'TOO_LOW', 'x'.repeat(2001));
    expect(long.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
  });

  it('refuses bad outcomes with a code and writes nothing', async () => {
    await upsertLeads(sut.url, admin, [makeLead({ leadId: 'BAD-1' })]);
    const unknown = await recordOutcome(admin, { leadId: 'NO-SUCH-LEAD', outcome: 'LOST' });
    expect(unknown.errors?.[0].extensions?.code).toBe('NOT_FOUND');

    const future = await recordOutcome(admin, {
      leadId: 'BAD-1',
      outcome: 'LOST',
      at: new Date(Date.now() + 3_600_000).toISOString(),
    });
    expect(future.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
    expect(future.errors?.[0].message).toMatch(/future/);
    const tooEarly = await recordOutcome(admin, {
      leadId: 'BAD-1',
      outcome: 'LOST',
      at: '2001-01-01T00:00:00Z',
    });
    expect(tooEarly.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
    expect(tooEarly.errors?.[0].message).toMatch(/before the lead existed/);

    const other = await registerTenant(sut.url);
    await upsertLeads(sut.url, other, [makeLead({ leadId: 'FOREIGN-1' })]);
    const foreign = await recordOutcome(admin, { leadId: 'FOREIGN-1', outcome: 'CONVERTED' });
    expect(foreign.errors?.[0].extensions?.code).toBe('NOT_FOUND');
    const foreignRating = await gql(
      sut.url,
      'mutation { submitFeedback(input: { leadId: "FOREIGN-1", rating: TOO_LOW }) { id } }',
      { headers: bearer(admin) },
    );
    expect(foreignRating.errors?.[0].extensions?.code).toBe('NOT_FOUND');
    const theirOutcomes = await outcomes(other, { includeHistory: true });
    expect(theirOutcomes.data!.outcomes.total).toBe(0);
    const theirFeedback = await gql<{ feedback: { total: number } }>(
      sut.url,
      '{ feedback { total } }',
      {
        headers: bearer(other),
      },
    );
    expect(theirFeedback.data!.feedback.total).toBe(0);
    expect(
      (await outcomes(admin, { leadId: 'BAD-1', includeHistory: true })).data!.outcomes.total,
    ).toBe(0);
  });

  it('reports conversion per tier and decile of the scores shown, and ratings per model', async () => {
    const tenant = await registerTenant(sut.url);
    const leads = ['S-HOT-1', 'S-HOT-2', 'S-WARM', 'S-COLD-1', 'S-COLD-2'];
    await upsertLeads(
      sut.url,
      tenant,
      leads.map((leadId) => makeLead({ leadId })),
    );
    const now = new Date().toISOString();
    // 10 opens, 20 visits of 30 s: every cap reached, score ≈ 100 (HOT, decile 10).
    // 10 opens and 4 visits of 10 s: 0.4 + 0.35 * 4/20 + 0.25 * 40/600 = 0.4867 → WARM, decile 5.
    const full = (leadId: string) => [
      ...Array.from({ length: 10 }, () => makeInteraction({ leadId, occurredAt: now })),
      ...Array.from({ length: 20 }, () =>
        makeInteraction({ leadId, type: 'WEBSITE_VISIT', secondsSpent: 30, occurredAt: now }),
      ),
    ];
    const warm = [
      ...Array.from({ length: 10 }, () => makeInteraction({ leadId: 'S-WARM', occurredAt: now })),
      ...Array.from({ length: 4 }, () =>
        makeInteraction({
          leadId: 'S-WARM',
          type: 'WEBSITE_VISIT',
          secondsSpent: 10,
          occurredAt: now,
        }),
      ),
    ];
    const recorded = await recordInteractions(sut.url, tenant, [
      ...full('S-HOT-1'),
      ...full('S-HOT-2'),
      ...warm,
    ]);
    expect(recorded.errors).toBeUndefined();
    const close = (leadId: string, outcome: string) => recordOutcome(tenant, { leadId, outcome });
    const shown = await Promise.all([
      close('S-HOT-1', 'CONVERTED'),
      close('S-HOT-2', 'LOST'),
      close('S-WARM', 'CONVERTED'),
      close('S-COLD-1', 'LOST'),
      close('S-COLD-2', 'CONVERTED'),
    ]);
    expect(shown.map((r) => r.data!.recordOutcome.shown!.tier)).toEqual([
      'HOT',
      'HOT',
      'WARM',
      'COLD',
      'COLD',
    ]);
    expect(shown[0].data!.recordOutcome.shown!.score).toBeGreaterThanOrEqual(99.9);
    expect(shown[2].data!.recordOutcome.shown!.score).toBeCloseTo(48.67, 1);
    expect(shown[3].data!.recordOutcome.shown!.score).toBe(0);
    await gql(
      sut.url,
      'mutation { submitFeedback(input: { leadId: "S-HOT-2", rating: TOO_HIGH }) { id } }',
      {
        headers: bearer(tenant),
      },
    );
    await gql(
      sut.url,
      'mutation { submitFeedback(input: { leadId: "S-WARM", rating: ABOUT_RIGHT }) { id } }',
      {
        headers: bearer(tenant),
      },
    );

    const stats = await gql<{
      modelFeedbackStats: {
        ratings: { tooHigh: number; tooLow: number; aboutRight: number; total: number };
        outcomes: number;
        converted: number;
        conversionRate: number;
        tiers: {
          tier: string;
          outcomes: number;
          converted: number;
          conversionRate: number | null;
        }[];
        deciles: { decile: number; outcomes: number; converted: number }[];
        rateRisesWithScore: boolean | null;
      };
    }>(
      sut.url,
      `{ modelFeedbackStats(modelId: "weighted-sum", version: 1) {
          ratings { tooHigh tooLow aboutRight total } outcomes converted conversionRate
          tiers { tier outcomes converted conversionRate } deciles { decile outcomes converted } rateRisesWithScore } }`,
      { headers: bearer(tenant) },
    );
    expect(stats.errors).toBeUndefined();
    const s = stats.data!.modelFeedbackStats;
    expect(s.ratings).toEqual({ tooHigh: 1, tooLow: 0, aboutRight: 1, total: 2 });
    expect(s).toMatchObject({ outcomes: 5, converted: 3, conversionRate: 0.6 });
    expect(s.tiers).toEqual([
      { tier: 'HOT', outcomes: 2, converted: 1, conversionRate: 0.5 },
      { tier: 'WARM', outcomes: 1, converted: 1, conversionRate: 1 },
      { tier: 'COLD', outcomes: 2, converted: 1, conversionRate: 0.5 },
    ]);
    expect(s.deciles.filter((d) => d.outcomes > 0)).toEqual([
      { decile: 1, outcomes: 2, converted: 1 },
      { decile: 5, outcomes: 1, converted: 1 },
      { decile: 10, outcomes: 2, converted: 1 },
    ]);
    expect(s.rateRisesWithScore).toBe(false);

    const otherModel = await gql<{
      modelFeedbackStats: { outcomes: number; ratings: { total: number } };
    }>(
      sut.url,
      '{ modelFeedbackStats(modelId: "weighted-sum", version: 2) { outcomes ratings { total } } }',
      { headers: bearer(tenant) },
    );
    expect(otherModel.data!.modelFeedbackStats).toEqual({ outcomes: 0, ratings: { total: 0 } });
    const asRep = await gql(sut.url, '{ modelFeedbackStats { outcomes } }', {
      headers: bearer(rep),
    });
    expect(asRep.errors?.[0].extensions?.code).toBe('FORBIDDEN');
  });

  it('turns a CSV import outcome column into the same outcome records, and a re-import replaces them', async () => {
    const tenant = await registerTenant(sut.url);
    const csv = [
      'id;age;job;y;closed',
      'B-1;30;admin.;yes;2026-01-05',
      'B-2;41;services;no;',
      'B-3;55;retired;maybe;',
    ].join('\n');
    const mapping = {
      leadId: 'id',
      outcome: { column: 'y', converted: ['yes'], lost: ['no'], at: 'closed' },
      attributes: ['*'],
    };
    const done = await importCsv(sut.url, tenant, csv, mapping);
    expect(done).toMatchObject({ status: 'COMPLETED', importedRows: 3, failedRows: 0 });

    const imported = await outcomes(tenant, { includeHistory: true });
    const byLead = Object.fromEntries(imported.data!.outcomes.items.map((o) => [o.leadId, o]));
    expect(Object.keys(byLead).sort()).toEqual(['B-1', 'B-2']);
    expect(byLead['B-1']).toMatchObject({
      outcome: 'CONVERTED',
      source: 'IMPORT',
      current: true,
      recordedBy: tenant.userId,
      at: '2026-01-05T00:00:00.000Z',
      importRow: { importId: done.id, row: 1 },
      // A lead the import itself creates closed was never shown a score.
      shown: null,
    });
    expect(byLead['B-2']).toMatchObject({
      outcome: 'LOST',
      importRow: { importId: done.id, row: 2 },
    });
    expect(new Date(byLead['B-2'].at).getTime()).toBeLessThanOrEqual(Date.now());

    // The same rows again, B-1 now lost: a new import's records replace the first ones.
    const again = await importCsv(
      sut.url,
      tenant,
      csv.replace('B-1;30;admin.;yes', 'B-1;30;admin.;no'),
      mapping,
    );
    expect(again.status).toBe('COMPLETED');
    const history = await outcomes(tenant, { leadId: 'B-1', includeHistory: true });
    expect(
      history.data!.outcomes.items.map((o) => [o.outcome, o.current, o.importRow!.importId]),
    ).toEqual([
      ['LOST', true, again.id],
      ['CONVERTED', false, done.id],
    ]);
    expect((await outcomes(tenant)).data!.outcomes.total).toBe(2);
    // B-2 is lost again, undated: the outcome it had stands (same record, same date), so a
    // re-import of unchanged history changes no label and no dataset row.
    const kept = await outcomes(tenant, { leadId: 'B-2', includeHistory: true });
    expect(kept.data!.outcomes.items).toEqual([byLead['B-2']]);

    const badDate = await importCsv(
      sut.url,
      tenant,
      'id;y;closed\nB-9;yes;not-a-date\nB-10;yes;2999-01-01',
      {
        leadId: 'id',
        outcome: { column: 'y', converted: ['yes'], lost: ['no'], at: 'closed' },
      },
    );
    expect(badDate).toMatchObject({ importedRows: 0, failedRows: 2 });
    expect(badDate.errors.map((e) => e.messages.join(' '))).toEqual([
      expect.stringMatching(/is not a date/),
      expect.stringMatching(/in the future/),
    ]);
  });
});
