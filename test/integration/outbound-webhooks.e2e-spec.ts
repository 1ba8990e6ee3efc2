import request from 'supertest';

import { bearer, registerTenant, Session } from '@test/utils/auth';
import { gql } from '@test/utils/graphql-client';
import { makeInteraction, makeLead, recordInteractions, upsertLeads } from '@test/utils/leads';
import { Scrape } from '@test/utils/metrics';
import { useTestApp } from '@test/utils/test-app';
import { WebhookReceiver } from '@test/utils/webhook-receiver';
import {
  createdWebhook,
  DeliveryView,
  FAST_RETRY_ENV,
  sleep,
  verified,
  waitForDeliveries,
  webhookAction,
  webhookState,
} from '@test/utils/webhooks';

/**
 * Delivery against a local receiver: signatures a customer verifies, the delivery log, retries
 * with backoff, dead letters at the end of the (shortened) retry window, automatic pause,
 * redelivery, and pausing.
 */
describe('outbound webhooks: signed deliveries, retries, dead letters', () => {
  const receiver = new WebhookReceiver();
  const sut = useTestApp({ env: FAST_RETRY_ENV });

  beforeAll(() => receiver.start());

  afterAll(() => receiver.stop());

  function redeliver(session: Session, id: string) {
    return gql<{ redeliverWebhookDelivery: DeliveryView }>(
      sut.url,
      'mutation($id: ID!) { redeliverWebhookDelivery(id: $id) { id status attempts redeliveries } }',
      { variables: { id }, headers: bearer(session) },
    );
  }

  it('signs each delivery as inbound deliveries are signed, and logs it', async () => {
    const admin = await registerTenant(sut.url);
    const { webhook, secret } = await createdWebhook(sut.url, admin, {
      url: receiver.url('/signed'),
      events: ['LEAD_SCORE_CHANGED'],
    });
    expect(secret).toMatch(/^whsec_/);

    await upsertLeads(sut.url, admin, [makeLead({ leadId: 'S-1' })]);

    const [delivery] = await receiver.waitFor('/signed');
    expect(verified(delivery, secret)).toBe(true);
    expect(verified(delivery, 'whsec_someone-else')).toBe(false);
    expect(verified({ ...delivery, body: delivery.body.replace('S-1', 'S-2') }, secret)).toBe(
      false,
    );
    expect(delivery.headers).toMatchObject({
      'content-type': 'application/json',
      'x-webhook-event': 'lead.score_changed',
      'x-webhook-id': delivery.json.id,
      'x-webhook-attempt': '1',
      'user-agent': expect.stringMatching(/^LeadScoring-Webhooks\//),
    });
    expect(delivery.headers['x-webhook-signature']).toMatch(/^sha256=[0-9a-f]{64}$/);
    expect(delivery.json).toEqual({
      id: expect.stringMatching(/^evt_[0-9a-f]{32}$/),
      type: 'lead.score_changed',
      createdAt: expect.any(String),
      tenantId: admin.tenantId,
      data: expect.objectContaining({
        leadId: 'S-1',
        score: 0,
        previousScore: null,
        tier: 'COLD',
        previousTier: null,
      }),
    });

    const [logged] = await waitForDeliveries(sut.url, admin, webhook.id, (log) =>
      log.some((entry) => entry.status === 'SUCCEEDED'),
    );
    expect(logged).toMatchObject({
      id: delivery.headers['x-webhook-delivery'],
      eventId: delivery.json.id,
      eventType: 'LEAD_SCORE_CHANGED',
      attempts: 1,
      lastStatusCode: 200,
      payload: delivery.body,
      history: [{ statusCode: 200, error: null }],
    });
    expect(await webhookState(sut.url, admin, webhook.id)).toMatchObject({
      delivered: 1,
      failedAttempts: 0,
      lastStatusCode: 200,
    });
  });

  it('retries a failing receiver with growing waits until it answers 2xx, the same event each time', async () => {
    const admin = await registerTenant(sut.url);
    receiver.script('/flaky', { status: 500 }, { status: 502, body: 'bad gateway' });
    const { webhook, secret } = await createdWebhook(sut.url, admin, {
      url: receiver.url('/flaky'),
      events: ['LEAD_SCORE_CHANGED'],
    });

    await upsertLeads(sut.url, admin, [makeLead({ leadId: 'R-1' })]);

    const attempts = await receiver.waitFor('/flaky', 3);
    expect(attempts.map((a) => a.headers['x-webhook-attempt'])).toEqual(['1', '2', '3']);
    expect(new Set(attempts.map((a) => a.body)).size).toBe(1);
    expect(new Set(attempts.map((a) => a.headers['x-webhook-delivery'])).size).toBe(1);
    expect(attempts.every((attempt) => verified(attempt, secret))).toBe(true);
    // Retry 1 waits 50–100 ms, retry 2 waits 100–200 ms (base 100 ms, equal jitter).
    expect(attempts[1].at - attempts[0].at).toBeGreaterThanOrEqual(45);
    expect(attempts[2].at - attempts[1].at).toBeGreaterThanOrEqual(95);
    const [logged] = await waitForDeliveries(
      sut.url,
      admin,
      webhook.id,
      (log) => log[0]?.status === 'SUCCEEDED',
    );
    expect(logged).toMatchObject({ attempts: 3, lastStatusCode: 200, nextAttemptAt: null });
    expect(logged.history.map((h) => h.statusCode)).toEqual([500, 502, 200]);
    expect(logged.history[1].error).toBe('answered 502');
    expect(await webhookState(sut.url, admin, webhook.id)).toMatchObject({
      delivered: 1,
      failedAttempts: 2,
    });
  });

  it('dead-letters after the retry window, pauses a webhook that keeps failing, and sends a dead letter again', async () => {
    const admin = await registerTenant(sut.url);
    receiver.always('/down', { status: 503, body: 'maintenance' });
    const { webhook } = await createdWebhook(sut.url, admin, {
      url: receiver.url('/down'),
      events: ['LEAD_SCORE_CHANGED'],
    });

    await upsertLeads(
      sut.url,
      admin,
      ['D-1', 'D-2', 'D-3'].map((leadId) => makeLead({ leadId })),
    );

    const dead = await waitForDeliveries(
      sut.url,
      admin,
      webhook.id,
      (log) => log.length === 3 && log.every((entry) => entry.status === 'DEAD'),
    );
    for (const entry of dead) {
      expect(entry).toMatchObject({ lastStatusCode: 503, nextAttemptAt: null });
      expect(entry.attempts).toBeGreaterThanOrEqual(4);
      const tries = receiver.on('/down').filter((d) => d.json.id === entry.eventId);
      expect(tries).toHaveLength(entry.attempts);
      // No attempt is scheduled past the 1,500 ms window counted from the first (a busy
      // machine may start one late, hence the slack).
      expect(tries.at(-1)!.at - tries[0].at).toBeLessThan(1_500 + 1_000);
    }
    const paused = await webhookState(sut.url, admin, webhook.id);
    expect(paused).toMatchObject({
      status: 'PAUSED',
      pausedReason: 'FAILING',
      deadLettered: 3,
      consecutiveDeadLetters: 3,
      delivered: 0,
    });
    expect(paused.failedAttempts).toBe(dead.reduce((sum, entry) => sum + entry.attempts, 0));

    // Paused: nothing is sent, and a dead letter cannot be sent again.
    const before = receiver.on('/down').length;
    await recordInteractions(sut.url, admin, [makeInteraction({ leadId: 'D-1' })]);
    expect((await redeliver(admin, dead[0].id)).errors?.[0].extensions?.code).toBe('CONFLICT');
    await sleep(500);
    expect(receiver.on('/down')).toHaveLength(before);

    receiver.always('/down', { status: 204 });
    const resumed = await webhookAction(sut.url, admin, 'resumeWebhook', webhook.id);
    expect(resumed.data?.resumeWebhook).toMatchObject({
      status: 'ACTIVE',
      pausedReason: null,
      consecutiveDeadLetters: 0,
    });
    const again = await redeliver(admin, dead[0].id);
    expect(again.data?.redeliverWebhookDelivery).toMatchObject({
      status: 'PENDING',
      attempts: 0,
      redeliveries: 1,
    });
    const log = await waitForDeliveries(sut.url, admin, webhook.id, (entries) =>
      entries.some((entry) => entry.id === dead[0].id && entry.status === 'SUCCEEDED'),
    );
    expect(log.find((entry) => entry.id === dead[0].id)).toMatchObject({
      attempts: 1,
      redeliveries: 1,
      lastStatusCode: 204,
    });
    const sent = receiver.on('/down').filter((d) => d.json.id === dead[0].eventId);
    expect(sent.at(-1)!.body).toBe(sent[0].body);
    expect((await redeliver(admin, dead[0].id)).errors?.[0].extensions?.code).toBe('CONFLICT');
  });

  it('stops sending while paused: a delivery waiting for its retry is SKIPPED, events are not queued', async () => {
    const admin = await registerTenant(sut.url);
    // Answered after a second: the webhook is paused while its first attempt waits.
    receiver.script('/paused', { status: 503, delayMs: 1_000 });
    const { webhook } = await createdWebhook(sut.url, admin, {
      url: receiver.url('/paused'),
      events: ['LEAD_SCORE_CHANGED'],
    });
    await upsertLeads(sut.url, admin, [makeLead({ leadId: 'P-1' })]);
    await receiver.waitForArrivals('/paused', 1);

    const paused = await webhookAction(sut.url, admin, 'pauseWebhook', webhook.id);
    expect(paused.data?.pauseWebhook).toMatchObject({ status: 'PAUSED', pausedReason: 'MANUAL' });

    const [skipped] = await waitForDeliveries(
      sut.url,
      admin,
      webhook.id,
      (log) => log[0]?.status === 'SKIPPED',
    );
    expect(skipped).toMatchObject({
      attempts: 1,
      nextAttemptAt: null,
      lastError: 'not sent: the webhook was paused',
    });
    await recordInteractions(sut.url, admin, [makeInteraction({ leadId: 'P-1' })]);
    await sleep(600);
    expect(receiver.on('/paused')).toHaveLength(1);

    await webhookAction(sut.url, admin, 'resumeWebhook', webhook.id);
    await recordInteractions(sut.url, admin, [makeInteraction({ leadId: 'P-1' })]);
    const [, next] = await receiver.waitFor('/paused', 2);
    expect(next.json.id).not.toBe(skipped.eventId);
    expect(next.json.data).toMatchObject({ leadId: 'P-1', score: 8 });
  });

  it('counts attempts on /metrics by event type and outcome, without tenant labels', async () => {
    const scrape = await request(sut.url).get('/metrics');
    const metrics = new Scrape(scrape.text);
    const attempts = (outcome: string) =>
      metrics.count('leadscoring_webhook_deliveries_total', {
        event: 'lead.score_changed',
        outcome,
      });

    // The tests above: deliveries (the last one's count may still be on its way), retries, three
    // dead letters, one skipped.
    expect(attempts('delivered')).toBeGreaterThanOrEqual(3);
    expect(attempts('retrying')).toBeGreaterThanOrEqual(3);
    expect(attempts('dead')).toBeGreaterThanOrEqual(3);
    expect(attempts('skipped')).toBeGreaterThanOrEqual(1);
    expect(
      metrics.count('leadscoring_webhook_delivery_duration_seconds_count', {
        event: 'lead.score_changed',
      }),
    ).toBeGreaterThanOrEqual(3);
    expect(scrape.text).not.toMatch(/^leadscoring_webhook_\w+\{[^}]*tenant/m);
  });
});
