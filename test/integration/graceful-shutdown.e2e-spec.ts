import { BullModule, InjectQueue, Process, Processor } from '@nestjs/bull';
import { Injectable, Module } from '@nestjs/common';
import Bull from 'bull';
import type { Job, Queue } from 'bull';
import request from 'supertest';

import { bullPrefix } from '@/app.module';
import { installGracefulShutdown } from '@/bootstrap/graceful-shutdown';
import { AppProcess, spawnAppProcess } from '@test/utils/app-process';
import { TEST_PASSWORD, uniqueEmail } from '@test/utils/auth';
import { holdRequest } from '@test/utils/held-request';
import { dropTestDatabase, newTestNamespace, startTestApp, TestApp } from '@test/utils/test-app';

const PROBE_QUEUE = 'shutdown-probe';
const JOB_MS = 1_500;

// A queue of the test's own: the shutdown path is the same for every queue the app registers.
@Processor(PROBE_QUEUE)
class SlowProcessor {
  @Process()
  async handle(job: Job<{ id: string }>): Promise<{ id: string; finishedAt: number }> {
    await new Promise((resolve) => setTimeout(resolve, JOB_MS));
    return { id: job.data.id, finishedAt: Date.now() };
  }
}

@Injectable()
class ProbeProducer {
  constructor(@InjectQueue(PROBE_QUEUE) readonly queue: Queue) {}
}

@Module({
  imports: [BullModule.registerQueue({ name: PROBE_QUEUE })],
  providers: [SlowProcessor, { provide: ProbeProducer, useClass: ProbeProducer }],
})
class ProbeQueueModule {}

const SHUTDOWN_TIMEOUT_MS = 10_000;

/**
 * The built app as a real process (dist/main.js, role all) gets a real SIGTERM while a request is
 * in flight: a registration whose body the client holds back until after the signal, so the
 * request spans the drain and its handler runs (argon2, MongoDB writes) only once shutdown has
 * begun. Meanwhile a new connection's /health answers 503; then the request is answered in full
 * and the process exits 0 within SHUTDOWN_TIMEOUT_MS.
 */
describe('graceful shutdown of the real process on SIGTERM', () => {
  const namespace = newTestNamespace();
  let proc: AppProcess | undefined;

  afterAll(async () => {
    proc?.kill();
    await proc?.exited;
    await dropTestDatabase(namespace);
  });

  it('answers /health 503 during the drain, finishes the in-flight request, exits 0', async () => {
    proc = await spawnAppProcess({
      namespace,
      env: { SHUTDOWN_TIMEOUT_MS: String(SHUTDOWN_TIMEOUT_MS) },
    });
    const { url } = proc;
    await waitUntil(async () => (await request(url).get('/health')).status === 200);

    const email = uniqueEmail('drain');
    const held = holdRequest(url, {
      path: '/graphql',
      // Keep-alive asked for: the answer closes the connection all the same, as the drain does.
      headers: { 'content-type': 'application/json', connection: 'keep-alive' },
      body: JSON.stringify({
        query:
          'mutation($input: RegisterInput!) { register(input: $input) { accessToken user { email } } }',
        variables: {
          input: { tenantName: 'Drain', name: 'Admin', email, password: TEST_PASSWORD },
        },
      }),
    });
    // The server has the request (it answered 100 Continue) and waits for the last byte.
    await held.started;

    const signalledAt = Date.now();
    proc.child.kill('SIGTERM');
    await proc.waitForLog((line) => line.msg === 'shutting down' && line.signal === 'SIGTERM');

    // A new connection after the signal, while the request is still in flight.
    const health = await request(url).get('/health').set('connection', 'keep-alive');
    expect(health.status).toBe(503);
    expect(health.body).toMatchObject({ status: 'SHUTTING_DOWN' });
    expect(health.headers.connection).toBe('close');
    // Readiness says why (Terminus' format); liveness stays 200: the process is fine, leaving.
    const ready = await request(url).get('/health/ready');
    expect(ready.status).toBe(503);
    expect(ready.body).toMatchObject({
      status: 'error',
      error: { traffic: { status: 'down', message: 'shutting down: draining' } },
      info: { mongo: { status: 'up' }, redis: { status: 'up' } },
    });
    expect((await request(url).get('/health/live')).status).toBe(200);
    expect(proc.child.exitCode).toBeNull();

    held.finish();
    const response = await held.response;
    expect(response.status).toBe(200);
    const body = JSON.parse(response.body) as {
      data?: { register: { accessToken: string; user: { email: string } } };
      errors?: unknown[];
    };
    expect(body.errors).toBeUndefined();
    expect(body.data?.register.user.email).toBe(email);
    expect(body.data?.register.accessToken).toEqual(expect.any(String));
    expect(response.headers.connection).toBe('close');

    const { code, signal } = await proc.exited;
    const tookMs = Date.now() - signalledAt;
    expect({ code, signal }).toEqual({ code: 0, signal: null });
    expect(tookMs).toBeLessThan(SHUTDOWN_TIMEOUT_MS);
    expect(proc.lines).toContainEqual(expect.objectContaining({ msg: 'stopped', code: 0 }));
    // The listener is closed once the process is gone.
    await expect(request(url).get('/health')).rejects.toThrow(/ECONNREFUSED/);
  });
});

const DRAIN_DELAY_MS = 1_500;

/**
 * SHUTDOWN_DRAIN_DELAY_MS: after SIGTERM readiness is 503 at once, but the server keeps taking
 * connections (and serving them) for the delay, so a load balancer polling readiness stops
 * routing here before anyone is refused; only then does the listener close.
 */
describe('the drain delay on SIGTERM', () => {
  const namespace = newTestNamespace();
  let proc: AppProcess | undefined;

  afterAll(async () => {
    proc?.kill();
    await proc?.exited;
    await dropTestDatabase(namespace);
  });

  it('answers ready 503 and live 200 through the delay, then stops taking connections', async () => {
    proc = await spawnAppProcess({
      namespace,
      env: {
        SHUTDOWN_TIMEOUT_MS: String(SHUTDOWN_TIMEOUT_MS),
        SHUTDOWN_DRAIN_DELAY_MS: String(DRAIN_DELAY_MS),
      },
    });
    const { url } = proc;
    await waitUntil(async () => (await request(url).get('/health/ready')).status === 200);
    expect((await request(url).get('/health/live')).body).toMatchObject({ status: 'ok' });

    const signalledAt = Date.now();
    proc.child.kill('SIGTERM');
    await proc.waitForLog((line) => line.msg === 'shutting down' && line.signal === 'SIGTERM');

    // Well inside the delay: new connections are still taken and answered.
    const samples: { atMs: number; ready: number; live: number }[] = [];
    while (Date.now() - signalledAt < DRAIN_DELAY_MS - 500) {
      const [ready, live] = await Promise.all([
        request(url).get('/health/ready'),
        request(url).get('/health/live'),
      ]);
      samples.push({ atMs: Date.now() - signalledAt, ready: ready.status, live: live.status });
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(samples.length).toBeGreaterThan(3);
    expect(samples.every((s) => s.ready === 503 && s.live === 200)).toBe(true);

    const closed = await proc.waitForLog((line) => line.msg === 'no longer taking connections');
    expect(closed.afterMs).toBeGreaterThanOrEqual(DRAIN_DELAY_MS);
    const { code } = await proc.exited;
    expect(code).toBe(0);
    await expect(request(url).get('/health/live')).rejects.toThrow(/ECONNREFUSED/);
  });
});

describe('graceful shutdown', () => {
  const namespace = newTestNamespace();
  let sut: TestApp;

  afterAll(async () => {
    // The app is closed by the shutdown under test.
    await dropTestDatabase(namespace);
  });

  // In process, with a queue of the test's own (a spawned process cannot have one): no HTTP
  // request is in flight, so the server stops taking connections at once.
  it('stops taking requests, lets a running job finish, then closes and exits 0', async () => {
    sut = await startTestApp({ namespace, imports: [ProbeQueueModule] });
    const queue = sut.app.get(ProbeProducer).queue;
    const job = await queue.add({ id: 'job-1' });
    await waitUntil(async () => (await job.getState()) === 'active');

    const exit = jest.fn();
    const shutdown = installGracefulShutdown({
      app: sut.app,
      logger: { log: () => undefined, warn: () => undefined, error: () => undefined },
      timeoutMs: 10_000,
      signals: [],
      exit,
    });
    const startedAt = Date.now();
    const done = shutdown('SIGTERM');
    // New connections are refused at once, while the job is still running.
    await expect(request(sut.url).get('/health')).rejects.toThrow(/ECONNREFUSED/);
    await done;

    expect(exit).toHaveBeenCalledWith(0);
    expect(Date.now() - startedAt).toBeGreaterThan(JOB_MS / 2);
    const reader = new Bull(PROBE_QUEUE, sut.config.redis.url, {
      prefix: bullPrefix(sut.config.redis.prefix),
    });
    try {
      const finished = await reader.getJob(String(job.id));
      expect(await finished?.getState()).toBe('completed');
      expect(finished?.returnvalue).toMatchObject({ id: 'job-1' });
    } finally {
      await reader.close();
    }
  });
});

async function waitUntil(condition: () => Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}
