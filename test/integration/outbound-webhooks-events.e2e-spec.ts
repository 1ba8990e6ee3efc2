import { WebhookDeliveryProducer } from '@/webhooks/jobs/webhook-delivery.producer';
import { WebhookSubscriptionsCache } from '@/webhooks/webhook-subscriptions.cache';
import { bearer, registerTenant } from '@test/utils/auth';
import { gql } from '@test/utils/graphql-client';
import { importCsv } from '@test/utils/imports';
import { makeInteraction, makeLead, recordInteractions, upsertLeads } from '@test/utils/leads';
import { startTestApp, useTestApp } from '@test/utils/test-app';
import { HISTORY_MAPPING, historyCsv, segmentOf } from '@test/utils/training-data';
import { trainedModelId } from '@test/utils/training-jobs';
import { WebhookReceiver } from '@test/utils/webhook-receiver';
import {
  createdWebhook,
  FAST_RETRY_ENV,
  sleep,
  verified,
  waitForDeliveries,
  waitForListeners,
  WEBHOOK_FIELDS,
  WebhookView,
} from '@test/utils/webhooks';

/**
 * Which events reach which webhook: lead filters (minScore, tiers), tier changes only when the
 * tier moves, model deployments, rollbacks and drift; secret rotation; and one delivery per event
 * however many worker processes hear it.
 */
describe('outbound webhooks: events, filters, rotation, several workers', () => {
  const receiver = new WebhookReceiver();
  const sut = useTestApp({ env: FAST_RETRY_ENV });

  beforeAll(() => receiver.start());

  afterAll(() => receiver.stop());

  it('sends lead events that pass minScore and tiers, and tier changes only when the tier moves', async () => {
    const admin = await registerTenant(sut.url);
    const hooks = {
      all: { url: receiver.url('/f-all'), events: ['LEAD_SCORE_CHANGED'] },
      min: { url: receiver.url('/f-min'), events: ['LEAD_SCORE_CHANGED'], minScore: 30 },
      warm: { url: receiver.url('/f-warm'), events: ['LEAD_SCORE_CHANGED'], tiers: ['WARM'] },
      tiers: { url: receiver.url('/f-tiers'), events: ['LEAD_TIER_CHANGED'] },
    };
    for (const input of Object.values(hooks)) await createdWebhook(sut.url, admin, input);

    // 0 (COLD, first score) → 25 (COLD) → 41 (WARM).
    await upsertLeads(sut.url, admin, [makeLead({ leadId: 'F-1' })]);
    await recordInteractions(sut.url, admin, [
      makeInteraction({ leadId: 'F-1', type: 'ACTIVITY', secondsSpent: 600 }),
    ]);
    await recordInteractions(
      sut.url,
      admin,
      Array.from({ length: 4 }, () => makeInteraction({ leadId: 'F-1' })),
    );

    // Deliveries run in parallel: compared in score order.
    const byScore = (path: string) =>
      receiver.on(path).sort((a, b) => Number(a.json.data.score) - Number(b.json.data.score));
    await receiver.waitFor('/f-all', 3);
    await receiver.waitFor('/f-tiers', 2);
    await receiver.waitFor('/f-min', 1);
    await receiver.waitFor('/f-warm', 1);
    // Nothing more comes.
    await sleep(500);
    const all = byScore('/f-all');
    expect(all.map((d) => d.json.data.score)).toEqual([0, 25, 41]);
    expect(receiver.on('/f-min').map((d) => d.json.data.score)).toEqual([41]);
    expect(receiver.on('/f-warm').map((d) => d.json.data.tier)).toEqual(['WARM']);
    const tierChanges = byScore('/f-tiers').map((d) => d.json);
    expect(tierChanges.map((e) => [e.type, e.data.previousTier, e.data.tier])).toEqual([
      ['lead.tier_changed', null, 'COLD'],
      ['lead.tier_changed', 'COLD', 'WARM'],
    ]);
    // The tier event of a score change is its own event (its own id), beside the score event.
    expect(tierChanges[1].id).not.toBe(all[2].json.id);
  });

  it('signs with both secrets during a rotation grace period, then with the new one alone', async () => {
    const admin = await registerTenant(sut.url);
    await upsertLeads(sut.url, admin, [makeLead({ leadId: 'K-1' })]);
    const { webhook, secret: first } = await createdWebhook(sut.url, admin, {
      url: receiver.url('/rotate'),
      events: ['LEAD_SCORE_CHANGED'],
    });
    const rotate = (gracePeriodHours: number) =>
      gql<{
        rotateOutboundWebhookSecret: { secret: string; webhook: WebhookView };
      }>(
        sut.url,
        `mutation($id: ID!, $hours: Int!) { rotateOutboundWebhookSecret(id: $id, gracePeriodHours: $hours) { secret webhook { ${WEBHOOK_FIELDS} } } }`,
        { variables: { id: webhook.id, hours: gracePeriodHours }, headers: bearer(admin) },
      );

    const graced = (await rotate(1)).data!.rotateOutboundWebhookSecret;
    expect(graced.secret).not.toBe(first);
    const expires = Date.parse(graced.webhook.previousSecretExpiresAt!);
    expect(expires - Date.now()).toBeGreaterThan(3_500_000);
    await recordInteractions(sut.url, admin, [makeInteraction({ leadId: 'K-1' })]);
    const [during] = await receiver.waitFor('/rotate', 1);
    expect((during.headers['x-webhook-signature'] as string).split(',')).toHaveLength(2);
    expect(verified(during, graced.secret)).toBe(true);
    expect(verified(during, first)).toBe(true);

    const immediate = (await rotate(0)).data!.rotateOutboundWebhookSecret;
    expect(immediate.webhook.previousSecretExpiresAt).toBeNull();
    await recordInteractions(sut.url, admin, [makeInteraction({ leadId: 'K-1' })]);
    const [, after] = await receiver.waitFor('/rotate', 2);
    expect((after.headers['x-webhook-signature'] as string).split(',')).toHaveLength(1);
    expect(verified(after, immediate.secret)).toBe(true);
    expect(verified(after, graced.secret)).toBe(false);
    expect(verified(after, first)).toBe(false);
  });

  it('tells of model deployments, rollbacks and drift', async () => {
    const tenant = await registerTenant(sut.url);
    const { webhook, secret } = await createdWebhook(sut.url, tenant, {
      url: receiver.url('/models'),
      events: ['MODEL_DEPLOYED', 'MODEL_DRIFT_DETECTED'],
      // Lead filters do not apply to model events.
      minScore: 99,
      tiers: ['HOT'],
    });
    expect(secret).toMatch(/^whsec_/);
    await importCsv(sut.url, tenant, historyCsv(), HISTORY_MAPPING);
    const version = await gql<{ createDatasetVersion: { version: { id: string } } }>(
      sut.url,
      'mutation { createDatasetVersion(input: { name: "history" }) { version { id } } }',
      { headers: bearer(tenant) },
    );
    const modelId = await trainedModelId(
      sut.url,
      tenant,
      version.data!.createDatasetVersion.version.id,
      'LOGISTIC_REGRESSION',
    );

    const deployed = await gql(
      sut.url,
      'mutation($id: ID!) { deployModel(id: $id) { rescoreJobId } }',
      {
        variables: { id: modelId },
        headers: bearer(tenant),
      },
    );
    expect(deployed.errors).toBeUndefined();
    const [deployment] = await receiver.waitFor('/models', 1);
    expect(deployment.json).toMatchObject({
      type: 'model.deployed',
      tenantId: tenant.tenantId,
      data: {
        modelId,
        version: 2,
        modelType: 'LOGISTIC_REGRESSION',
        previousModelId: 'weighted-sum',
        reason: 'MODEL_DEPLOYED',
        deployedBy: tenant.userId,
      },
    });

    // Open leads unlike the training rows: every feature shifts.
    await upsertLeads(
      sut.url,
      tenant,
      Array.from({ length: 120 }, (_, i) =>
        makeLead({
          leadId: `O-${i}`,
          attributes: { segment: 'A', size: 150 + (i % 50), region: segmentOf(i) },
        }),
      ),
    );
    const drift = await gql<{ checkModelDrift: { id: string; flagged: boolean } }>(
      sut.url,
      'mutation { checkModelDrift { id flagged } }',
      { headers: bearer(tenant) },
    );
    expect(drift.data?.checkModelDrift.flagged).toBe(true);
    const [, drifted] = await receiver.waitFor('/models', 2);
    expect(drifted.json).toMatchObject({
      type: 'model.drift_detected',
      data: { reportId: drift.data!.checkModelDrift.id, modelId },
    });
    expect(drifted.json.data.flaggedFeatures).toEqual(expect.arrayContaining(['size']));

    const rolledBack = await gql(sut.url, 'mutation { rollbackModel { rescoreJobId } }', {
      headers: bearer(tenant),
    });
    expect(rolledBack.errors).toBeUndefined();
    const [, , rollback] = await receiver.waitFor('/models', 3);
    expect(rollback.json).toMatchObject({
      type: 'model.deployed',
      data: { modelId: 'weighted-sum', previousModelId: modelId, reason: 'MODEL_ROLLED_BACK' },
    });
    const log = await waitForDeliveries(
      sut.url,
      tenant,
      webhook.id,
      (entries) => entries.length === 3 && entries.every((entry) => entry.status === 'SUCCEEDED'),
    );
    expect(log.map((entry) => entry.eventType).sort()).toEqual([
      'MODEL_DEPLOYED',
      'MODEL_DEPLOYED',
      'MODEL_DRIFT_DETECTED',
    ]);
  });

  it('queues each event once however many worker processes hear it', async () => {
    const second = await startTestApp({
      namespace: sut.namespace,
      role: 'worker',
      env: FAST_RETRY_ENV,
    });
    try {
      await waitForListeners(sut, 'webhooks.changed', 2);
      const admin = await registerTenant(sut.url);
      const { webhook } = await createdWebhook(sut.url, admin, {
        url: receiver.url('/twice'),
        events: ['LEAD_SCORE_CHANGED', 'LEAD_TIER_CHANGED'],
      });
      // The other process hears of the webhook through Redis.
      const cache = second.app.get(WebhookSubscriptionsCache);
      while (cache.active(admin.tenantId).length === 0) await sleep(20);
      // Each process follows the score events once some webhook exists.
      await waitForListeners(sut, 'scoring.leadScoreChanged', 2);
      const queued = [sut.app, second.app].map((app) =>
        jest.spyOn(app.get(WebhookDeliveryProducer), 'enqueue'),
      );

      const leads = Array.from({ length: 5 }, (_, i) => makeLead({ leadId: `T-${i}` }));
      await upsertLeads(sut.url, admin, leads);

      // Five first scores: a score event and a tier event each.
      await receiver.waitFor('/twice', 10);
      await sleep(1_000);
      const ids = receiver.on('/twice').map((d) => d.json.id);
      expect(ids).toHaveLength(10);
      expect(new Set(ids).size).toBe(10);
      const log = await waitForDeliveries(sut.url, admin, webhook.id, (entries) =>
        entries.every((entry) => entry.status === 'SUCCEEDED'),
      );
      expect(log).toHaveLength(10);
      expect(log.every((entry) => entry.attempts === 1)).toBe(true);
      // Both processes did queue every delivery: Bull kept one job of each id.
      for (const spy of queued) {
        const offered = spy.mock.calls.flatMap(([deliveries]) => deliveries);
        expect(offered).toHaveLength(10);
      }
    } finally {
      await second.close();
    }
  });
});
