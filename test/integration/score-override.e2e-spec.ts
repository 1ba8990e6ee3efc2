import { getConnectionToken } from '@nestjs/mongoose';
import type { Connection } from 'mongoose';
import { Types } from 'mongoose';
import request from 'supertest';

import { LEAD_SCORE_CHANGED_TOPIC } from '@/scoring/lead-score.types';
import { EXPIRY_BACKFILL_MARKER } from '@/scoring/override/score-override-expiries';
import { ScoreOverrideSweeper } from '@/scoring/override/score-override.sweeper';
import { bearer, createUserSession, registerTenant, Session } from '@test/utils/auth';
import { gql, SubscriptionProbe, waitForRedisSubscriber } from '@test/utils/graphql-client';
import { eventBusChannel } from '@test/utils/pubsub';
import { makeInteraction, makeLead, recordInteractions, upsertLeads } from '@test/utils/leads';
import { v1, V1Error } from '@test/utils/rest-api';
import { dropTestDatabase, newTestNamespace, startTestApp, TestApp } from '@test/utils/test-app';

const LEAD_FIELDS =
  'id leadId score tier modelScore trend override { score reason setBy setAt expiresAt }';

interface LeadView {
  id: string;
  leadId: string;
  score: number;
  tier: string;
  modelScore: number;
  trend: string;
  override: {
    score: number;
    reason: string;
    setBy: string;
    setAt: string;
    expiresAt: string | null;
  } | null;
}

/** Manual overrides: set, shown, ranked, kept beneath rescoring, cleared, expired; refusals. */
describe('score overrides', () => {
  const namespace = newTestNamespace();
  let sut: TestApp;
  let admin: Session;
  let manager: Session;
  let rep: Session;
  let otherAdmin: Session;

  beforeAll(async () => {
    sut = await startTestApp({ namespace });
    admin = await registerTenant(sut.url);
    [manager, rep] = await Promise.all([
      createUserSession(sut.url, admin, 'MANAGER'),
      createUserSession(sut.url, admin, 'REP'),
    ]);
    otherAdmin = await registerTenant(sut.url);
    await upsertLeads(sut.url, admin, [
      makeLead({ leadId: 'O-HOT', ownerId: rep.userId }),
      makeLead({ leadId: 'O-COLD', ownerId: rep.userId }),
      makeLead({ leadId: 'O-EXP' }),
      makeLead({ leadId: 'O-SWEEP' }),
      makeLead({ leadId: 'O-ENTRY' }),
      makeLead({ leadId: 'O-OLD' }),
      makeLead({ leadId: 'O-REST' }),
    ]);
    await upsertLeads(sut.url, otherAdmin, [makeLead({ leadId: 'O-OTHER' })]);
    const recorded = await recordInteractions(sut.url, admin, [
      makeInteraction({ leadId: 'O-HOT', type: 'WEBSITE_VISIT', secondsSpent: 600 }),
      makeInteraction({ leadId: 'O-HOT' }),
      makeInteraction({ leadId: 'O-COLD' }),
    ]);
    expect(recorded.errors).toBeUndefined();
  });

  afterAll(async () => {
    await sut?.close();
    await dropTestDatabase(namespace);
  });

  async function override(
    session: Session,
    input: { leadId: string; score: number; reason: string; expiresAt?: string | null },
  ) {
    return gql<{ overrideScore: LeadView }>(
      sut.url,
      `mutation($input: OverrideScoreInput!) { overrideScore(input: $input) { ${LEAD_FIELDS} } }`,
      { variables: { input }, headers: bearer(session) },
    );
  }

  async function clear(session: Session, leadId: string) {
    return gql<{ clearOverride: LeadView }>(
      sut.url,
      `mutation($leadId: String!) { clearOverride(leadId: $leadId) { ${LEAD_FIELDS} } }`,
      { variables: { leadId }, headers: bearer(session) },
    );
  }

  async function ranked(filter = '') {
    const response = await gql<{ leads: { items: LeadView[] } }>(
      sut.url,
      `{ leads(limit: 50${filter}) { items { ${LEAD_FIELDS} } } }`,
      { headers: bearer(admin) },
    );
    expect(response.errors).toBeUndefined();
    return response.data!.leads.items;
  }

  async function lead(id: string): Promise<LeadView> {
    const response = await gql<{ lead: LeadView }>(
      sut.url,
      `query($id: ID!) { lead(id: $id) { ${LEAD_FIELDS} } }`,
      {
        variables: { id },
        headers: bearer(admin),
      },
    );
    expect(response.errors).toBeUndefined();
    return response.data!.lead;
  }

  async function history(id: string) {
    const response = await gql<{
      leadScoreHistory: {
        score: number;
        previousScore: number | null;
        modelScore: number;
        reason: string;
      }[];
    }>(
      sut.url,
      `query($id: ID!) { leadScoreHistory(id: $id) { score previousScore modelScore reason } }`,
      {
        variables: { id },
        headers: bearer(admin),
      },
    );
    return response.data!.leadScoreHistory;
  }

  async function audit(action: string) {
    const response = await gql<{
      auditEvents: {
        actorId: string | null;
        targetId: string | null;
        details: Record<string, unknown>;
      }[];
    }>(
      sut.url,
      `query($action: AuditAction) { auditEvents(limit: 50, action: $action) { actorId targetId details } }`,
      {
        variables: { action },
        headers: bearer(admin),
      },
    );
    expect(response.errors).toBeUndefined();
    return response.data!.auditEvents;
  }

  const storedScores = () => sut.app.get<Connection>(getConnectionToken()).collection('leadScores');
  const expiries = () =>
    sut.app.get<Connection>(getConnectionToken()).collection('scoreOverrideExpiries');

  it('shows the override, ranks and tiers by it, keeps the model beneath, and says so everywhere', async () => {
    const before = await ranked();
    const cold = before.find((item) => item.leadId === 'O-COLD')!;
    const hot = before.find((item) => item.leadId === 'O-HOT')!;
    expect(cold.score).toBeLessThan(hot.score);
    expect(cold).toMatchObject({
      override: null,
      modelScore: cold.score,
      trend: 'NOT_ENOUGH_DATA',
    });

    const probe = new SubscriptionProbe<{
      leadScoreChanged: { leadId: string; score: number; reason: string };
    }>(sut.wsUrl, 'subscription { leadScoreChanged { leadId score reason } }', bearer(admin));
    try {
      await waitForRedisSubscriber(
        sut.config.redis.url,
        eventBusChannel(namespace.redisPrefix, LEAD_SCORE_CHANGED_TOPIC),
      );
      const set = await override(manager, {
        leadId: 'O-COLD',
        score: 95,
        reason: '  Asked for a quote  ',
      });
      expect(set.errors).toBeUndefined();
      expect(set.data!.overrideScore).toMatchObject({
        score: 95,
        tier: 'HOT',
        modelScore: cold.modelScore,
        override: {
          score: 95,
          reason: 'Asked for a quote',
          setBy: manager.userId,
          expiresAt: null,
        },
      });
      await probe.waitFor(
        (e) =>
          e.leadScoreChanged.leadId === 'O-COLD' && e.leadScoreChanged.reason === 'OVERRIDE_SET',
      );
    } finally {
      await probe.close();
    }

    // The ranked list from the Redis index, and from MongoDB (a status filter), both by the override.
    for (const filter of ['', ', filter: { status: "NEW" }']) {
      const items = await ranked(filter);
      expect(items[0]).toMatchObject({ leadId: 'O-COLD', score: 95, tier: 'HOT' });
    }
    // minScore filters on the shown score too.
    expect((await ranked(', filter: { minScore: 90 }')).map((i) => i.leadId)).toEqual(['O-COLD']);

    const entries = await history(cold.id);
    expect(entries[0]).toMatchObject({
      reason: 'OVERRIDE_SET',
      score: 95,
      previousScore: cold.score,
      modelScore: cold.modelScore,
    });
    const [event] = await audit('SCORE_OVERRIDE_SET');
    expect(event).toMatchObject({ actorId: manager.userId, targetId: cold.id });
    expect(event.details).toMatchObject({
      leadId: 'O-COLD',
      override: 95,
      reason: 'Asked for a quote',
    });

    // The model keeps scoring beneath it.
    await recordInteractions(sut.url, admin, [
      makeInteraction({ leadId: 'O-COLD', type: 'WEBSITE_VISIT', secondsSpent: 600 }),
    ]);
    const after = await lead(cold.id);
    expect(after.score).toBe(95);
    expect(after.modelScore).toBeGreaterThan(cold.modelScore);
    const breakdown = await gql<{ lead: { breakdown: { terms: { contribution: number }[] } } }>(
      sut.url,
      'query($id: ID!) { lead(id: $id) { breakdown { terms { contribution } } } }',
      { variables: { id: cold.id }, headers: bearer(admin) },
    );
    const sum = breakdown.data!.lead.breakdown.terms.reduce((t, term) => t + term.contribution, 0);
    expect(sum).toBeCloseTo(after.modelScore, 2);

    // Cleared: the model's score again, everywhere.
    const cleared = await clear(admin, 'O-COLD');
    expect(cleared.errors).toBeUndefined();
    expect(cleared.data!.clearOverride).toMatchObject({ override: null, score: after.modelScore });
    const relisted = await ranked();
    expect(relisted.find((i) => i.leadId === 'O-COLD')).toMatchObject({
      score: after.modelScore,
      override: null,
    });
    expect(relisted.map((i) => i.score)).toEqual(
      [...relisted.map((i) => i.score)].sort((a, b) => b - a),
    );
    expect((await history(cold.id))[0]).toMatchObject({
      reason: 'OVERRIDE_CLEARED',
      previousScore: 95,
    });
    expect(await audit('SCORE_OVERRIDE_CLEARED')).toEqual([
      expect.objectContaining({ actorId: admin.userId, targetId: cold.id }),
    ]);
    // Clearing again changes and records nothing.
    expect((await clear(admin, 'O-COLD')).data!.clearOverride.override).toBeNull();
    expect(await audit('SCORE_OVERRIDE_CLEARED')).toHaveLength(1);
  });

  it('expires on read at its time: never shown after, recorded once', async () => {
    const expiresAt = new Date(Date.now() + 1_500).toISOString();
    const set = await override(manager, {
      leadId: 'O-EXP',
      score: 80,
      reason: 'trade fair',
      expiresAt,
    });
    expect(set.data!.overrideScore.override).toMatchObject({ score: 80, expiresAt });
    const id = set.data!.overrideScore.id;
    expect((await ranked()).find((i) => i.leadId === 'O-EXP')!.score).toBe(80);
    await new Promise((resolve) => setTimeout(resolve, 1_700));

    const items = await ranked();
    const shown = items.find((i) => i.leadId === 'O-EXP')!;
    expect(shown).toMatchObject({ override: null, score: shown.modelScore });
    expect(items.map((i) => i.score)).toEqual([...items.map((i) => i.score)].sort((a, b) => b - a));
    expect(await storedScores().findOne({ _id: new Types.ObjectId(id) })).not.toHaveProperty(
      'override',
    );
    expect((await history(id))[0]).toMatchObject({ reason: 'OVERRIDE_EXPIRED', previousScore: 80 });
    await lead(id);
    const expired = await audit('SCORE_OVERRIDE_EXPIRED');
    expect(expired.filter((e) => e.targetId === id)).toEqual([
      expect.objectContaining({ actorId: null }),
    ]);
  });

  it('is expired by the sweep with nobody reading', async () => {
    const set = await override(admin, {
      leadId: 'O-SWEEP',
      score: 70,
      reason: 'call back',
      expiresAt: new Date(Date.now() + 1_000).toISOString(),
    });
    const id = set.data!.overrideScore.id;
    await new Promise((resolve) => setTimeout(resolve, 1_200));
    expect(await sut.app.get(ScoreOverrideSweeper).sweep()).toBeGreaterThanOrEqual(1);
    const stored = await storedScores().findOne({ _id: new Types.ObjectId(id) });
    expect(stored).not.toHaveProperty('override');
    expect(stored!.score).toBe(stored!.modelScore);
    expect((await audit('SCORE_OVERRIDE_EXPIRED')).some((e) => e.targetId === id)).toBe(true);
  });

  it('keeps an expiry entry per timed override, which the sweep reads instead of the scores', async () => {
    const sweeper = sut.app.get(ScoreOverrideSweeper);
    const at = (ms: number) => new Date(Date.now() + ms);
    const entry = async (id: Types.ObjectId) =>
      (await expiries().findOne({ _id: id }))?.expiresAt as Date | undefined;
    // A timed override records its expiry beside the score, by the score's id.
    const first = at(60_000);
    const soon = await override(admin, {
      leadId: 'O-ENTRY',
      score: 65,
      reason: 'event',
      expiresAt: first.toISOString(),
    });
    const id = new Types.ObjectId(soon.data!.overrideScore.id);
    expect(await entry(id)).toEqual(first);
    // Set again with a later expiry: the entry keeps the earlier one (never later than the score's
    // override, whichever set lands last); when due, the sweep moves it to the score's expiry.
    const later = at(90_000);
    await override(admin, {
      leadId: 'O-ENTRY',
      score: 66,
      reason: 'later',
      expiresAt: later.toISOString(),
    });
    expect(await entry(id)).toEqual(first);
    expect(await sweeper.sweep(at(70_000))).toBe(0);
    expect(await entry(id)).toEqual(later);
    // Set again without an expiry: when due, the entry is dropped and the override kept.
    await override(admin, { leadId: 'O-ENTRY', score: 67, reason: 'kept' });
    expect(await sweeper.sweep(at(120_000))).toBe(0);
    expect(await entry(id)).toBeUndefined();
    expect((await lead(id.toHexString())).override).toMatchObject({ score: 67, expiresAt: null });
    // An entry whose score's override was cleared is dropped too, and nothing is written.
    await override(admin, {
      leadId: 'O-ENTRY',
      score: 68,
      reason: 'again',
      expiresAt: at(60_000).toISOString(),
    });
    await clear(admin, 'O-ENTRY');
    const expiredBefore = (await audit('SCORE_OVERRIDE_EXPIRED')).length;
    expect(await sweeper.sweep(at(120_000))).toBe(0);
    expect(await entry(id)).toBeUndefined();
    expect(await audit('SCORE_OVERRIDE_EXPIRED')).toHaveLength(expiredBefore);
    // A lapsed one: expired by one sweep, its entry dropped by the next (which reads it expired).
    await override(admin, {
      leadId: 'O-ENTRY',
      score: 69,
      reason: 'last',
      expiresAt: at(60_000).toISOString(),
    });
    expect(await sweeper.sweep(at(120_000))).toBe(1);
    expect(await storedScores().findOne({ _id: id })).not.toHaveProperty('override');
    expect(await entry(id)).toBeDefined();
    expect(await sweeper.sweep(at(120_000))).toBe(0);
    expect(await entry(id)).toBeUndefined();
  });

  it('copies the timed overrides set before entries were kept, and expires them', async () => {
    const set = await override(admin, {
      leadId: 'O-OLD',
      score: 75,
      reason: 'before the upgrade',
      expiresAt: new Date(Date.now() + 1_000).toISOString(),
    });
    const id = new Types.ObjectId(set.data!.overrideScore.id);
    // As a deployment without entries left it: the override only in the score, no marker.
    await expiries().deleteMany({ _id: { $in: [id, EXPIRY_BACKFILL_MARKER] } });
    // A process that has not copied yet (a fresh worker after the upgrade).
    const fresh = await startTestApp({ namespace });
    try {
      await new Promise((resolve) => setTimeout(resolve, 1_200));
      expect(await fresh.app.get(ScoreOverrideSweeper).sweep()).toBeGreaterThanOrEqual(1);
      expect(await storedScores().findOne({ _id: id })).not.toHaveProperty('override');
      // The first of two passes (the second an hour later, past a rolling upgrade).
      expect(await expiries().findOne({ _id: EXPIRY_BACKFILL_MARKER })).toMatchObject({
        backfilledAt: expect.any(Date),
        passes: 1,
      });
      await fresh.app.get(ScoreOverrideSweeper).sweep();
      expect(await expiries().findOne({ _id: id })).toBeNull();
      await fresh.app.get(ScoreOverrideSweeper).sweep(new Date(Date.now() + 61 * 60_000));
      expect(await expiries().findOne({ _id: EXPIRY_BACKFILL_MARKER })).toMatchObject({
        passes: 2,
      });
    } finally {
      await fresh.close();
    }
  });

  it('refuses bad input with a code, and writes nothing', async () => {
    const valid = { leadId: 'O-HOT', score: 50, reason: 'why not' };
    const setBefore = (await audit('SCORE_OVERRIDE_SET')).length;
    const cases: [Partial<typeof valid> & { expiresAt?: string }, string, string][] = [
      [{ score: 101 }, 'BAD_USER_INPUT', 'score'],
      [{ score: -1 }, 'BAD_USER_INPUT', 'score'],
      [{ reason: '' }, 'BAD_USER_INPUT', 'reason'],
      [{ reason: '   ' }, 'BAD_USER_INPUT', 'reason'],
      [{ reason: 'x'.repeat(501) }, 'BAD_USER_INPUT', 'reason'],
      [{ expiresAt: new Date(Date.now() - 60_000).toISOString() }, 'BAD_USER_INPUT', 'expiresAt'],
    ];
    for (const [change, code, path] of cases) {
      const answer = await override(manager, { ...valid, ...change });
      expect({ change, code: answer.errors?.[0]?.extensions?.code }).toEqual({ change, code });
      const fields = answer.errors![0].extensions!.fields as { path: string }[];
      expect(fields.map((f) => f.path.replace(/^input\./, ''))).toContain(path);
    }
    expect(
      (await override(manager, { ...valid, leadId: 'NOPE' })).errors?.[0]?.extensions?.code,
    ).toBe('NOT_FOUND');
    expect(
      (await override(manager, { ...valid, leadId: 'O-OTHER' })).errors?.[0]?.extensions?.code,
    ).toBe('NOT_FOUND');
    expect((await clear(manager, 'O-OTHER')).errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
    expect((await override(rep, valid)).errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    expect((await clear(rep, 'O-HOT')).errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    const untouched = await storedScores().findOne({ leadId: 'O-HOT' });
    expect(untouched).not.toHaveProperty('override');
    expect(await audit('SCORE_OVERRIDE_SET')).toHaveLength(setBefore);
  });

  describe('REST v1', () => {
    const put = (session: Session, leadId: string, body: object) =>
      request(sut.url).put(`/api/v1/leads/${leadId}/override`).set(bearer(session)).send(body);
    const del = (session: Session, leadId: string) =>
      request(sut.url).delete(`/api/v1/leads/${leadId}/override`).set(bearer(session));

    it('sets, shows and clears it; GET score and batch-score carry it', async () => {
      const expiresAt = new Date(Date.now() + 3_600_000).toISOString();
      const set = await put(manager, 'O-REST', { score: 66, reason: 'demo booked', expiresAt });
      expect(set.status).toBe(200);
      expect(set.body).toMatchObject({
        leadId: 'O-REST',
        score: 66,
        tier: 'WARM',
        override: { score: 66, reason: 'demo booked', setBy: manager.userId, expiresAt },
        trend: 'NOT_ENOUGH_DATA',
      });
      const got = await v1(sut, admin).get('/leads/O-REST/score');
      expect(got.body).toMatchObject({ score: 66, override: { score: 66 } });
      expect(typeof got.body.modelScore).toBe('number');
      const batch = await v1(sut, admin).post('/ml/batch-score', { leadIds: ['O-REST', 'O-HOT'] });
      expect(batch.body.scored).toEqual([
        expect.objectContaining({
          leadId: 'O-REST',
          score: 66,
          override: expect.objectContaining({ score: 66 }),
        }),
        expect.objectContaining({ leadId: 'O-HOT', override: null }),
      ]);
      const one = await v1(sut, admin).post('/ml/score-lead', {
        leadId: 'O-REST',
        includeInsight: false,
      });
      expect(one.body).toMatchObject({ score: 66, override: { reason: 'demo booked' } });

      const cleared = await del(admin, 'O-REST');
      expect(cleared.status).toBe(200);
      expect(cleared.body).toMatchObject({ override: null });
      expect(cleared.body.score).toBe(cleared.body.modelScore);
    });

    it('answers 400, 403 and 404 as documented', async () => {
      const bad = await put(manager, 'O-REST', { score: 120, reason: '' });
      expect(bad.status).toBe(400);
      expect((bad.body as V1Error).error.code).toBe('BAD_USER_INPUT');
      expect((bad.body as V1Error).error.fields!.map((f) => f.path).sort()).toEqual([
        'reason',
        'score',
      ]);
      const past = await put(manager, 'O-REST', {
        score: 10,
        reason: 'x',
        expiresAt: '2001-01-01T00:00:00Z',
      });
      expect(past.status).toBe(400);
      expect((past.body as V1Error).error.fields).toEqual([
        expect.objectContaining({ path: 'expiresAt' }),
      ]);
      expect((await put(rep, 'O-REST', { score: 10, reason: 'x' })).status).toBe(403);
      expect((await del(rep, 'O-REST')).status).toBe(403);
      expect((await put(manager, 'O-OTHER', { score: 10, reason: 'x' })).status).toBe(404);
      expect((await del(manager, 'NOPE')).status).toBe(404);
    });
  });
});
