import Redis from 'ioredis';
import request from 'supertest';

import { startRedisEngine } from '@/local-engines/redis-engine';
import type { LocalEngine } from '@/local-engines/local-engine';
import { gql } from '@test/utils/graphql-client';
import { dropTestDatabase, newTestNamespace, startTestApp, TestApp } from '@test/utils/test-app';

async function eventually<T>(
  probe: () => Promise<T>,
  accept: (value: T) => boolean,
  timeoutMs = 10_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (accept(value) || Date.now() > deadline) return value;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

describe('GET /health', () => {
  const namespace = newTestNamespace();
  let redis: LocalEngine;
  let sut: TestApp;

  beforeAll(async () => {
    // A Redis of this file's own, so stopping it harms no other test file.
    redis = await startRedisEngine();
    sut = await startTestApp({ namespace, redisUrl: redis.uri });
  });

  afterAll(async () => {
    await sut?.close();
    await redis?.stop();
    await dropTestDatabase(namespace);
  });

  it('reports MongoDB and Redis separately, each with its latency', async () => {
    const response = await request(sut.url).get('/health');

    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({
      status: 'OK',
      role: 'all',
      instanceId: sut.config.instanceId,
      dependencies: {
        mongo: { status: 'UP', latencyMs: expect.any(Number), engine: expect.any(String) },
        redis: { status: 'UP', latencyMs: expect.any(Number) },
      },
    });
  });

  it('reports a healthy engine up to many probes at once (they share one write and read)', async () => {
    const responses = await Promise.all(
      Array.from({ length: 20 }, () => request(sut.url).get('/health')),
    );

    expect(responses.map((response) => response.status)).toEqual(Array(20).fill(200));
    const mongoStates = responses.map(
      (response) =>
        (response.body as { dependencies: { mongo: { status: string } } }).dependencies.mongo
          .status,
    );
    expect(new Set(mongoStates)).toEqual(new Set(['UP']));
  });

  it('says Redis is down when it stops, keeps serving, and recovers when it is back', async () => {
    const port = Number(new URL(redis.uri).port);
    await redis.stop();

    const down = await eventually(
      () => request(sut.url).get('/health'),
      (r) => r.body?.dependencies?.redis?.status === 'DOWN',
    );
    expect(down.status).toBe(503);
    expect(down.body).toMatchObject({
      status: 'DEGRADED',
      dependencies: {
        mongo: { status: 'UP' },
        redis: { status: 'DOWN', error: expect.any(String) },
      },
    });
    // The process is alive and still answers GraphQL.
    const graphql = await gql<{ health: { status: string } }>(sut.url, '{ health { status } }');
    expect(graphql.data?.health.status).toBe('DEGRADED');

    redis = await startRedisEngine({ port });
    const up = await eventually(
      () => request(sut.url).get('/health'),
      (r) => r.status === 200,
      15_000,
    );
    expect(up.body.dependencies.redis.status).toBe('UP');
  });

  it('answers live 200 and ready 503 naming Redis while it answers PING but refuses writes', async () => {
    // A real refusal: a Redis that wants a replica before it writes (as one past maxmemory or
    // after a failed save) still answers PING, so only a write shows it.
    const admin = new Redis(redis.uri);
    try {
      await admin.config('SET', 'min-replicas-to-write', '1');
      const ready = await eventually(
        () => request(sut.url).get('/health/ready'),
        (r) => r.status === 503,
      );
      expect(ready.status).toBe(503);
      expect(ready.body).toMatchObject({
        status: 'error',
        info: { traffic: { status: 'up' }, mongo: { status: 'up' } },
        error: { redis: { status: 'down', message: expect.stringMatching(/NOREPLICAS/) } },
      });
      expect((await request(sut.url).get('/health/live')).status).toBe(200);
      expect(await admin.ping()).toBe('PONG');
    } finally {
      await admin.config('SET', 'min-replicas-to-write', '0');
      admin.disconnect();
    }
    const back = await eventually(
      () => request(sut.url).get('/health/ready'),
      (r) => r.status === 200,
    );
    expect(back.body).toMatchObject({
      status: 'ok',
      info: {
        traffic: { status: 'up' },
        mongo: { status: 'up', latencyMs: expect.any(Number) },
        redis: { status: 'up' },
      },
    });
  });
});
