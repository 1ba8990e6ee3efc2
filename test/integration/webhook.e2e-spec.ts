import { getConnectionToken } from '@nestjs/mongoose';
import { Connection, Types } from 'mongoose';
import request from 'supertest';

import { signWebhook } from '@/leads/ingest/webhook-signature.util';
import { bearer, registerTenant, Session } from '@test/utils/auth';
import { gql } from '@test/utils/graphql-client';
import { makeInteraction, makeLead, upsertLeads } from '@test/utils/leads';
import {
  dropTestDatabase,
  newTestNamespace,
  startTestApp,
  TestApp,
  useTestApp,
} from '@test/utils/test-app';

describe('POST /ingest/interactions (signed webhook)', () => {
  const sut = useTestApp();
  let admin: Session;
  let secret: string;

  beforeAll(async () => {
    admin = await registerTenant(sut.url);
    await upsertLeads(sut.url, admin, [makeLead({ leadId: 'WH-1' })]);
    const rotated = await gql<{ rotateWebhookSecret: string }>(
      sut.url,
      'mutation { rotateWebhookSecret }',
      { headers: bearer(admin) },
    );
    secret = rotated.data!.rotateWebhookSecret;
  });

  function deliver(
    body: object,
    {
      tenantId = admin.tenantId,
      key = secret,
      timestamp = Math.floor(Date.now() / 1000),
      signature,
    }: { tenantId?: string; key?: string; timestamp?: number; signature?: string } = {},
  ) {
    const raw = JSON.stringify(body);
    return request(sut.url)
      .post('/ingest/interactions')
      .set('content-type', 'application/json')
      .set('x-tenant-id', tenantId)
      .set('x-webhook-timestamp', String(timestamp))
      .set('x-webhook-signature', signature ?? signWebhook(key, timestamp, raw))
      .send(raw);
  }

  it('records signed events once, however often they are delivered', async () => {
    const body = {
      interactions: [makeInteraction({ leadId: 'WH-1', type: 'WEBSITE_VISIT', secondsSpent: 90 })],
    };
    const first = await deliver(body);
    const replay = await deliver(body);

    expect(first.status).toBe(200);
    expect(first.body).toEqual({ accepted: 1, duplicates: 0, leadsRescored: 1, queued: 0 });
    expect(replay.body).toEqual({ accepted: 0, duplicates: 1, leadsRescored: 0, queued: 0 });
    const list = await gql<{ leads: { items: { engagement: { websiteVisits: number } }[] } }>(
      sut.url,
      '{ leads(filter: { search: "wh-1" }) { items { engagement { websiteVisits } } } }',
      { headers: bearer(admin) },
    );
    expect(list.data?.leads.items[0].engagement.websiteVisits).toBe(1);
  });

  it.each([
    ['a wrong secret', { key: 'whsec_wrong' }, 'invalid webhook signature'],
    ['an unknown tenant', { tenantId: '0123456789abcdef01234567' }, 'invalid webhook signature'],
    [
      'a stale timestamp',
      { timestamp: Math.floor(Date.now() / 1000) - 3600 },
      'outside the 300 s replay window',
    ],
    ['a tampered body', { signature: 'sha256=' + '0'.repeat(64) }, 'invalid webhook signature'],
  ])('refuses %s with 401', async (_label, options, message) => {
    const response = await deliver(
      { interactions: [makeInteraction({ leadId: 'WH-1' })] },
      options,
    );

    expect(response.status).toBe(401);
    expect(response.body.error).toMatchObject({
      code: 'UNAUTHENTICATED',
      message: expect.stringContaining(message),
    });
  });

  it('refuses an unsigned delivery with 401', async () => {
    const response = await request(sut.url).post('/ingest/interactions').send({ interactions: [] });

    expect(response.status).toBe(401);
  });

  it('validates a signed body like recordInteractions (400, nothing written)', async () => {
    const response = await deliver({
      interactions: [makeInteraction({ leadId: 'WH-1' }), { leadId: 'WH-1', type: 'NOPE' }],
    });

    expect(response.status).toBe(400);
    expect(response.body.error.code).toBe('BAD_USER_INPUT');
    const fields = (response.body as { error: { fields: { path: string }[] } }).error.fields;
    expect(fields.map((f) => f.path)).toEqual(expect.arrayContaining(['interactions.1.type']));
  });

  it('stops accepting the old secret once rotated', async () => {
    const old = secret;
    const rotated = await gql<{ rotateWebhookSecret: string }>(
      sut.url,
      'mutation { rotateWebhookSecret }',
      { headers: bearer(admin) },
    );
    secret = rotated.data!.rotateWebhookSecret;

    expect(
      (await deliver({ interactions: [makeInteraction({ leadId: 'WH-1' })] }, { key: old })).status,
    ).toBe(401);
    expect((await deliver({ interactions: [makeInteraction({ leadId: 'WH-1' })] })).status).toBe(
      200,
    );
  });
});

/** Webhook secrets are sealed at rest, and survive a rotation of the sealing key. */
describe('webhook secrets at rest', () => {
  const namespace = newTestNamespace();
  const keyOf = (id: string, fill: number) => `${id}:${Buffer.alloc(32, fill).toString('base64')}`;
  const OLD_KEY = keyOf('k2026a', 11);
  const NEW_KEY = keyOf('k2026b', 12);
  const apps: TestApp[] = [];

  afterAll(async () => {
    for (const app of apps) await app.close();
    await dropTestDatabase(namespace);
  });

  async function appWith(keys: string): Promise<TestApp> {
    const app = await startTestApp({ namespace, env: { SECRETS_ENCRYPTION_KEYS: keys } });
    apps.push(app);
    return app;
  }

  function deliverTo(app: TestApp, tenantId: string, key: string) {
    const raw = JSON.stringify({ interactions: [makeInteraction({ leadId: 'SEAL-1' })] });
    const timestamp = Math.floor(Date.now() / 1000);
    return request(app.url)
      .post('/ingest/interactions')
      .set('content-type', 'application/json')
      .set('x-tenant-id', tenantId)
      .set('x-webhook-timestamp', String(timestamp))
      .set('x-webhook-signature', signWebhook(key, timestamp, raw))
      .send(raw);
  }

  it('stores the secret sealed, and moves it to a new key as it is used after a key rotation', async () => {
    const first = await appWith(OLD_KEY);
    const admin = await registerTenant(first.url);
    await upsertLeads(first.url, admin, [makeLead({ leadId: 'SEAL-1' })]);
    const secret = (
      await gql<{ rotateWebhookSecret: string }>(first.url, 'mutation { rotateWebhookSecret }', {
        headers: bearer(admin),
      })
    ).data!.rotateWebhookSecret;
    const tenants = first.app.get<Connection>(getConnectionToken()).collection('tenants');
    const stored = async () =>
      (await tenants.findOne({ _id: new Types.ObjectId(admin.tenantId) }))!.webhookSecret as string;

    // Sealed under the current key: the database alone does not give the secret away.
    const sealed = await stored();
    expect(sealed).toMatch(/^v1:k2026a:/);
    expect(sealed).not.toContain(secret);
    expect((await deliverTo(first, admin.tenantId, secret)).status).toBe(200);

    // Rotation, step 1: the new key first, the old one kept to open what it sealed.
    const rotated = await appWith(`${NEW_KEY},${OLD_KEY}`);
    expect((await deliverTo(rotated, admin.tenantId, secret)).status).toBe(200);
    expect(await stored()).toMatch(/^v1:k2026b:/);

    // Step 2, once every secret is sealed anew: the old key can go.
    const newOnly = await appWith(NEW_KEY);
    expect((await deliverTo(newOnly, admin.tenantId, secret)).status).toBe(200);
    // Without the key that sealed it, the secret cannot be opened: deliveries are refused.
    const wrong = await appWith(keyOf('other', 13));
    expect((await deliverTo(wrong, admin.tenantId, secret)).status).toBe(401);
  });

  it('seals a secret stored in plaintext before sealing existed, on first use', async () => {
    const app = await appWith(NEW_KEY);
    const admin = await registerTenant(app.url);
    await upsertLeads(app.url, admin, [makeLead({ leadId: 'SEAL-1' })]);
    const tenants = app.app.get<Connection>(getConnectionToken()).collection('tenants');
    const _id = new Types.ObjectId(admin.tenantId);
    await tenants.updateOne({ _id }, { $set: { webhookSecret: 'whsec_legacy-plaintext' } });

    expect((await deliverTo(app, admin.tenantId, 'whsec_legacy-plaintext')).status).toBe(200);
    expect((await tenants.findOne({ _id }))!.webhookSecret).toMatch(/^v1:k2026b:/);
  });
});
