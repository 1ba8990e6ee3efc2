import { InjectQueue } from '@nestjs/bull';
import { Injectable } from '@nestjs/common';
import type { Queue } from 'bull';

import {
  CheckDriftData,
  checkJobIdFor,
  DRIFT_QUEUE,
  DRIFT_SWEEP_EVERY_MS,
  DRIFT_SWEEP_JOB_ID,
  DriftJobName,
} from './drift-queue.constants';

/** Puts drift work on the `drift` queue: the daily sweep (repeatable) and per-tenant checks. */
@Injectable()
export class DriftJobsService {
  constructor(@InjectQueue(DRIFT_QUEUE) private readonly queue: Queue) {}

  /**
   * Registers the daily sweep. Idempotent: Bull keys a repeatable job by name, id and interval,
   * so every worker registering it at boot leaves one schedule, kept in Redis across restarts.
   */
  async ensureSweep(): Promise<void> {
    await this.queue.add(
      DriftJobName.SWEEP,
      {},
      {
        jobId: DRIFT_SWEEP_JOB_ID,
        repeat: { every: DRIFT_SWEEP_EVERY_MS },
        removeOnComplete: 10,
        removeOnFail: 10,
      },
    );
  }

  async queueCheck(tenantId: string, sweepAt: number): Promise<void> {
    const data: CheckDriftData = { tenantId };
    await this.queue.add(DriftJobName.CHECK, data, {
      jobId: checkJobIdFor(tenantId, sweepAt),
      attempts: 2,
      backoff: { type: 'fixed', delay: 60_000 },
      removeOnComplete: 100,
      removeOnFail: 100,
    });
  }
}
