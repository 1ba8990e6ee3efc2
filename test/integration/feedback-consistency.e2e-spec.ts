import { getQueueToken } from '@nestjs/bull';
import { getConnectionToken } from '@nestjs/mongoose';
import type { Queue } from 'bull';
import { Connection, Types } from 'mongoose';

import { importedOutcomeId } from '@/feedback/outcomes.service';
import type { LeadInput } from '@/leads/dto/lead.inputs';
import { IMPORTS_QUEUE } from '@/leads/import/lead-import.constants';
import { leadRefFor } from '@/leads/lead-snapshot.util';
import { LeadClose, LeadsService } from '@/leads/leads.service';
import { LeadOutcomeValue } from '@/leads/schemas/lead.schema';
import { SCORING_QUEUE } from '@/scoring/jobs/scoring-queue.constants';

import { bearer, registerTenant, Session } from '@test/utils/auth';
import { gql } from '@test/utils/graphql-client';
import { ImportView, importCsv, uploadCsv, waitForImport } from '@test/utils/imports';
import { makeInteraction, makeLead, recordInteractions, upsertLeads } from '@test/utils/leads';
import { useTestApp } from '@test/utils/test-app';

interface RecordView {
  id: string;
  leadId: string;
  outcome: 'CONVERTED' | 'LOST';
  source: 'API' | 'IMPORT';
  current: boolean;
  importRow: { importId: string; row: number } | null;
  shown: { score: number; tier: string; configVersion: number } | null;
}

const RECORD_FIELDS =
  'id leadId outcome source current importRow { importId row } shown { score tier configVersion }';

/**
 * The lead's pointer is the truth and the records' `current` flags follow it, whatever the order
 * in which concurrent writers, crashed imports and their retries got there.
 */
describe('outcome records follow the lead pointer', () => {
  const sut = useTestApp();

  function db(): Connection {
    return sut.app.get<Connection>(getConnectionToken());
  }

  /** The lead's `outcome.id` as stored (what nothing but the lead itself says). */
  async function pointerOf(session: Session, leadId: string): Promise<string | null> {
    const lead = await db()
      .collection('leads')
      .findOne({ _id: leadRefFor(session.tenantId, leadId) }, { projection: { outcome: 1 } });
    const outcome = lead?.outcome as { id: Types.ObjectId } | null | undefined;
    return outcome ? outcome.id.toHexString() : null;
  }

  async function recordsOf(session: Session, leadId: string): Promise<RecordView[]> {
    const response = await gql<{ outcomes: { items: RecordView[] } }>(
      sut.url,
      `query($leadId: String) { outcomes(filter: { leadId: $leadId, includeHistory: true }, limit: 200) { items { ${RECORD_FIELDS} } } }`,
      { variables: { leadId }, headers: bearer(session) },
    );
    expect(response.errors).toBeUndefined();
    return response.data!.outcomes.items;
  }

  async function expectFollowsPointer(session: Session, leadId: string): Promise<RecordView> {
    const pointer = await pointerOf(session, leadId);
    expect(pointer).not.toBeNull();
    const records = await recordsOf(session, leadId);
    const current = records.filter((record) => record.current);
    expect({ leadId, current: current.map((record) => record.id) }).toEqual({
      leadId,
      current: [pointer],
    });
    return current[0];
  }

  function recordOutcome(session: Session, input: Record<string, unknown>) {
    return gql<{ recordOutcome: RecordView }>(
      sut.url,
      `mutation($input: RecordOutcomeInput!) { recordOutcome(input: $input) { ${RECORD_FIELDS} } }`,
      { variables: { input }, headers: bearer(session) },
    );
  }

  it('leaves exactly the record the lead points at current after concurrent recordOutcome calls', async () => {
    const admin = await registerTenant(sut.url);
    const leadIds = Array.from({ length: 6 }, (_, i) => `RACE-${i}`);
    await upsertLeads(
      sut.url,
      admin,
      leadIds.map((leadId) => makeLead({ leadId })),
    );
    const outcomes = ['CONVERTED', 'LOST', 'CONVERTED', 'LOST', 'CONVERTED'];
    const answers = await Promise.all(
      leadIds.flatMap((leadId) =>
        outcomes.map((outcome, i) =>
          recordOutcome(admin, { leadId, outcome, reason: `call ${i}` }).then((answer) => ({
            leadId,
            answer,
          })),
        ),
      ),
    );
    // A call that lost the race is told so (CONFLICT) rather than silently replaced.
    for (const { answer } of answers) {
      if (answer.errors) expect(answer.errors[0].extensions?.code).toBe('CONFLICT');
    }
    for (const leadId of leadIds) {
      const current = await expectFollowsPointer(admin, leadId);
      const succeeded = answers
        .filter((a) => a.leadId === leadId && !a.answer.errors)
        .map((a) => a.answer.data!.recordOutcome.id);
      expect(succeeded).toContain(current.id);
      const lead = await gql<{ lead: { status: string } }>(
        sut.url,
        'query($id: ID!) { lead(id: $id) { status } }',
        {
          variables: { id: leadRefFor(admin.tenantId, leadId).toHexString() },
          headers: bearer(admin),
        },
      );
      expect(lead.errors).toBeUndefined();
      expect(lead.data!.lead.status).toBe(current.outcome);
    }
  });

  it('repairs an import that closed leads but died before writing their records, on its retry', async () => {
    const admin = await registerTenant(sut.url);
    await upsertLeads(sut.url, admin, [makeLead({ leadId: 'PART-1' })]);
    const csv = ['id;tier;y;closed', 'PART-1;gold;yes;', 'PART-2;silver;no;2026-01-05'].join('\n');
    const mapping = {
      leadId: 'id',
      outcome: { column: 'y', converted: ['yes'], lost: ['no'], at: 'closed' },
      attributes: ['tier'],
    };
    const queue = sut.app.get<Queue>(getQueueToken(IMPORTS_QUEUE));
    await queue.pause(true);
    let importId: string;
    try {
      const started = await uploadCsv(sut.url, admin, csv, mapping);
      expect(started.status).toBe(202);
      importId = (started.body as ImportView).id;
      // The first attempt as it died: its leads written and closed, no outcome record yet.
      const closes = new Map<number, LeadClose>([
        [
          0,
          {
            id: importedOutcomeId(admin.tenantId, importId, 1),
            outcome: LeadOutcomeValue.CONVERTED,
            at: new Date(),
            keepSame: true,
          },
        ],
        [
          1,
          {
            id: importedOutcomeId(admin.tenantId, importId, 2),
            outcome: LeadOutcomeValue.LOST,
            at: new Date('2026-01-05T00:00:00Z'),
            keepSame: false,
          },
        ],
      ]);
      const inputs = [
        { leadId: 'PART-1', status: 'CONVERTED', attributes: { tier: 'gold' } },
        { leadId: 'PART-2', status: 'LOST', attributes: { tier: 'silver' } },
      ] as LeadInput[];
      await sut.app.get(LeadsService).writeLeads(admin.tenantId, inputs, { closes });
      expect(await pointerOf(admin, 'PART-1')).toBe(closes.get(0)!.id.toHexString());
      expect(await recordsOf(admin, 'PART-1')).toEqual([]);
    } finally {
      await queue.resume(true);
    }

    const done = await waitForImport(sut.url, admin, importId);
    expect(done).toMatchObject({ status: 'COMPLETED', importedRows: 2, failedRows: 0 });
    for (const [leadId, row] of [
      ['PART-1', 1],
      ['PART-2', 2],
    ] as const) {
      const current = await expectFollowsPointer(admin, leadId);
      expect(current).toMatchObject({
        id: importedOutcomeId(admin.tenantId, importId, row).toHexString(),
        source: 'IMPORT',
        importRow: { importId, row },
      });
    }
  });

  it('records the score an imported outcome replaced, not the one the import gave the lead', async () => {
    const admin = await registerTenant(sut.url);
    await upsertLeads(sut.url, admin, [
      makeLead({ leadId: 'SHOWN-1', attributes: { plan: 'basic' } }),
    ]);
    const now = new Date().toISOString();
    await recordInteractions(
      sut.url,
      admin,
      Array.from({ length: 10 }, () => makeInteraction({ leadId: 'SHOWN-1', occurredAt: now })),
    );
    const scoreOf = async (): Promise<{ score: number; configVersion: number }> => {
      const response = await gql<{
        lead: { score: number; breakdown: { configVersion: number } };
      }>(sut.url, 'query($id: ID!) { lead(id: $id) { score breakdown { configVersion } } }', {
        variables: { id: leadRefFor(admin.tenantId, 'SHOWN-1').toHexString() },
        headers: bearer(admin),
      });
      expect(response.errors).toBeUndefined();
      return {
        score: response.data!.lead.score,
        configVersion: response.data!.lead.breakdown.configVersion,
      };
    };
    // 10 opens under the default weights: 0.4 of the way.
    const before = await scoreOf();
    expect(before).toEqual({ score: 40, configVersion: 1 });

    // A new config whose rescoring job waits: the stored score stays the one reps see, while the
    // import, which rescores the leads it writes, scores under the new weights.
    const scoring = sut.app.get<Queue>(getQueueToken(SCORING_QUEUE));
    await scoring.pause(true);
    let done: ImportView;
    try {
      const update = await gql<{ updateScoringConfig: { version: number } }>(
        sut.url,
        'mutation { updateScoringConfig(input: { weights: { emailOpens: 0.6, websiteVisits: 0.2, timeSpent: 0.2 } }) { version } }',
        { headers: bearer(admin) },
      );
      expect(update.data?.updateScoringConfig.version).toBe(2);
      done = await importCsv(sut.url, admin, 'id;plan;y\nSHOWN-1;premium;yes', {
        leadId: 'id',
        outcome: { column: 'y', converted: ['yes'], lost: ['no'] },
        attributes: ['plan'],
      });
      expect(done).toMatchObject({ status: 'COMPLETED', importedRows: 1 });
      // The import did rescore the lead (so the two scores differ) ...
      expect(await scoreOf()).toEqual({ score: 60, configVersion: 2 });
    } finally {
      await scoring.resume(true);
    }
    // ... and the label keeps the one shown before it.
    const [record] = await recordsOf(admin, 'SHOWN-1');
    expect(record).toMatchObject({
      source: 'IMPORT',
      current: true,
      importRow: { importId: done.id, row: 1 },
      shown: { score: 40, tier: 'WARM', configVersion: 1 },
    });
  });

  it('reports on more outcomes than one cursor batch holds, the same as on a few', async () => {
    const admin = await registerTenant(sut.url);
    const scored = 1_500;
    const ids = Array.from({ length: scored }, (_, i) => `MANY-${i}`);
    // Leads scored first (0, COLD), closed by a second import; 100 more created closed (unscored).
    const open = await importCsv(sut.url, admin, ['id', ...ids].join('\n'), { leadId: 'id' });
    expect(open).toMatchObject({ status: 'COMPLETED', importedRows: scored });
    const rows = [...ids, ...Array.from({ length: 100 }, (_, i) => `MANY-NEW-${i}`)].map(
      (id, i) => `${id};${i % 3 === 0 ? 'yes' : 'no'}`,
    );
    const closed = await importCsv(sut.url, admin, ['id;y', ...rows].join('\n'), {
      leadId: 'id',
      outcome: { column: 'y', converted: ['yes'], lost: ['no'] },
    });
    expect(closed).toMatchObject({ status: 'COMPLETED', importedRows: scored + 100 });
    await gql(
      sut.url,
      'mutation { submitFeedback(input: { leadId: "MANY-1", rating: TOO_LOW }) { id } }',
      { headers: bearer(admin) },
    );

    const stats = await gql<{
      modelFeedbackStats: {
        ratings: { tooHigh: number; tooLow: number; aboutRight: number; total: number };
        outcomes: number;
        converted: number;
        tiers: { tier: string; outcomes: number; converted: number }[];
        deciles: { decile: number; outcomes: number; converted: number }[];
        rateRisesWithScore: boolean | null;
        unscoredOutcomes: number;
      };
    }>(
      sut.url,
      `{ modelFeedbackStats { ratings { tooHigh tooLow aboutRight total } outcomes converted
          tiers { tier outcomes converted } deciles { decile outcomes converted } rateRisesWithScore unscoredOutcomes } }`,
      { headers: bearer(admin) },
    );
    expect(stats.errors).toBeUndefined();
    const s = stats.data!.modelFeedbackStats;
    expect(s).toMatchObject({
      ratings: { tooHigh: 0, tooLow: 1, aboutRight: 0, total: 1 },
      outcomes: scored,
      converted: scored / 3,
      rateRisesWithScore: null,
      unscoredOutcomes: 100,
    });
    expect(s.tiers).toEqual([
      { tier: 'HOT', outcomes: 0, converted: 0 },
      { tier: 'WARM', outcomes: 0, converted: 0 },
      { tier: 'COLD', outcomes: scored, converted: scored / 3 },
    ]);
    expect(s.deciles.filter((d) => d.outcomes > 0)).toEqual([
      { decile: 1, outcomes: scored, converted: scored / 3 },
    ]);
  });
});
