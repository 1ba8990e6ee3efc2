import { InjectQueue } from '@nestjs/bull';
import { Injectable } from '@nestjs/common';
import type { Queue } from 'bull';

import { hasLiveJob, PeriodicSweeper } from '@/common/queues/periodic-sweeper';

import { TrainingJob, TrainingJobStatus } from '../schemas/training-job.schema';
import { TrainingJobsService } from './training-jobs.service';
import { TRAINING_QUEUE } from './training-queue.constants';

/** A QUEUED job this old with no Bull job was never queued, or its Bull job was lost. */
export const QUEUED_GRACE_MS = 60_000;
/**
 * An ACTIVE job whose record saw no write for this long, and no live Bull job holds, lost its
 * worker for good (a dead worker's Bull job is handed on by Bull itself, and stays live).
 */
export const ACTIVE_LEASE_MS = 10 * 60_000;
const SWEEP_EVERY_MS = 60_000;

/**
 * Workers look for training jobs that will never end on their own and record them (and their
 * model, if one was registered) FAILED: QUEUED with no Bull job (an enqueue that failed, Redis
 * emptied), or ACTIVE past the lease with no live Bull job. Conditional on the record as read,
 * so several workers, and a job that moves meanwhile, are safe.
 */
@Injectable()
export class TrainingJobsSweeper extends PeriodicSweeper {
  constructor(
    private readonly jobs: TrainingJobsService,
    @InjectQueue(TRAINING_QUEUE) private readonly queue: Queue,
  ) {
    super(TrainingJobsSweeper.name, 'training job', SWEEP_EVERY_MS);
  }

  /** Records FAILED the jobs stuck at `now`; answers how many. */
  override async sweep(now = new Date()): Promise<number> {
    let failed = 0;
    for await (const job of this.jobs.unfinishedBefore(new Date(now.getTime() - QUEUED_GRACE_MS))) {
      const reason = await this.stuckReason(job, now);
      if (reason && (await this.jobs.failAbandoned(job, reason))) {
        failed++;
        this.logger.warn({ msg: 'training job swept', jobId: job._id.toHexString(), reason });
      }
    }
    return failed;
  }

  private async stuckReason(job: TrainingJob, now: Date): Promise<string | null> {
    const idle = now.getTime() - job.updatedAt.getTime();
    const queued = job.status === TrainingJobStatus.QUEUED;
    if (idle < (queued ? QUEUED_GRACE_MS : ACTIVE_LEASE_MS)) return null;
    if (await hasLiveJob(this.queue, job._id.toHexString())) return null;
    return queued
      ? 'the training never started: its job is not in the queue (the enqueue failed or the queue lost it); train again'
      : `the training stopped: no worker has written progress for ${Math.round(idle / 1000)} s and no job holds it; train again`;
  }
}
