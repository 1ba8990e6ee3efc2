import { EventEmitter } from 'node:events';

import { getQueueToken } from '@nestjs/bull';
import { Logger } from '@nestjs/common';
import type { ModuleRef } from '@nestjs/core';
import type { JobCounts } from 'bull';
import { Registry } from 'prom-client';

import type { MetricsService } from './metrics.service';
import {
  JOB_COUNTS_TIMEOUT_MS,
  jobDurationSeconds,
  QueueMetricsService,
} from './queue-metrics.service';

// The service logs a failed count at debug level: not test output.
beforeAll(() => jest.spyOn(Logger.prototype, 'debug').mockImplementation(() => undefined));
afterAll(() => jest.restoreAllMocks());

class FakeQueue extends EventEmitter {
  constructor(readonly getJobCounts: () => Promise<JobCounts>) {
    super();
  }
}

function makeCounts(overrides: Partial<JobCounts> = {}): JobCounts {
  return { waiting: 0, active: 0, delayed: 0, failed: 0, completed: 0, ...overrides };
}

function makeSut(queues: Record<string, FakeQueue>) {
  const registry = new Registry();
  const moduleRef = {
    get: (token: string) => {
      const found = Object.entries(queues).find(([name]) => getQueueToken(name) === token);
      if (!found) throw new Error(`no provider ${token}`);
      return found[1];
    },
  } as unknown as ModuleRef;
  const sut = new QueueMetricsService(moduleRef, { registry } as MetricsService);
  sut.onModuleInit();
  return { sut, registry };
}

async function values(registry: Registry, name: string) {
  return (await registry.getSingleMetric(name)!.get()).values;
}

describe('jobDurationSeconds', () => {
  it('is the time between processing and finishing', () => {
    expect(jobDurationSeconds({ processedOn: 1_000, finishedOn: 3_500 })).toBe(2.5);
  });

  it('is undefined for a job that lacks either', () => {
    expect(jobDurationSeconds({ processedOn: 1_000 })).toBeUndefined();
    expect(jobDurationSeconds({ finishedOn: 1_000 })).toBeUndefined();
  });
});

describe('QueueMetricsService', () => {
  it('reads each registered queue’s counts by state at scrape time, skipping absent queues', async () => {
    const { registry } = makeSut({
      scoring: new FakeQueue(() => Promise.resolve(makeCounts({ waiting: 3, completed: 7 }))),
    });

    const jobs = await values(registry, 'leadscoring_queue_jobs');

    expect(jobs.map(({ labels, value }) => ({ labels, value }))).toEqual([
      { labels: { queue: 'scoring', state: 'waiting' }, value: 3 },
      { labels: { queue: 'scoring', state: 'active' }, value: 0 },
      { labels: { queue: 'scoring', state: 'delayed' }, value: 0 },
      { labels: { queue: 'scoring', state: 'failed' }, value: 0 },
      { labels: { queue: 'scoring', state: 'completed' }, value: 7 },
    ]);
  });

  it('leaves out, within its timeout, a queue whose counts do not arrive', async () => {
    const { registry } = makeSut({
      scoring: new FakeQueue(() => new Promise<JobCounts>(() => undefined)),
      ai: new FakeQueue(() => Promise.resolve(makeCounts({ active: 1 }))),
      drift: new FakeQueue(() => Promise.reject(new Error('connection closed'))),
    });
    const started = Date.now();

    const jobs = await values(registry, 'leadscoring_queue_jobs');

    expect(Date.now() - started).toBeLessThan(JOB_COUNTS_TIMEOUT_MS + 500);
    expect(new Set(jobs.map((v) => v.labels.queue))).toEqual(new Set(['ai']));
  });

  it('times the jobs this process ran from the queue’s local events, until destroyed', async () => {
    const scoring = new FakeQueue(() => Promise.resolve(makeCounts()));
    const { sut, registry } = makeSut({ scoring });

    scoring.emit('completed', { processedOn: 1_000, finishedOn: 1_200 });
    scoring.emit('failed', { processedOn: 1_000, finishedOn: 4_000 }, new Error('boom'));
    scoring.emit('failed', { processedOn: undefined, finishedOn: 4_000 }, new Error('never ran'));
    sut.onModuleDestroy();
    scoring.emit('completed', { processedOn: 1_000, finishedOn: 1_100 });

    const sums = (await values(registry, 'leadscoring_queue_job_duration_seconds'))
      .filter(
        (v) =>
          (v as { metricName?: string }).metricName ===
          'leadscoring_queue_job_duration_seconds_sum',
      )
      .map(({ labels, value }) => ({ labels, value }));
    expect(sums).toEqual([
      { labels: { queue: 'scoring', outcome: 'completed' }, value: 0.2 },
      { labels: { queue: 'scoring', outcome: 'failed' }, value: 3 },
    ]);
    expect(scoring.listenerCount('completed')).toBe(0);
  });
});
