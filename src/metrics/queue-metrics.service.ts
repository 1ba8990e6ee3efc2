import { getQueueToken } from '@nestjs/bull';
import { Injectable, Logger, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import type { Job, JobCounts, Queue } from 'bull';
import { Gauge, Histogram } from 'prom-client';

import { AI_QUEUE } from '@/ai/jobs/ai-queue.constants';
import { MODEL_SETUP_QUEUE } from '@/model-setup/jobs/model-setup-queue.constants';
import { WEBHOOKS_QUEUE } from '@/webhooks/jobs/webhooks-queue.constants';
import { withTimeout } from '@/common/utils/with-timeout.util';
import { DRIFT_QUEUE } from '@/drift/jobs/drift-queue.constants';
import { IMPORTS_QUEUE } from '@/leads/import/lead-import.constants';
import { LIFECYCLE_QUEUE } from '@/lifecycle/jobs/lifecycle-queue.constants';
import { SCORING_QUEUE } from '@/scoring/jobs/scoring-queue.constants';
import { TRAINING_QUEUE } from '@/training/jobs/training-queue.constants';
import { DATASETS_QUEUE } from '@/versions/jobs/dataset-queue.constants';

import { MetricsService } from './metrics.service';

export const MEASURED_QUEUES: readonly string[] = [
  SCORING_QUEUE,
  IMPORTS_QUEUE,
  DATASETS_QUEUE,
  TRAINING_QUEUE,
  MODEL_SETUP_QUEUE,
  LIFECYCLE_QUEUE,
  DRIFT_QUEUE,
  AI_QUEUE,
  WEBHOOKS_QUEUE,
];
const JOB_STATES: readonly (keyof JobCounts)[] = [
  'waiting',
  'active',
  'delayed',
  'failed',
  'completed',
];
/**
 * A scrape must answer while Redis does not: counts not read by then are left out (and logged at
 * debug only: `leadscoring_dependency_up{dependency="redis"}` already says Redis is down).
 */
export const JOB_COUNTS_TIMEOUT_MS = 1_000;

/** Processing time of a finished job, from Bull's own timestamps; undefined if it lacks them. */
export function jobDurationSeconds(
  job: Pick<Job, 'processedOn' | 'finishedOn'>,
): number | undefined {
  if (!job.processedOn || !job.finishedOn) return undefined;
  return Math.max(0, job.finishedOn - job.processedOn) / 1000;
}

/**
 * The Bull queues of this process: jobs by state, read from Redis at each scrape (every process
 * sees the same shared counts), and the processing time of the jobs this process ran (a queue's
 * local `completed` / `failed` events fire only where its processor runs, so only workers observe).
 */
@Injectable()
export class QueueMetricsService implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger(QueueMetricsService.name);
  private readonly queues = new Map<string, Queue>();
  private readonly jobDuration: Histogram<'queue' | 'outcome'>;
  private readonly detach: (() => void)[] = [];

  constructor(
    private readonly moduleRef: ModuleRef,
    metrics: MetricsService,
  ) {
    const readCounts = () => this.readCounts();
    new Gauge({
      name: 'leadscoring_queue_jobs',
      help: 'Jobs in each Bull queue by state, read at scrape time (absent for a queue whose counts did not arrive in time).',
      labelNames: ['queue', 'state'],
      registers: [metrics.registry],
      async collect() {
        const counts = await readCounts();
        this.reset();
        for (const [queue, byState] of counts) {
          for (const state of JOB_STATES) this.set({ queue, state }, byState[state] ?? 0);
        }
      },
    });
    this.jobDuration = new Histogram({
      name: 'leadscoring_queue_job_duration_seconds',
      help: 'Processing time of the jobs this process ran (one per attempt), by queue and outcome.',
      labelNames: ['queue', 'outcome'],
      buckets: [0.01, 0.05, 0.1, 0.5, 1, 5, 15, 60, 300, 900, 3600],
      registers: [metrics.registry],
    });
  }

  onModuleInit(): void {
    for (const name of MEASURED_QUEUES) {
      const queue = this.findQueue(name);
      if (!queue) continue;
      this.queues.set(name, queue);
      const completed = (job: Job) => this.observe(name, job, 'completed');
      const failed = (job: Job) => this.observe(name, job, 'failed');
      queue.on('completed', completed);
      queue.on('failed', failed);
      this.detach.push(() => {
        queue.removeListener('completed', completed);
        queue.removeListener('failed', failed);
      });
    }
  }

  onModuleDestroy(): void {
    this.detach.splice(0).forEach((detach) => detach());
  }

  /** A queue this process's modules did not register is skipped, not an error. */
  private findQueue(name: string): Queue | undefined {
    try {
      return this.moduleRef.get<Queue>(getQueueToken(name), { strict: false });
    } catch {
      return undefined;
    }
  }

  private observe(queue: string, job: Job, outcome: 'completed' | 'failed'): void {
    const seconds = jobDurationSeconds(job);
    if (seconds !== undefined) this.jobDuration.observe({ queue, outcome }, seconds);
  }

  private async readCounts(): Promise<Map<string, JobCounts>> {
    const counts = new Map<string, JobCounts>();
    await Promise.all(
      [...this.queues].map(async ([name, queue]) => {
        try {
          counts.set(
            name,
            await withTimeout(
              queue.getJobCounts(),
              JOB_COUNTS_TIMEOUT_MS,
              `job counts of queue ${name} not read within ${JOB_COUNTS_TIMEOUT_MS} ms`,
            ),
          );
        } catch (error) {
          this.logger.debug(String(error));
        }
      }),
    );
    return counts;
  }
}
