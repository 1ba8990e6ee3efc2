import { getConnectionToken } from '@nestjs/mongoose';
import { Connection, Types } from 'mongoose';

import { interactionIdFor } from '@/leads/interactions.repository';
import { leadRefFor } from '@/leads/leads.service';
import { PendingInteractionsSweeper } from '@/leads/pending-interactions.sweeper';
import { bearer, registerTenant, Session } from '@test/utils/auth';
import { gql } from '@test/utils/graphql-client';
import { makeInteraction, makeLead, recordInteractions, upsertLeads } from '@test/utils/leads';
import { useTestApp } from '@test/utils/test-app';

interface Engagement {
  emailOpens: number;
  websiteVisits: number;
  timeSpentSeconds: number;
  lastActivityAt: string | null;
}

/** Each event adds to its lead exactly once: retries, concurrent duplicates, dead writers. */
describe('interaction claims and the sweeper', () => {
  const sut = useTestApp();
  let admin: Session;
  let db: Connection;

  beforeAll(async () => {
    admin = await registerTenant(sut.url);
    db = sut.app.get<Connection>(getConnectionToken());
  });

  async function engagement(leadId: string): Promise<Engagement & { score: number }> {
    const id = leadRefFor(admin.tenantId, leadId).toHexString();
    const response = await gql<{
      lead: { score: number; engagement: Engagement };
    }>(
      sut.url,
      'query($id: ID!) { lead(id: $id) { score engagement { emailOpens websiteVisits timeSpentSeconds lastActivityAt } } }',
      { variables: { id }, headers: bearer(admin) },
    );
    if (!response.data) throw new Error(JSON.stringify(response.errors));
    return { ...response.data.lead.engagement, score: response.data.lead.score };
  }

  /** What a request that died between its two writes leaves: the stored event, and no claim. */
  async function storeUnclaimed(
    leadId: string,
    key: string,
    event: { type: string; occurredAt: Date; receivedAt: Date } & Partial<
      Record<'emailOpen' | 'visit' | 'secondsSpent', number>
    >,
  ): Promise<void> {
    await db.collection('interactions').insertOne({
      _id: interactionIdFor(admin.tenantId, key),
      tenantId: new Types.ObjectId(admin.tenantId),
      leadRef: leadRefFor(admin.tenantId, leadId),
      idempotencyKey: key,
      emailOpen: 0,
      visit: 0,
      secondsSpent: 0,
      metadata: {},
      ...event,
    });
  }

  it('counts a batch sent twice at the same moment once', async () => {
    await upsertLeads(sut.url, admin, [makeLead({ leadId: 'CC-1' })]);
    const events = Array.from({ length: 20 }, (_, i) =>
      makeInteraction({
        leadId: 'CC-1',
        type: i % 2 === 0 ? 'EMAIL_OPEN' : 'WEBSITE_VISIT',
        secondsSpent: i % 2 === 0 ? undefined : 30,
      }),
    );
    const [first, second] = (
      await Promise.all([
        recordInteractions(sut.url, admin, events),
        recordInteractions(sut.url, admin, events),
      ])
    ).map((response) => response.data!.recordInteractions);
    expect(first.accepted + second.accepted).toBe(20);
    expect(first.duplicates + second.duplicates).toBe(20);
    expect(await engagement('CC-1')).toMatchObject({
      emailOpens: 10,
      websiteVisits: 10,
      timeSpentSeconds: 300,
    });
  });

  it('applies, once, an event whose writer died after storing it', async () => {
    await upsertLeads(sut.url, admin, [makeLead({ leadId: 'DW-1' })]);
    const before = await engagement('DW-1');
    const occurredAt = new Date(Date.now() - 3_600_000);
    const key = 'died-after-insert';
    // Received 2 minutes ago and never claimed.
    await storeUnclaimed('DW-1', key, {
      type: 'WEBSITE_VISIT',
      occurredAt,
      visit: 1,
      secondsSpent: 120,
      receivedAt: new Date(Date.now() - 120_000),
    });

    // The client's retry is a duplicate: it adds nothing (the event is stored).
    const retry = await recordInteractions(sut.url, admin, [
      {
        leadId: 'DW-1',
        type: 'WEBSITE_VISIT',
        secondsSpent: 120,
        occurredAt: occurredAt.toISOString(),
        idempotencyKey: key,
      },
    ]);
    expect(retry.data?.recordInteractions).toMatchObject({ accepted: 0, duplicates: 1 });
    expect(await engagement('DW-1')).toEqual(before);

    const sweeper = sut.app.get(PendingInteractionsSweeper);
    expect(await sweeper.sweep()).toBe(1);
    const after = await engagement('DW-1');
    expect(after).toMatchObject({
      websiteVisits: before.websiteVisits + 1,
      timeSpentSeconds: before.timeSpentSeconds + 120,
      lastActivityAt: occurredAt.toISOString(),
    });
    expect(after.score).toBeGreaterThan(before.score);

    // Claimed now: a second sweep (another worker, a minute later) adds nothing.
    expect(await sweeper.sweep()).toBe(0);
    expect(await engagement('DW-1')).toEqual(after);
  });

  it('leaves recent unclaimed events to their writer (they may still be at work)', async () => {
    await upsertLeads(sut.url, admin, [makeLead({ leadId: 'DW-2' })]);
    const key = 'still-at-work';
    await storeUnclaimed('DW-2', key, {
      type: 'EMAIL_OPEN',
      occurredAt: new Date(),
      emailOpen: 1,
      receivedAt: new Date(),
    });
    expect(await sut.app.get(PendingInteractionsSweeper).sweep()).toBe(0);
    expect((await engagement('DW-2')).emailOpens).toBe(0);
  });
});
