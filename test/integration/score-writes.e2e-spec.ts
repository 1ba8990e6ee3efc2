import { getConnectionToken } from '@nestjs/mongoose';
import { Connection, Types } from 'mongoose';

import { leadRefFor } from '@/leads/lead-snapshot.util';
import { toSnapshot } from '@/scoring/lead-scoring.service';
import { LeadScore } from '@/scoring/schemas/lead-score.schema';
import { ScoreChangeReason } from '@/scoring/schemas/score-history.schema';
import { WEIGHTED_SUM_CHOICE } from '@/scoring/scoring-model.registry';
import { ScoreWrites } from '@/scoring/score-writes.repository';
import { buildScoreWrite } from '@/scoring/score-write.util';
import { registerTenant, Session } from '@test/utils/auth';
import { makeInteraction, makeLead, recordInteractions, upsertLeads } from '@test/utils/leads';
import { useTestApp } from '@test/utils/test-app';

const CONFIG = {
  version: 1,
  parameters: { weights: [0.4, 0.35, 0.25], caps: [10, 20, 600], halfLifeDays: 7 },
  thresholds: { hot: 70, warm: 40 },
} as const;

/**
 * The score writes' two routes on a real engine: updates in place as `update` commands (a batch
 * rescoring's), replacements and unbounded updates through the driver's bulkWrite.
 */
describe('score writes', () => {
  const sut = useTestApp();
  let first: Session;
  let second: Session;
  let db: Connection;
  let writes: ScoreWrites;

  beforeAll(async () => {
    [first, second] = await Promise.all([registerTenant(sut.url), registerTenant(sut.url)]);
    db = sut.app.get<Connection>(getConnectionToken());
    writes = sut.app.get(ScoreWrites);
  });

  async function stored(session: Session, leadId: string): Promise<LeadScore> {
    const doc = await db.collection<LeadScore>('leadScores').findOne({
      _id: leadRefFor(session.tenantId, leadId),
      tenantId: new Types.ObjectId(session.tenantId),
    });
    if (!doc) throw new Error(`no score for ${leadId}`);
    return doc;
  }

  describe('updates as commands', () => {
    it('apply in slices of the size asked, within the tenant only, and report refusals by position', async () => {
      const ids = ['CMD-0', 'CMD-1', 'CMD-2', 'CMD-3', 'CMD-4'];
      await upsertLeads(
        sut.url,
        first,
        ids.map((leadId) => makeLead({ leadId })),
      );
      await upsertLeads(sut.url, second, [makeLead({ leadId: 'CMD-0' })]);
      const ref = (leadId: string) => leadRefFor(first.tenantId, leadId);

      const outcome = await writes.updateStoredByCommands(
        first.tenantId,
        [
          { filter: { _id: ref('CMD-0') }, update: { $set: { historyCount: 40 } } },
          { filter: { _id: ref('CMD-1') }, update: { $set: { historyCount: 41 } } },
          // A string cannot be incremented: the engine refuses this statement alone.
          { filter: { _id: ref('CMD-2') }, update: { $inc: { leadId: 1 } } },
          // The other tenant's lead of the same id: the tenant is forced into every filter.
          {
            filter: { _id: leadRefFor(second.tenantId, 'CMD-0') },
            update: { $set: { historyCount: 99 } },
          },
          { filter: { _id: ref('CMD-4') }, update: { $set: { historyCount: 44 } } },
        ],
        2,
      );

      expect(outcome.matchedCount).toBe(3);
      expect(outcome.writeErrors.map((error) => error.index)).toEqual([2]);
      expect(outcome.writeErrors[0].message).not.toBe('');
      expect((await stored(first, 'CMD-0')).historyCount).toBe(40);
      expect((await stored(first, 'CMD-1')).historyCount).toBe(41);
      expect((await stored(first, 'CMD-2')).leadId).toBe('CMD-2');
      expect((await stored(first, 'CMD-4')).historyCount).toBe(44);
      expect((await stored(second, 'CMD-0')).historyCount).not.toBe(99);
    });

    it('send nothing for no updates', async () => {
      await expect(writes.updateStoredByCommands(first.tenantId, [], 500)).resolves.toEqual({
        matchedCount: 0,
        writeErrors: [],
      });
    });
  });

  describe('conditional writes', () => {
    it('an update in place leaves the document its write describes', async () => {
      await upsertLeads(sut.url, first, [makeLead({ leadId: 'WHOLE-1' })]);
      const before = await stored(first, 'WHOLE-1');
      const write = buildScoreWrite({
        tenantId: new Types.ObjectId(first.tenantId),
        snapshot: toSnapshot(before),
        before,
        config: { ...CONFIG, version: before.configVersion + 1 },
        model: WEIGHTED_SUM_CHOICE,
        reason: ScoreChangeReason.BATCH_RESCORE,
        now: new Date(),
      });
      await expect(
        writes.writeConditionally(first.tenantId, [write], new Set([write])),
      ).resolves.toBe(1);
      expect(await stored(first, 'WHOLE-1')).toEqual({
        _id: before._id,
        tenantId: before.tenantId,
        ...write.doc,
      });
    });

    it('an update in place applies only to the version it was computed from, on either route', async () => {
      await upsertLeads(sut.url, first, [
        makeLead({ leadId: 'COND-1' }),
        makeLead({ leadId: 'COND-2' }),
      ]);
      const [read1, read2] = [await stored(first, 'COND-1'), await stored(first, 'COND-2')];
      // COND-2 moves on (a new lead version) after it was read; COND-1 does not.
      await recordInteractions(sut.url, first, [makeInteraction({ leadId: 'COND-2' })]);
      const now = new Date();
      const build = (before: LeadScore) =>
        buildScoreWrite({
          tenantId: new Types.ObjectId(first.tenantId),
          snapshot: toSnapshot(before),
          before,
          config: CONFIG,
          model: WEIGHTED_SUM_CHOICE,
          reason: ScoreChangeReason.BATCH_RESCORE,
          now,
        });
      const plain = [build(read1), build(read2)];
      // The same writes as a trained model's would be (an explanation: the bulkWrite route).
      const explained = plain.map((write) => ({
        ...write,
        doc: {
          ...write.doc,
          breakdown: {
            ...write.doc.breakdown,
            model: { type: 'LOGISTIC_REGRESSION', base: 0, logit: 0, factors: [] },
          },
        },
      }));

      for (const batch of [plain, explained]) {
        await expect(
          writes.writeConditionally(first.tenantId, batch, new Set(batch)),
        ).resolves.toBe(1);
        expect((await stored(first, 'COND-1')).computedAt).toEqual(now);
        const moved = await stored(first, 'COND-2');
        expect(moved.emailOpens).toBe(1);
        expect(moved.computedAt).not.toEqual(now);
      }
      expect((await stored(first, 'COND-1')).breakdown.model?.type).toBe('LOGISTIC_REGRESSION');
    });
  });
});
