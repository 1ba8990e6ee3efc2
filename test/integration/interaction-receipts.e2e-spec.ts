import { getConnectionToken } from '@nestjs/mongoose';
import { Connection, Types } from 'mongoose';

import { interactionIdFor } from '@/leads/interactions.repository';
import {
  InteractionWindows,
  WINDOW_MS,
  windowMarkerId,
  WRITER,
} from '@/leads/interaction-windows.service';
import { windowStart } from '@/leads/interaction-windows.util';
import { leadRefFor } from '@/leads/lead-snapshot.util';
import { MARKER_KEPT_MS, PendingInteractionsSweeper } from '@/leads/pending-interactions.sweeper';
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
describe('interaction receipts and the sweeper', () => {
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

  /** The marker a writer stores before the events of a window (InteractionWindows.open). */
  async function markWindow(receivedAt: Date, writer = 'dead-writer'): Promise<void> {
    const from = windowStart(receivedAt.getTime(), WINDOW_MS);
    await db
      .collection('interactionWindows')
      .updateOne(
        { _id: windowMarkerId(writer, from) },
        { $setOnInsert: { writer, from: new Date(from), until: new Date(from + WINDOW_MS) } },
        { upsert: true },
      );
  }

  /**
   * What a request that died between storing and applying leaves: its window's marker, the
   * event, and no receipt.
   */
  async function storeUnapplied(
    leadId: string,
    key: string,
    event: { type: string; occurredAt: Date; receivedAt: Date } & Partial<
      Record<'emailOpen' | 'visit' | 'secondsSpent', number>
    >,
  ): Promise<void> {
    await markWindow(event.receivedAt);
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

  it("finishes, once, on the client's retry an event whose first delivery died after storing it", async () => {
    await upsertLeads(sut.url, admin, [makeLead({ leadId: 'DW-0' })]);
    const before = await engagement('DW-0');
    const occurredAt = new Date(Date.now() - 3_600_000);
    const key = 'died-before-apply';
    await storeUnapplied('DW-0', key, {
      type: 'WEBSITE_VISIT',
      occurredAt,
      visit: 1,
      secondsSpent: 120,
      receivedAt: new Date(),
    });
    const retry = () =>
      recordInteractions(sut.url, admin, [
        {
          leadId: 'DW-0',
          type: 'WEBSITE_VISIT',
          secondsSpent: 120,
          occurredAt: occurredAt.toISOString(),
          idempotencyKey: key,
        },
      ]);

    // A duplicate, as the event is stored; but its delta is in the lead when the answer says so.
    expect((await retry()).data?.recordInteractions).toMatchObject({ accepted: 0, duplicates: 1 });
    const after = await engagement('DW-0');
    expect(after).toMatchObject({
      websiteVisits: before.websiteVisits + 1,
      timeSpentSeconds: before.timeSpentSeconds + 120,
    });
    expect((await retry()).data?.recordInteractions).toMatchObject({ duplicates: 1 });
    expect(await sut.app.get(PendingInteractionsSweeper).sweep()).toBe(0);
    expect(await engagement('DW-0')).toEqual(after);
  });

  it('applies, once, an event whose writer died after storing it', async () => {
    await upsertLeads(sut.url, admin, [makeLead({ leadId: 'DW-1' })]);
    const before = await engagement('DW-1');
    const occurredAt = new Date(Date.now() - 3_600_000);
    // Received 2 minutes ago and never applied.
    await storeUnapplied('DW-1', 'died-after-insert', {
      type: 'WEBSITE_VISIT',
      occurredAt,
      visit: 1,
      secondsSpent: 120,
      receivedAt: new Date(Date.now() - 120_000),
    });

    const sweeper = sut.app.get(PendingInteractionsSweeper);
    expect(await sweeper.sweep()).toBe(1);
    const after = await engagement('DW-1');
    expect(after).toMatchObject({
      websiteVisits: before.websiteVisits + 1,
      timeSpentSeconds: before.timeSpentSeconds + 120,
      lastActivityAt: occurredAt.toISOString(),
    });
    expect(after.score).toBeGreaterThan(before.score);

    // Receipted now: a second sweep (another worker, a minute later) adds nothing.
    expect(await sweeper.sweep()).toBe(0);
    expect(await engagement('DW-1')).toEqual(after);
  });

  it('adds nothing for an event whose writer died after its lead was updated, before the receipt', async () => {
    await upsertLeads(sut.url, admin, [makeLead({ leadId: 'DW-3' })]);
    const event = makeInteraction({ leadId: 'DW-3', type: 'WEBSITE_VISIT', secondsSpent: 45 });
    await recordInteractions(sut.url, admin, [event]);
    const applied = await engagement('DW-3');
    const id = interactionIdFor(admin.tenantId, event.idempotencyKey);
    await db.collection('interactionReceipts').deleteOne({ _id: id });
    const receivedAt = new Date(Date.now() - 120_000);
    await db.collection('interactions').updateOne({ _id: id }, { $set: { receivedAt } });
    await markWindow(receivedAt);

    expect(await sut.app.get(PendingInteractionsSweeper).sweep()).toBe(0);
    expect(await engagement('DW-3')).toEqual(applied);
    expect(await db.collection('interactionReceipts').countDocuments({ _id: id })).toBe(1);
  });

  it('sweeps more than a page of events received in the same millisecond', async () => {
    await upsertLeads(sut.url, admin, [makeLead({ leadId: 'DW-4' })]);
    const receivedAt = new Date(Date.now() - 120_000);
    await markWindow(receivedAt);
    await db.collection('interactions').insertMany(
      Array.from({ length: 1_500 }, (_, i) => ({
        _id: interactionIdFor(admin.tenantId, `same-ms-${i}`),
        tenantId: new Types.ObjectId(admin.tenantId),
        leadRef: leadRefFor(admin.tenantId, 'DW-4'),
        idempotencyKey: `same-ms-${i}`,
        type: 'EMAIL_OPEN',
        occurredAt: receivedAt,
        emailOpen: 1,
        visit: 0,
        secondsSpent: 0,
        metadata: {},
        receivedAt,
      })),
    );

    expect(await sut.app.get(PendingInteractionsSweeper).sweep()).toBe(1_500);
    expect((await engagement('DW-4')).emailOpens).toBe(1_500);
    // Swept, its marker stays while late writes may land, then goes: later sweeps read none of it.
    const marker = windowMarkerId('dead-writer', windowStart(receivedAt.getTime(), WINDOW_MS));
    expect(await db.collection('interactionWindows').countDocuments({ _id: marker })).toBe(1);
    const sweeper = sut.app.get(PendingInteractionsSweeper);
    expect(await sweeper.sweep(new Date(receivedAt.getTime() + MARKER_KEPT_MS + WINDOW_MS))).toBe(
      0,
    );
    expect(await db.collection('interactionWindows').countDocuments({ _id: marker })).toBe(0);
  });

  it('reads no part of the log that no abandoned window covers', async () => {
    await upsertLeads(sut.url, admin, [makeLead({ leadId: 'DW-5' })]);
    // Unapplied, but in no window a writer left open (its writer settled it): not the sweep's.
    await db.collection('interactions').insertOne({
      _id: interactionIdFor(admin.tenantId, 'outside-any-window'),
      tenantId: new Types.ObjectId(admin.tenantId),
      leadRef: leadRefFor(admin.tenantId, 'DW-5'),
      idempotencyKey: 'outside-any-window',
      type: 'EMAIL_OPEN',
      occurredAt: new Date(),
      emailOpen: 1,
      visit: 0,
      secondsSpent: 0,
      metadata: {},
      receivedAt: new Date(Date.now() - 600_000),
    });
    expect(await sut.app.get(PendingInteractionsSweeper).sweep()).toBe(0);
    expect((await engagement('DW-5')).emailOpens).toBe(0);
    // But a worker's first sweep after it starts reads the hour before (a version without markers).
    expect(await sut.app.get(PendingInteractionsSweeper).sweepStartupLookback()).toBe(1);
    expect((await engagement('DW-5')).emailOpens).toBe(1);
  });

  it('removes the marker of a window once it is over and its calls are applied', async () => {
    await upsertLeads(sut.url, admin, [makeLead({ leadId: 'WM-1' })]);
    const windows = sut.app.get(InteractionWindows);
    // The test drives the closing (the service's own, every WINDOW_MS, could close it first).
    windows.onModuleDestroy();
    const sent = Date.now();
    await recordInteractions(sut.url, admin, [makeInteraction({ leadId: 'WM-1' })]);
    const id = interactionIdFor(
      admin.tenantId,
      (await db
        .collection('interactions')
        .findOne({ leadRef: leadRefFor(admin.tenantId, 'WM-1') }))!.idempotencyKey as string,
    );
    const { receivedAt } = (await db.collection('interactions').findOne({ _id: id }))!;
    const from = windowStart((receivedAt as Date).getTime(), WINDOW_MS);
    expect(from).toBeGreaterThanOrEqual(windowStart(sent, WINDOW_MS));
    const marker = { _id: windowMarkerId(WRITER, from) };
    expect(await db.collection('interactionWindows').countDocuments(marker)).toBe(1);
    // A window not over yet keeps its marker; once over, it goes.
    await windows.closeSettled(from + WINDOW_MS - 1);
    expect(await db.collection('interactionWindows').countDocuments(marker)).toBe(1);
    await windows.closeSettled(from + WINDOW_MS);
    expect(await db.collection('interactionWindows').countDocuments(marker)).toBe(0);
  });

  it('leaves recent unapplied events to their writer (it may still be at work)', async () => {
    await upsertLeads(sut.url, admin, [makeLead({ leadId: 'DW-2' })]);
    const key = 'still-at-work';
    await storeUnapplied('DW-2', key, {
      type: 'EMAIL_OPEN',
      occurredAt: new Date(),
      emailOpen: 1,
      receivedAt: new Date(),
    });
    expect(await sut.app.get(PendingInteractionsSweeper).sweep()).toBe(0);
    expect((await engagement('DW-2')).emailOpens).toBe(0);
  });
});
