import { BullModule, InjectQueue, Process, Processor } from '@nestjs/bull';
import { Injectable, Module } from '@nestjs/common';
import Bull from 'bull';
import type { Job, Queue } from 'bull';
import request from 'supertest';

import { installGracefulShutdown } from '@/bootstrap/graceful-shutdown';
import { JsonLogger } from '@/common/logging/json-logger';
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

describe('graceful shutdown', () => {
  const namespace = newTestNamespace();
  let sut: TestApp;

  afterAll(async () => {
    // The app is closed by the shutdown under test.
    await dropTestDatabase(namespace);
  });

  it('stops taking requests, lets a running job finish, then closes and exits 0', async () => {
    sut = await startTestApp({ namespace, imports: [ProbeQueueModule] });
    const queue = sut.app.get(ProbeProducer).queue;
    const job = await queue.add({ id: 'job-1' });
    await waitUntil(async () => (await job.getState()) === 'active');

    const exit = jest.fn();
    const shutdown = installGracefulShutdown({
      app: sut.app,
      logger: new JsonLogger({ level: 'error' }),
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
      prefix: `${sut.config.redis.prefix}:bull`,
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
