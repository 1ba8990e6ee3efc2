import request from 'supertest';

import { bearer, login, registerTenant, Session } from '@test/utils/auth';
import { gql, SubscriptionProbe } from '@test/utils/graphql-client';
import { makeLead, upsertLeads } from '@test/utils/leads';
import { Job, waitForJob } from '@test/utils/scoring-jobs';
import { Scrape } from '@test/utils/metrics';
import { useTestApp } from '@test/utils/test-app';
import { WsSession } from '@test/utils/ws-connect';

const OPERATIONS = 'leadscoring_graphql_operations_total';
const DURATION_COUNT = 'leadscoring_graphql_operation_duration_seconds_count';
const CONNECTIONS = 'leadscoring_ws_connections';
const SUBSCRIPTIONS = 'leadscoring_ws_subscriptions';
const QUEUES = [
  'scoring',
  'imports',
  'datasets',
  'training',
  'model-setup',
  'lifecycle',
  'drift',
  'ai',
  'webhooks',
];
const STATES = ['waiting', 'active', 'delayed', 'failed', 'completed'];

/** Retries `check` until it passes: what a scrape shows after an asynchronous close or job. */
async function eventually<T>(check: () => Promise<T>, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await check();
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
}

describe('domain metrics on /metrics', () => {
  const sut = useTestApp();
  let admin: Session;

  async function scrape(): Promise<Scrape> {
    const response = await request(sut.url).get('/metrics');
    expect(response.status).toBe(200);
    return new Scrape(response.text);
  }

  beforeAll(async () => {
    admin = await registerTenant(sut.url);
    await upsertLeads(
      sut.url,
      admin,
      Array.from({ length: 5 }, (_, i) => makeLead({ leadId: `DM-${i}` })),
    );
  });

  it('counts the executions compiled and by graphql-js, and the compilations', async () => {
    const before = await scrape();
    // A text not sent before: its first execution is graphql-js', its second compiles it.
    const query = 'query CompiledCount { me { id email } }';
    for (let i = 0; i < 3; i++)
      expect((await gql(sut.url, query, { headers: bearer(admin) })).errors).toBeUndefined();

    const after = await scrape();
    const delta = (name: string, labels: Record<string, string>) =>
      after.count(name, labels) - before.count(name, labels);
    expect(delta('leadscoring_graphql_executions_total', { engine: 'compiled' })).toBe(2);
    expect(delta('leadscoring_graphql_executions_total', { engine: 'graphql-js' })).toBe(1);
    expect(delta('leadscoring_graphql_compilations_total', { outcome: 'compiled' })).toBe(1);
  });

  it('counts HTTP operations by name, type and outcome, and times them', async () => {
    const before = await scrape();

    const ok = await gql(sut.url, 'query Me { me { id } }', { headers: bearer(admin) });
    const unauthenticated = await gql(sut.url, 'query Me { me { id } }');
    const invalid = await gql(sut.url, 'query Broken { me { nope } }', { headers: bearer(admin) });
    expect(ok.errors).toBeUndefined();
    expect(unauthenticated.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    expect(invalid.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');

    const after = await scrape();
    const delta = (name: string, labels: Record<string, string>) =>
      after.count(name, labels) - before.count(name, labels);
    expect(delta(OPERATIONS, { operation: 'Me', type: 'query', outcome: 'ok' })).toBe(1);
    expect(delta(OPERATIONS, { operation: 'Me', type: 'query', outcome: 'UNAUTHENTICATED' })).toBe(
      1,
    );
    expect(
      delta(OPERATIONS, { operation: 'Broken', type: 'query', outcome: 'BAD_USER_INPUT' }),
    ).toBe(1);
    expect(delta(DURATION_COUNT, { operation: 'Me', type: 'query' })).toBe(2);
    expect(delta(DURATION_COUNT, { operation: 'Broken', type: 'query' })).toBe(1);
  });

  it('counts graphql-ws operations, and gauges sockets and subscriptions until the client closes', async () => {
    const before = await scrape();
    const probe = new SubscriptionProbe(
      sut.wsUrl,
      'subscription Instances { instanceEvents { type } }',
      bearer(admin),
    );
    try {
      const open = await eventually(async () => {
        const now = await scrape();
        expect(now.value(CONNECTIONS)).toBe(before.count(CONNECTIONS) + 1);
        expect(now.value(SUBSCRIPTIONS)).toBe(before.count(SUBSCRIPTIONS) + 1);
        return now;
      });
      const labels = { operation: 'Instances', type: 'subscription', outcome: 'ok' };
      expect(open.count(OPERATIONS, labels) - before.count(OPERATIONS, labels)).toBe(1);
    } finally {
      await probe.close();
    }

    await eventually(async () => {
      const closed = await scrape();
      expect(closed.value(CONNECTIONS)).toBe(before.count(CONNECTIONS));
      expect(closed.value(SUBSCRIPTIONS)).toBe(before.count(SUBSCRIPTIONS));
    });
  });

  it('counts a refused graphql-ws operation by its code, and forgets a socket the server closes', async () => {
    const before = await scrape();
    const session = await login(sut.url, admin.email);
    const socket = new WsSession(sut.wsUrl, bearer(session));
    try {
      expect(await socket.opened).toEqual({ accepted: true });
      const refused = socket.run('subscription Bad { nope }');
      await refused.answered();
      expect(refused.errors[0]?.extensions?.code).toBe('BAD_USER_INPUT');
      socket.run('subscription Live { instanceEvents { type } }');
      await eventually(async () => {
        expect((await scrape()).value(SUBSCRIPTIONS)).toBe(before.count(SUBSCRIPTIONS) + 1);
      });

      // Logout revokes the socket's token: the server closes it (4403), not the client.
      const loggedOut = await gql(sut.url, 'mutation { logout }', { headers: bearer(session) });
      expect(loggedOut.errors).toBeUndefined();
      expect((await socket.closedWithin(5_000))?.code).toBe(4403);

      await eventually(async () => {
        const closed = await scrape();
        expect(closed.value(CONNECTIONS)).toBe(before.count(CONNECTIONS));
        expect(closed.value(SUBSCRIPTIONS)).toBe(before.count(SUBSCRIPTIONS));
        const labels = { operation: 'anonymous', type: 'unknown', outcome: 'BAD_USER_INPUT' };
        expect(closed.count(OPERATIONS, labels) - before.count(OPERATIONS, labels)).toBe(1);
      });
    } finally {
      await socket.close();
    }
  });

  it('gauges every queue by state, and times the jobs this process ran', async () => {
    const durationCount = 'leadscoring_queue_job_duration_seconds_count';
    const completed = { queue: 'scoring', outcome: 'completed' };
    const before = await scrape();
    for (const queue of QUEUES)
      for (const state of STATES)
        expect(before.value('leadscoring_queue_jobs', { queue, state })).toBeGreaterThanOrEqual(0);

    const started = await gql<{ rescoreLeads: Job }>(
      sut.url,
      'mutation Rescore { rescoreLeads { id } }',
      { headers: bearer(admin) },
    );
    expect(started.errors).toBeUndefined();
    const job = await waitForJob(sut, admin, started.data!.rescoreLeads.id);
    expect(job.status).toBe('COMPLETED');

    await eventually(async () => {
      const after = await scrape();
      expect(after.count(durationCount, completed)).toBeGreaterThan(
        before.count(durationCount, completed),
      );
      expect(after.value('leadscoring_queue_jobs', { queue: 'scoring', state: 'active' })).toBe(0);
    });
  });
});
