import { registerTenant, Session } from '@test/utils/auth';
import { makeLead, upsertLeads } from '@test/utils/leads';
import { useTestApp } from '@test/utils/test-app';
import { WebhookReceiver } from '@test/utils/webhook-receiver';
import {
  createdWebhook,
  createWebhook,
  listenerCount,
  storeWebhookUrl,
  waitForDeliveries,
} from '@test/utils/webhooks';

/**
 * SSRF: webhook URLs are checked when set (literal addresses, local names, DNS) and again where
 * each delivery connects (a URL stored under older rules, a name re-pointed at an internal
 * address). Only the hosts WEBHOOK_ALLOWED_PRIVATE_HOSTS names may be private.
 */
describe('outbound webhooks: SSRF rules with 127.0.0.1 allowed', () => {
  const receiver = new WebhookReceiver();
  const sut = useTestApp({ env: { WEBHOOK_ALLOWED_PRIVATE_HOSTS: '127.0.0.1' } });
  let admin: Session;

  beforeAll(async () => {
    await receiver.start();
    admin = await registerTenant(sut.url);
  });

  afterAll(() => receiver.stop());

  it.each([
    ['a private address', 'http://10.0.0.1/hook', 'a non-public address (10.0.0.1: private)'],
    [
      'the cloud metadata address',
      'http://169.254.169.254/latest/meta-data',
      'a non-public address (169.254.169.254: linkLocal)',
    ],
    [
      'metadata in IPv6 clothing',
      'http://[::ffff:169.254.169.254]/',
      'a non-public address (::ffff:a9fe:a9fe: linkLocal)',
    ],
    [
      'another loopback address',
      'http://127.0.0.2:8080/',
      'a non-public address (127.0.0.2: loopback)',
    ],
    ['localhost by name', 'http://localhost:8080/', 'the local host'],
  ])('refuses %s', async (_label, url, target) => {
    const response = await createWebhook(sut.url, admin, { url, events: ['LEAD_SCORE_CHANGED'] });

    expect(response.errors?.[0]).toMatchObject({
      message: `url: must not point at ${target}`,
      extensions: { code: 'BAD_USER_INPUT', fields: [{ path: 'url' }] },
    });
  });

  it('refuses a target at delivery time too, without connecting (a URL stored before the rules)', async () => {
    const tenant = await registerTenant(sut.url);
    const { webhook } = await createdWebhook(sut.url, tenant, {
      url: receiver.url('/moved'),
      events: ['LEAD_SCORE_CHANGED'],
    });
    await storeWebhookUrl(sut, webhook.id, 'http://10.0.0.1:9/hook');

    await upsertLeads(sut.url, tenant, [makeLead({ leadId: 'M-1' })]);

    const [dead] = await waitForDeliveries(
      sut.url,
      tenant,
      webhook.id,
      (log) => log[0]?.status === 'DEAD',
    );
    expect(dead).toMatchObject({
      attempts: 1,
      lastStatusCode: null,
      lastError: 'refused: 10.0.0.1 is not a public address (private)',
    });
    expect(receiver.on('/moved')).toHaveLength(0);
  });
});

describe('outbound webhooks with no private host allowed (the default)', () => {
  const receiver = new WebhookReceiver();
  const sut = useTestApp();
  let admin: Session;

  beforeAll(async () => {
    await receiver.start();
    admin = await registerTenant(sut.url);
  });

  afterAll(() => receiver.stop());

  it('does not listen to score events while no tenant has a webhook', async () => {
    expect(await listenerCount(sut, 'scoring.leadScoreChanged')).toBe(0);
  });

  it.each([
    ['127.0.0.1', () => receiver.url('/local'), '127.0.0.1: loopback'],
    ['::1', () => 'http://[::1]:8080/', '::1: loopback'],
    ['10.x', () => 'http://10.1.2.3/', '10.1.2.3: private'],
    [
      '169.254.169.254',
      () => 'http://169.254.169.254/latest/meta-data',
      '169.254.169.254: linkLocal',
    ],
  ])('refuses a webhook to %s', async (_label, url, reason) => {
    const response = await createWebhook(sut.url, admin, {
      url: url(),
      events: ['LEAD_SCORE_CHANGED'],
    });

    expect(response.errors?.[0]).toMatchObject({
      message: `url: must not point at a non-public address (${reason})`,
      extensions: { code: 'BAD_USER_INPUT' },
    });
  });

  it('refuses at delivery a name that resolves to loopback, without connecting', async () => {
    const { webhook } = await createdWebhook(sut.url, admin, {
      url: 'https://93.184.216.34/hooks',
      events: ['LEAD_SCORE_CHANGED'],
    });
    // Its DNS record now points at the loopback interface (rebinding), as `localhost` does.
    await storeWebhookUrl(
      sut,
      webhook.id,
      receiver.url('/local').replace('127.0.0.1', 'localhost'),
    );

    await upsertLeads(sut.url, admin, [makeLead({ leadId: 'L-1' })]);

    const [dead] = await waitForDeliveries(
      sut.url,
      admin,
      webhook.id,
      (log) => log[0]?.status === 'DEAD',
    );
    expect(dead.attempts).toBe(1);
    expect(dead.lastError).toMatch(
      /^refused: localhost resolves to (127\.0\.0\.1|::1), not a public address \(loopback\)$/,
    );
    expect(receiver.on('/local')).toHaveLength(0);
  });
});
