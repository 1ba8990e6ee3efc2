import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import { GraphQLSchemaHost } from '@nestjs/graphql';
import { lexicographicSortSchema, printSchema } from 'graphql';
import request from 'supertest';

import { bearer, registerTenant } from '@test/utils/auth';
import { gql, SubscriptionProbe, waitForRedisSubscriber } from '@test/utils/graphql-client';
import { startTestApp, useTestApp } from '@test/utils/test-app';

interface InstanceEventData {
  instanceEvents: { type: string; instanceId: string; role: string; at: string };
}

describe('application (real engines)', () => {
  const sut = useTestApp();
  const { namespace } = sut;

  it('answers a GraphQL query over HTTP with the state of both engines', async () => {
    const response = await gql<{
      health: { status: string; dependencies: Record<string, { status: string; engine?: string }> };
    }>(
      sut.url,
      '{ health { status role dependencies { mongo { status engine latencyMs } redis { status latencyMs } } } }',
    );

    expect(response.errors).toBeUndefined();
    expect(response.data?.health).toMatchObject({
      status: 'OK',
      dependencies: {
        mongo: { status: 'UP', engine: expect.stringMatching(/mongod|mongo-java-server/) },
        redis: { status: 'UP' },
      },
    });
  });

  it('gives every request an id, keeping a sane one from the caller', async () => {
    const generated = await request(sut.url).get('/health');
    const echoed = await request(sut.url).get('/health').set('x-request-id', 'trace-123');
    const rejected = await request(sut.url)
      .get('/health')
      .set('x-request-id', 'bad id with spaces');

    expect(generated.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
    expect(echoed.headers['x-request-id']).toBe('trace-123');
    expect(rejected.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('delivers over graphql-ws an event published by a second app instance, through Redis', async () => {
    const admin = await registerTenant(sut.url);
    const probe = new SubscriptionProbe<InstanceEventData>(
      sut.wsUrl,
      'subscription { instanceEvents { type instanceId role at } }',
      bearer(admin),
    );
    try {
      await waitForRedisSubscriber(
        sut.config.redis.url,
        `${namespace.redisPrefix}:events:system.instanceEvents`,
      );

      const second = await startTestApp({ namespace, role: 'worker' });
      const started = await probe.waitFor(
        (e) =>
          e.instanceEvents.instanceId === second.config.instanceId &&
          e.instanceEvents.type === 'STARTED',
      );
      await second.close();
      const stopping = await probe.waitFor(
        (e) =>
          e.instanceEvents.instanceId === second.config.instanceId &&
          e.instanceEvents.type === 'STOPPING',
      );

      expect(second.config.instanceId).not.toBe(sut.config.instanceId);
      expect(started.instanceEvents).toMatchObject({
        role: 'worker',
        at: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
      });
      expect(stopping.instanceEvents.role).toBe('worker');
    } finally {
      await probe.close();
    }
  });

  it('serves exactly the schema committed in schema.gql', () => {
    const committed = readFileSync(join(__dirname, '..', '..', 'schema.gql'), 'utf8');
    const running = printSchema(lexicographicSortSchema(sut.app.get(GraphQLSchemaHost).schema));

    expect(committed).toContain(running);
  });

  it('exposes Prometheus metrics, HTTP traffic and engine state included', async () => {
    await request(sut.url).get('/health');
    await request(sut.url).post('/graphql').send({ query: '{ __typename }' });
    const response = await request(sut.url).get('/metrics');

    expect(response.status).toBe(200);
    expect(response.headers['content-type']).toMatch(/^text\/plain;.*version=0\.0\.4/);
    expect(response.text).toMatch(
      /leadscoring_http_requests_total\{method="GET",route="\/health",status="200",role="all",instance="[^"]+"\} \d+/,
    );
    // Apollo's middleware has no express route: GraphQL still gets its own label.
    expect(response.text).toMatch(
      /leadscoring_http_requests_total\{method="POST",route="\/graphql",status="200",role="all",instance="[^"]+"\} \d+/,
    );
    expect(response.text).not.toContain('route="unmatched"');
    expect(response.text).toMatch(
      /leadscoring_dependency_up\{dependency="mongo",role="all",instance="[^"]+"\} 1/,
    );
    expect(response.text).toMatch(
      /leadscoring_dependency_up\{dependency="redis",role="all",instance="[^"]+"\} 1/,
    );
    expect(response.text).toContain('leadscoring_process_resident_memory_bytes');
  });

  it('answers malformed GraphQL with BAD_USER_INPUT and a stable shape', async () => {
    const parse = await gql(sut.url, '{ health { status ');
    const unknownField = await gql(sut.url, '{ nope }');

    expect(parse.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(unknownField.errors?.[0]).toMatchObject({
      message: expect.stringContaining('Cannot query field "nope"'),
      extensions: { code: 'BAD_USER_INPUT' },
    });
  });

  it('refuses bodies over HTTP_BODY_LIMIT with 413', async () => {
    const response = await request(sut.url)
      .post('/graphql')
      .set('content-type', 'application/json')
      .send({ query: `{ health { status } }`, variables: { padding: 'x'.repeat(1_100_000) } });

    expect(response.status).toBe(413);
    expect(response.body).toEqual({
      error: { code: 'BAD_USER_INPUT', message: 'request entity too large' },
    });
  });

  it('refuses a cross-site simple request to GraphQL (CSRF prevention)', async () => {
    const response = await request(sut.url).get(
      '/graphql?query=%7B%20health%20%7B%20status%20%7D%20%7D',
    );

    expect(response.status).toBe(400);
  });
});
