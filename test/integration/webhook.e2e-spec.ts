import request from 'supertest';

import { signWebhook } from '@/leads/ingest/webhook-signature.util';
import { bearer, registerTenant, Session } from '@test/utils/auth';
import { gql } from '@test/utils/graphql-client';
import { makeInteraction, makeLead, upsertLeads } from '@test/utils/leads';
import { useTestApp } from '@test/utils/test-app';

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
    expect(first.body).toEqual({ accepted: 1, duplicates: 0, leadsRescored: 1 });
    expect(replay.body).toEqual({ accepted: 0, duplicates: 1, leadsRescored: 0 });
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
