import { getConnectionToken } from '@nestjs/mongoose';
import { Connection, Types } from 'mongoose';

import { leadRefFor } from '@/leads/lead-snapshot.util';
import { LeadScoringService, toSnapshot } from '@/scoring/lead-scoring.service';
import { LeadScore, RETIRED_SCORE_INDEXES } from '@/scoring/schemas/lead-score.schema';
import { ScoreChangeReason } from '@/scoring/schemas/score-history.schema';
import { WEIGHTED_SUM_CHOICE } from '@/scoring/scoring-model.registry';
import { ScoreWrites } from '@/scoring/score-writes.repository';
import { buildScoreWrite, ScoreWrite, scoreFieldsUpdate } from '@/scoring/score-write.util';
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
    it.each([
      ['a new config (its version written too)', 1],
      ['the same config (only what moved written)', 0],
    ])('an update in place leaves the document its write describes: %s', async (_, bump) => {
      const leadId = `WHOLE-${bump}`;
      await upsertLeads(sut.url, first, [makeLead({ leadId })]);
      const before = await stored(first, leadId);
      const write = buildScoreWrite({
        tenantId: new Types.ObjectId(first.tenantId),
        snapshot: toSnapshot(before),
        before,
        config: { ...CONFIG, version: before.configVersion + bump },
        model: WEIGHTED_SUM_CHOICE,
        reason: ScoreChangeReason.BATCH_RESCORE,
        now: new Date(),
      });
      const update = scoreFieldsUpdate(write.doc, before);
      if (bump === 0) expect(update.$set).not.toHaveProperty('configVersion');
      await expect(
        writes.writeConditionally(first.tenantId, [write], new Map([[write, update]])),
      ).resolves.toBe(1);
      expect(await stored(first, leadId)).toEqual({
        _id: before._id,
        tenantId: before.tenantId,
        ...write.doc,
      });
    });

    it('a write of the score as read loses to a write in between at the same lead version', async () => {
      await upsertLeads(sut.url, first, [makeLead({ leadId: 'CAS-1' })]);
      const read = await stored(first, 'CAS-1');
      const rescore = (version: number, now: Date) =>
        buildScoreWrite({
          tenantId: new Types.ObjectId(first.tenantId),
          snapshot: toSnapshot(read),
          before: read,
          config: { ...CONFIG, version },
          model: WEIGHTED_SUM_CHOICE,
          reason: ScoreChangeReason.BATCH_RESCORE,
          now,
        });
      // A config change's rescoring writes first (whole); a freshness rescoring computed from the
      // same read (the old config) comes after it, as an update of the fields that moved only.
      const between = rescore(read.configVersion + 1, new Date(Date.now() + 1_000));
      const stale = rescore(read.configVersion, new Date(Date.now() + 2_000));
      const staleUpdate = scoreFieldsUpdate(stale.doc, read);
      expect(staleUpdate.$set).not.toHaveProperty('configVersion');

      await expect(writes.writeConditionally(first.tenantId, [between], new Map())).resolves.toBe(
        1,
      );
      await expect(
        writes.writeConditionally(first.tenantId, [stale], new Map([[stale, staleUpdate]])),
      ).resolves.toBe(0);
      // Had it applied, the score would be the old config's under the new config's version.
      expect(await stored(first, 'CAS-1')).toEqual({
        _id: read._id,
        tenantId: read.tenantId,
        ...between.doc,
      });
    });

    it('a call whose other writes lost a race still counts its own by their write id, whatever their time', async () => {
      await upsertLeads(sut.url, first, [
        makeLead({ leadId: 'OWN-1' }),
        makeLead({ leadId: 'OWN-2' }),
      ]);
      const [read1, read2] = [await stored(first, 'OWN-1'), await stored(first, 'OWN-2')];
      const scoring = sut.app.get(LeadScoringService);
      const config = {
        ...CONFIG,
        version: read1.configVersion + 1,
        createdAt: null,
        createdBy: null,
      };
      // Both writes below are computed "at" the time OWN-1's score was stored (another process's
      // clock, or the same millisecond): nothing about their time tells one write from another.
      const now = read1.computedAt;
      // OWN-2 is written again after it was read: the call's write of it loses the race.
      await scoring.scoreSnapshots(
        first.tenantId,
        [toSnapshot(read2)],
        ScoreChangeReason.BATCH_RESCORE,
        {
          config,
          now,
        },
      );
      const between2 = await stored(first, 'OWN-2');
      const outcome = await scoring.scoreSnapshots(
        first.tenantId,
        [toSnapshot(read1), toSnapshot(read2)],
        ScoreChangeReason.BATCH_RESCORE,
        { config, previous: [read1, read2], now },
      );

      expect(outcome.scored).toBe(2);
      const after1 = await stored(first, 'OWN-1');
      // Written once (one history entry more, and that entry is there), not again as a lost race.
      expect(after1.historyCount).toBe(read1.historyCount + 1);
      const entries = await db
        .collection('scoreHistory')
        .find({ tenantId: new Types.ObjectId(first.tenantId), leadRef: read1.leadRef })
        .toArray();
      expect(entries.map((entry) => entry.seq as number).sort()).toEqual(
        Array.from({ length: after1.historyCount }, (_, i) => i + 1),
      );
      // OWN-2's write lost, although the score that won has the same time and lead version: it
      // was scored again from that score (and written), not taken for the call's own.
      const after2 = await stored(first, 'OWN-2');
      expect(after2.writeId!.equals(between2.writeId)).toBe(false);
    });

    it('drops the write guard index of older versions where a database has it', async () => {
      const [retired] = RETIRED_SCORE_INDEXES;
      const collection = db.collection('leadScores');
      await collection.createIndex(
        { tenantId: 1, _id: 1, leadVersion: 1, 'override.setAt': 1 },
        { unique: true, name: retired },
      );
      expect((await collection.indexes()).map((index) => index.name)).toContain(retired);

      await writes.onApplicationBootstrap();
      await writes.onApplicationBootstrap(); // nothing left to drop: no error

      const names = (await collection.indexes()).map((index) => index.name);
      expect(names).not.toContain(retired);
      // The schema's own are kept; none of them names the write guard's fields.
      expect(names).toContain('tenantId_1__id_1');
      expect(names.filter((name) => name?.includes('leadVersion'))).toEqual([]);
    });

    it('an update in place applies only to the version it was computed from, on either route', async () => {
      await upsertLeads(sut.url, first, [
        makeLead({ leadId: 'COND-1' }),
        makeLead({ leadId: 'COND-2' }),
      ]);
      const read2 = await stored(first, 'COND-2');
      // COND-2 moves on (a new lead version) after it was read; COND-1 does not.
      await recordInteractions(sut.url, first, [makeInteraction({ leadId: 'COND-2' })]);
      const build = (before: LeadScore, now: Date) =>
        buildScoreWrite({
          tenantId: new Types.ObjectId(first.tenantId),
          snapshot: toSnapshot(before),
          before,
          config: CONFIG,
          model: WEIGHTED_SUM_CHOICE,
          reason: ScoreChangeReason.BATCH_RESCORE,
          now,
        });
      // The plain writes, then the same writes as a trained model's would be (an explanation: the
      // bulkWrite route), COND-1 read again before each (the first route's write moved its stamp).
      const explain = (write: ScoreWrite): ScoreWrite => ({
        ...write,
        doc: {
          ...write.doc,
          breakdown: {
            ...write.doc.breakdown,
            model: { type: 'LOGISTIC_REGRESSION', base: 0, logit: 0, factors: [] },
          },
        },
      });

      for (const route of [(write: ScoreWrite) => write, explain]) {
        const read1 = await stored(first, 'COND-1');
        const now = new Date(read1.computedAt.getTime() + 1_000);
        const batch = [route(build(read1, now)), route(build(read2, now))];
        await expect(
          writes.writeConditionally(
            first.tenantId,
            batch,
            new Map(
              batch.map((write, i) => [write, scoreFieldsUpdate(write.doc, [read1, read2][i])]),
            ),
          ),
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
