import { bearer, createUserSession, registerTenant, Session } from '@test/utils/auth';
import { gql } from '@test/utils/graphql-client';
import { makeLead, upsertLeads } from '@test/utils/leads';
import { useTestApp } from '@test/utils/test-app';
import { WebhookReceiver } from '@test/utils/webhook-receiver';
import {
  createdWebhook,
  createWebhook,
  sleep,
  waitForDeliveries,
  webhookDeliveries,
  WEBHOOK_FIELDS,
} from '@test/utils/webhooks';

/** Admins of a tenant manage its webhooks: roles, tenant isolation, validation, limits. */
describe('outbound webhooks: who manages them, and their limits', () => {
  const receiver = new WebhookReceiver();
  const sut = useTestApp({ env: { WEBHOOK_ALLOWED_PRIVATE_HOSTS: '127.0.0.1' } });
  let admin: Session;
  let other: Session;
  let webhookId: string;
  let deliveryId: string;

  beforeAll(async () => {
    await receiver.start();
    admin = await registerTenant(sut.url);
    other = await registerTenant(sut.url, { tenantName: 'Other' });
    webhookId = (
      await createdWebhook(sut.url, admin, {
        url: receiver.url('/admin'),
        events: ['LEAD_SCORE_CHANGED'],
        description: 'CRM sync',
      })
    ).webhook.id;
    await upsertLeads(sut.url, admin, [makeLead({ leadId: 'A-1' })]);
    const [delivery] = await waitForDeliveries(sut.url, admin, webhookId, (log) => log.length > 0);
    deliveryId = delivery.id;
  });

  afterAll(() => receiver.stop());

  const operations: [
    string,
    string,
    (ids: { webhook: string; delivery: string }) => Record<string, unknown>,
  ][] = [
    ['webhook', 'query($id: ID!) { webhook(id: $id) { id } }', (ids) => ({ id: ids.webhook })],
    [
      'webhookDeliveries',
      'query($id: ID!) { webhookDeliveries(webhookId: $id) { id } }',
      (ids) => ({ id: ids.webhook }),
    ],
    [
      'updateWebhook',
      'mutation($id: ID!) { updateWebhook(id: $id, input: { minScore: 10 }) { id } }',
      (ids) => ({ id: ids.webhook }),
    ],
    [
      'pauseWebhook',
      'mutation($id: ID!) { pauseWebhook(id: $id) { id } }',
      (ids) => ({ id: ids.webhook }),
    ],
    [
      'resumeWebhook',
      'mutation($id: ID!) { resumeWebhook(id: $id) { id } }',
      (ids) => ({ id: ids.webhook }),
    ],
    [
      'rotateOutboundWebhookSecret',
      'mutation($id: ID!) { rotateOutboundWebhookSecret(id: $id) { secret } }',
      (ids) => ({ id: ids.webhook }),
    ],
    [
      'redeliverWebhookDelivery',
      'mutation($id: ID!) { redeliverWebhookDelivery(id: $id) { id } }',
      (ids) => ({ id: ids.delivery }),
    ],
    [
      'deleteWebhook',
      'mutation($id: ID!) { deleteWebhook(id: $id) }',
      (ids) => ({ id: ids.webhook }),
    ],
  ];

  it.each(operations)(
    "answers %s on another tenant's webhook with NOT_FOUND",
    async (_name, query, vars) => {
      const response = await gql(sut.url, query, {
        variables: vars({ webhook: webhookId, delivery: deliveryId }),
        headers: bearer(other),
      });

      expect(response.errors?.[0].extensions?.code).toBe('NOT_FOUND');
      expect((await gql(sut.url, '{ webhooks { id } }', { headers: bearer(other) })).data).toEqual({
        webhooks: [],
      });
    },
  );

  it('lets admins only manage webhooks (FORBIDDEN for managers and reps)', async () => {
    for (const role of ['MANAGER', 'REP'] as const) {
      const session = await createUserSession(sut.url, admin, role);
      const list = await gql(sut.url, '{ webhooks { id } }', { headers: bearer(session) });
      const create = await createWebhook(sut.url, session, {
        url: receiver.url('/nope'),
        events: ['MODEL_DEPLOYED'],
      });
      expect(list.errors?.[0].extensions?.code).toBe('FORBIDDEN');
      expect(create.errors?.[0].extensions?.code).toBe('FORBIDDEN');
    }
    const mine = await gql<{ webhooks: { id: string; description: string }[] }>(
      sut.url,
      `{ webhooks { ${WEBHOOK_FIELDS} } }`,
      { headers: bearer(admin) },
    );
    expect(mine.data?.webhooks).toEqual([
      expect.objectContaining({ id: webhookId, description: 'CRM sync' }),
    ]);
  });

  it.each([
    ['no events', { events: [] }, 'events'],
    ['a score above 100', { minScore: 101 }, 'minScore'],
    ['an empty tier list', { tiers: [] }, 'tiers'],
    ['a URL with credentials', { url: 'https://user:pw@hooks.example.com/' }, 'url'],
    ['an ftp URL', { url: 'ftp://hooks.example.com/' }, 'url'],
  ])('refuses %s with BAD_USER_INPUT naming the field', async (_label, override, path) => {
    const response = await createWebhook(sut.url, admin, {
      url: receiver.url('/valid'),
      events: ['LEAD_SCORE_CHANGED'],
      ...override,
    });

    expect(response.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
    const fields = response.errors?.[0].extensions?.fields as { path: string }[];
    expect(fields.map((field) => field.path)).toContain(path);
  });

  it('keeps at most 20 webhooks per tenant', async () => {
    const tenant = await registerTenant(sut.url);
    for (let i = 0; i < 20; i++)
      await createdWebhook(sut.url, tenant, {
        url: receiver.url(`/many-${i}`),
        events: ['MODEL_DEPLOYED'],
      });

    const refused = await createWebhook(sut.url, tenant, {
      url: receiver.url('/many-20'),
      events: ['MODEL_DEPLOYED'],
    });

    expect(refused.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', limit: 20 });
  });

  it('changes filters, and deletes a webhook with its log', async () => {
    const tenant = await registerTenant(sut.url);
    const { webhook } = await createdWebhook(sut.url, tenant, {
      url: receiver.url('/edit'),
      events: ['LEAD_SCORE_CHANGED'],
      minScore: 50,
      tiers: ['HOT'],
    });
    const updated = await gql<{
      updateWebhook: { minScore: number | null; tiers: string[] | null; events: string[] };
    }>(
      sut.url,
      'mutation($id: ID!) { updateWebhook(id: $id, input: { minScore: null, events: [LEAD_TIER_CHANGED] }) { minScore tiers events } }',
      { variables: { id: webhook.id }, headers: bearer(tenant) },
    );
    expect(updated.data?.updateWebhook).toEqual({
      minScore: null,
      tiers: ['HOT'],
      events: ['LEAD_TIER_CHANGED'],
    });
    const badUrl = await gql(
      sut.url,
      'mutation($id: ID!) { updateWebhook(id: $id, input: { url: "http://192.168.1.1/" }) { id } }',
      { variables: { id: webhook.id }, headers: bearer(tenant) },
    );
    expect(badUrl.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');

    const removed = await gql(sut.url, 'mutation($id: ID!) { deleteWebhook(id: $id) }', {
      variables: { id: webhook.id },
      headers: bearer(tenant),
    });
    expect(removed.data).toEqual({ deleteWebhook: true });
    await upsertLeads(sut.url, tenant, [makeLead({ leadId: 'E-1' })]);
    await sleep(500);
    expect(receiver.on('/edit')).toHaveLength(0);
    const log = await webhookDeliveries(sut.url, tenant, { webhookId: webhook.id });
    expect(log.errors?.[0].extensions?.code).toBe('NOT_FOUND');

    // Every change is in the tenant's audit log, by whom, with the webhook named.
    const audit = await gql<{
      auditEvents: { action: string; actorId: string | null; details: Record<string, unknown> }[];
    }>(sut.url, '{ auditEvents(limit: 50) { action actorId details } }', {
      headers: bearer(tenant),
    });
    const webhookEvents = audit.data!.auditEvents.filter((e) => e.action.startsWith('WEBHOOK_'));
    expect(webhookEvents.map((e) => e.action)).toEqual([
      'WEBHOOK_DELETED',
      'WEBHOOK_UPDATED',
      'WEBHOOK_CREATED',
    ]);
    for (const event of webhookEvents) {
      expect(event.actorId).toBe(tenant.userId);
      expect(event.details.webhookId).toBe(webhook.id);
    }
    expect(webhookEvents[1].details.changed).toEqual(['events', 'minScore']);
    expect(webhookEvents[2].details).toMatchObject({ events: ['lead.score_changed'] });
  });
});
