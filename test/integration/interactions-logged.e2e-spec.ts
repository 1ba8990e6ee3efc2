import { getConnectionToken } from '@nestjs/mongoose';
import Redis from 'ioredis';
import { Connection } from 'mongoose';

import { REDIS_CLIENT } from '@/common/redis/redis.constants';
import { InteractionApplyService } from '@/leads/interaction-apply.service';
import { InteractionBacklog } from '@/leads/interaction-backlog.service';
import { interactionIdFor } from '@/leads/interactions.repository';
import { leadRefFor } from '@/leads/lead-snapshot.util';
import { rankingKeys } from '@/scoring/ranking/ranking-keys';
import { ScoreChangeReason } from '@/scoring/schemas/score-history.schema';
import { ScoreRankingIndex } from '@/scoring/ranking/score-ranking.index';
import { bearer, createUserSession, registerTenant, Session } from '@test/utils/auth';
import { gql } from '@test/utils/graphql-client';
import { InteractionSpec, makeInteraction, makeLead, upsertLeads } from '@test/utils/leads';
import { useTestApp } from '@test/utils/test-app';

const RECORD =
  'mutation($input: RecordInteractionsInput!) { recordInteractions(input: $input) { accepted duplicates leadsRescored queued } }';

interface Recorded {
  accepted: number;
  duplicates: number;
  leadsRescored: number;
  queued: number;
}

/** `recordInteractions` answered once the events are logged, their deltas applied after. */
describe('recordInteractions acknowledged LOGGED', () => {
  const sut = useTestApp();
  let admin: Session;
  let db: Connection;

  beforeAll(async () => {
    admin = await registerTenant(sut.url);
    db = sut.app.get<Connection>(getConnectionToken());
  });

  function record(session: Session, interactions: InteractionSpec[], acknowledge = 'LOGGED') {
    return gql<{ recordInteractions: Recorded }>(sut.url, RECORD, {
      variables: { input: { interactions, acknowledge } },
      headers: bearer(session),
    });
  }

  async function engagement(session: Session, leadId: string) {
    const response = await gql<{
      lead: { score: number; engagement: { emailOpens: number; websiteVisits: number } };
    }>(
      sut.url,
      'query($id: ID!) { lead(id: $id) { score engagement { emailOpens websiteVisits } } }',
      {
        variables: { id: leadRefFor(session.tenantId, leadId).toHexString() },
        headers: bearer(session),
      },
    );
    if (!response.data) throw new Error(JSON.stringify(response.errors));
    return response.data.lead;
  }

  const receipts = (ids: string[], tenantId = admin.tenantId) =>
    db
      .collection('interactionReceipts')
      .countDocuments({ _id: { $in: ids.map((key) => interactionIdFor(tenantId, key)) } });

  /** How many of these keys' events the log holds. */
  const logged = (keys: string[], tenantId = admin.tenantId) =>
    db
      .collection('interactions')
      .countDocuments({ _id: { $in: keys.map((key) => interactionIdFor(tenantId, key)) } });

  it('answers once the events are stored, then applies and rescores them', async () => {
    await upsertLeads(sut.url, admin, [
      makeLead({ leadId: 'LOG-1' }),
      makeLead({ leadId: 'LOG-2' }),
    ]);
    const before = await engagement(admin, 'LOG-1');
    const events = [
      makeInteraction({ leadId: 'LOG-1', type: 'EMAIL_OPEN' }),
      makeInteraction({ leadId: 'LOG-1', type: 'EMAIL_OPEN' }),
      makeInteraction({ leadId: 'LOG-2', type: 'WEBSITE_VISIT', secondsSpent: 120 }),
    ];
    const answer = await record(admin, events);
    expect(answer.data?.recordInteractions).toEqual({
      accepted: 3,
      duplicates: 0,
      leadsRescored: 0,
      queued: 3,
    });
    // In the log at the answer, whatever the apply has done yet.
    const keys = events.map((event) => event.idempotencyKey);
    expect(await logged(keys)).toBe(3);

    await sut.app.get(InteractionBacklog).flush();
    const after = await engagement(admin, 'LOG-1');
    expect(after.engagement.emailOpens).toBe(before.engagement.emailOpens + 2);
    expect(after.score).toBeGreaterThan(before.score);
    expect((await engagement(admin, 'LOG-2')).engagement.websiteVisits).toBe(1);
    expect(await receipts(keys)).toBe(3);
    expect(sut.app.get(InteractionBacklog).size).toBe(0);
  });

  it('counts a key once, whether its first delivery is still queued or applied', async () => {
    await upsertLeads(sut.url, admin, [makeLead({ leadId: 'LOG-3' })]);
    const event = makeInteraction({ leadId: 'LOG-3', type: 'EMAIL_OPEN' });
    expect((await record(admin, [event])).data?.recordInteractions).toMatchObject({
      accepted: 1,
      queued: 1,
    });
    // Maybe still queued: a repeat is a duplicate, and finishing it twice adds it once.
    expect((await record(admin, [event])).data?.recordInteractions).toMatchObject({
      accepted: 0,
      duplicates: 1,
      leadsRescored: 0,
    });
    await sut.app.get(InteractionBacklog).flush();
    expect((await engagement(admin, 'LOG-3')).engagement.emailOpens).toBe(1);
    // Applied by now: nothing left to queue, and an APPLIED repeat agrees.
    expect((await record(admin, [event])).data?.recordInteractions).toEqual({
      accepted: 0,
      duplicates: 1,
      leadsRescored: 0,
      queued: 0,
    });
    expect((await record(admin, [event], 'APPLIED')).data?.recordInteractions).toEqual({
      accepted: 0,
      duplicates: 1,
      leadsRescored: 0,
      queued: 0,
    });
    expect((await engagement(admin, 'LOG-3')).engagement.emailOpens).toBe(1);
  });

  it('refuses leads the caller cannot reach before storing anything', async () => {
    const other = await registerTenant(sut.url);
    await upsertLeads(sut.url, other, [makeLead({ leadId: 'THEIRS-1' })]);
    const rep = await createUserSession(sut.url, admin, 'REP');
    await upsertLeads(sut.url, admin, [
      makeLead({ leadId: 'REP-OWN', ownerId: rep.userId }),
      makeLead({ leadId: 'REP-NOT' }),
    ]);
    const events = [
      makeInteraction({ leadId: 'LOG-1' }),
      makeInteraction({ leadId: 'NOBODY' }),
      makeInteraction({ leadId: 'THEIRS-1' }),
    ];
    const refused = await record(admin, events);
    expect(refused.errors?.[0]?.extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      fields: [
        { path: 'interactions.1.leadId', messages: ['no lead NOBODY that you can reach'] },
        { path: 'interactions.2.leadId', messages: ['no lead THEIRS-1 that you can reach'] },
      ],
    });
    expect(
      await db.collection('interactions').countDocuments({
        _id: { $in: events.map((e) => interactionIdFor(admin.tenantId, e.idempotencyKey)) },
      }),
    ).toBe(0);

    // A rep reaches their own leads only.
    const repRefused = await record(rep, [makeInteraction({ leadId: 'REP-NOT' })]);
    expect(repRefused.errors?.[0]?.extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      fields: [{ path: 'interactions.0.leadId' }],
    });
    const own = makeInteraction({ leadId: 'REP-OWN' });
    expect((await record(rep, [own])).data?.recordInteractions).toMatchObject({
      accepted: 1,
      queued: 1,
    });
    await sut.app.get(InteractionBacklog).flush();
    expect(await receipts([own.idempotencyKey])).toBe(1);
  });

  it('asks MongoDB about leads the ranking index does not hold', async () => {
    const tenant = await registerTenant(sut.url);
    await upsertLeads(sut.url, tenant, [makeLead({ leadId: 'IDX-1' })]);
    // The index's rows gone (flushed, never built): existence is read from MongoDB.
    const index = sut.app.get(ScoreRankingIndex);
    const redis = sut.app.get<Redis>(REDIS_CLIENT);
    await redis.del(rankingKeys(index.base(tenant.tenantId)).docs);
    const event = makeInteraction({ leadId: 'IDX-1' });
    expect((await record(tenant, [event])).data?.recordInteractions).toMatchObject({
      accepted: 1,
      queued: 1,
    });
    const unknown = await record(tenant, [makeInteraction({ leadId: 'IDX-2' })]);
    expect(unknown.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    await sut.app.get(InteractionBacklog).flush();
    expect(await receipts([event.idempotencyKey], tenant.tenantId)).toBe(1);
  });

  it('leaves the events of a lead not found without a receipt, and says so', async () => {
    const ghost = leadRefFor(admin.tenantId, 'GONE-1');
    const known = leadRefFor(admin.tenantId, 'LOG-2');
    const event = (key: string, leadRef: typeof ghost) => ({
      _id: interactionIdFor(admin.tenantId, key),
      leadRef,
      emailOpen: 1,
      visit: 0,
      secondsSpent: 0,
      occurredAt: new Date(),
    });
    const result = await sut.app
      .get(InteractionApplyService)
      .applyEvents(
        admin.tenantId,
        [event('ghost-1', ghost), event('known-1', known)],
        ScoreChangeReason.INTERACTION,
      );
    expect(result).toMatchObject({ applied: 1, leadsRescored: 1, leadMissing: 1 });
    expect(await receipts(['ghost-1', 'known-1'])).toBe(1);
    expect(await receipts(['known-1'])).toBe(1);
  });

  it('validates the items as APPLIED calls do, with the same messages', async () => {
    const bad = [
      makeInteraction({ leadId: 'LOG-1', secondsSpent: -5, type: 'WEBSITE_VISIT' }),
      makeInteraction({ leadId: ' ' }),
    ];
    const logged = await record(admin, bad);
    const applied = await record(admin, bad, 'APPLIED');
    expect(logged.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(logged.errors?.[0]?.extensions?.fields).toEqual(applied.errors?.[0]?.extensions?.fields);
    expect(
      (logged.errors?.[0]?.extensions?.fields as { path: string }[]).map((f) => f.path),
    ).toEqual(['interactions.0.secondsSpent', 'interactions.1.leadId']);
  });

  it('stores a large call whole, counting repeats (sent before or twice in it) once', async () => {
    const leads = ['CHUNK-1', 'CHUNK-2', 'CHUNK-3'];
    await upsertLeads(
      sut.url,
      admin,
      leads.map((leadId) => makeLead({ leadId })),
    );
    // 700 events, spread over three leads.
    const events = Array.from({ length: 700 }, (_, i) =>
      makeInteraction({ leadId: leads[i % 3], type: 'WEBSITE_VISIT', secondsSpent: 1 }),
    );
    // Repeats of events at the start and the end of the call, one of them sent twice in it.
    const before = [...events.slice(0, 5), ...events.slice(690, 700)];
    expect((await record(admin, before)).data?.recordInteractions).toMatchObject({
      accepted: 15,
      queued: 15,
    });
    const answer = await record(admin, [...events, events[695]]);
    expect(answer.data?.recordInteractions).toMatchObject({
      accepted: 685,
      duplicates: 16,
    });
    const keys = events.map((event) => event.idempotencyKey);
    expect(await logged(keys)).toBe(700);
    await sut.app.get(InteractionBacklog).flush();
    expect(await receipts(keys)).toBe(700);
    const visits = await Promise.all(leads.map((leadId) => engagement(admin, leadId)));
    expect(visits.map((lead) => lead.engagement.websiteVisits)).toEqual([234, 233, 233]);
  });

  it('reports its backlog and what it applied in /metrics', async () => {
    const text = await (await fetch(`${sut.url}/metrics`)).text();
    expect(text).toMatch(/^leadscoring_interactions_backlog\{[^}]*\} 0$/m);
    expect(text).toMatch(
      /^leadscoring_interactions_backlog_events_total\{[^}]*outcome="applied"[^}]*\} [1-9]\d*$/m,
    );
    expect(text).toMatch(/^leadscoring_interactions_apply_lag_seconds_count\{[^}]*\} [1-9]\d*$/m);
  });
});
