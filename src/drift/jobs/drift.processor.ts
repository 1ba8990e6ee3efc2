import { Process, Processor } from '@nestjs/bull';
import { Logger, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import type { Job } from 'bull';

import { DriftException } from '../drift.exception';
import { ModelDriftService } from '../model-drift.service';
import { DriftCheckTrigger } from '../schemas/drift-report.schema';
import { DriftJobsService } from './drift-jobs.service';
import { CheckDriftData, DRIFT_QUEUE, DriftJobName } from './drift-queue.constants';
import { TrainedDeploymentsReader } from './trained-deployments.reader';

/**
 * The daily drift sweep and the checks it queues, on worker processes. Workers register the
 * sweep at boot (idempotent), so a deployment always has it without anyone turning it on.
 */
@Processor(DRIFT_QUEUE)
export class DriftProcessor implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(DriftProcessor.name);
  private registering?: Promise<void>;

  constructor(
    private readonly jobs: DriftJobsService,
    private readonly deployments: TrainedDeploymentsReader,
    private readonly drift: ModelDriftService,
  ) {}

  onApplicationBootstrap(): void {
    // Not awaited: Redis away at boot must not hold the worker; the next boot registers it.
    this.registering = this.jobs
      .ensureSweep()
      .catch((error: unknown) =>
        this.logger.warn({ msg: 'drift sweep not registered', error: String(error) }),
      );
  }

  async onModuleDestroy(): Promise<void> {
    await this.registering;
  }

  /** One CHECK per tenant whose deployed model is trained (the weighted sum has no drift). */
  @Process({ name: DriftJobName.SWEEP, concurrency: 1 })
  async sweep(job: Job): Promise<{ queued: number }> {
    let queued = 0;
    for await (const tenantId of this.deployments.tenantIds()) {
      await this.jobs.queueCheck(tenantId, job.timestamp);
      queued++;
    }
    return { queued };
  }

  @Process({ name: DriftJobName.CHECK, concurrency: 1 })
  async check(job: Job<CheckDriftData>): Promise<{ reportId: string | null; flagged: boolean }> {
    const { tenantId } = job.data;
    try {
      const report = await this.drift.check({
        tenantId,
        trigger: DriftCheckTrigger.SCHEDULE,
        requestedBy: null,
      });
      return { reportId: report._id.toHexString(), flagged: report.flagged };
    } catch (error) {
      // Rolled back to the weighted sum since the sweep: nothing to check, nothing to retry.
      if (!(error instanceof DriftException)) throw error;
      this.logger.log({ msg: 'drift check skipped', tenantId, reason: error.message });
      return { reportId: null, flagged: false };
    }
  }
}
