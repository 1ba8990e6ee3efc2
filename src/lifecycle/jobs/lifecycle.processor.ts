import { OnQueueFailed, Process, Processor } from '@nestjs/bull';
import { Logger } from '@nestjs/common';
import type { Job } from 'bull';

import { isFinalFailure } from '@/common/queues/final-failure.util';

import { LifecycleException } from '../lifecycle.exception';
import { LifecycleSettingsService } from '../lifecycle-settings.service';
import { RetrainingService } from '../retraining.service';
import { RetrainingTrigger } from '../schemas/model-lifecycle.schema';
import {
  LIFECYCLE_QUEUE,
  LifecycleJobName,
  RunRetrainingData,
  ScheduledRetrainingData,
} from './lifecycle-queue.constants';

type LifecycleJobData = ScheduledRetrainingData & { decisionId?: string };

/** Runs scheduled and requested retrainings on worker processes, one at a time per process. */
@Processor(LIFECYCLE_QUEUE)
export class LifecycleProcessor {
  private readonly logger = new Logger(LifecycleProcessor.name);

  constructor(
    private readonly retraining: RetrainingService,
    private readonly settings: LifecycleSettingsService,
  ) {}

  @Process({ name: LifecycleJobName.SCHEDULED, concurrency: 1 })
  async scheduled(job: Job<LifecycleJobData>): Promise<{ decisionId: string | null }> {
    const { tenantId } = job.data;
    let decisionId = job.data.decisionId;
    if (!decisionId) {
      if (!(await this.settings.get(tenantId)).retrainingEnabled) return { decisionId: null };
      try {
        const decision = await this.retraining.open(tenantId, RetrainingTrigger.SCHEDULE, null);
        decisionId = decision._id.toHexString();
      } catch (error) {
        if (!(error instanceof LifecycleException)) throw error;
        this.logger.log({ msg: 'scheduled retraining skipped', tenantId, reason: error.message });
        return { decisionId: null };
      }
      // A retry of this job (its worker died) resumes this decision instead of opening another.
      await job.update({ ...job.data, decisionId });
    }
    await this.retraining.execute(tenantId, decisionId);
    return { decisionId };
  }

  @Process({ name: LifecycleJobName.RUN, concurrency: 1 })
  async run(job: Job<RunRetrainingData>): Promise<{ decisionId: string }> {
    await this.retraining.execute(job.data.tenantId, job.data.decisionId);
    return { decisionId: job.data.decisionId };
  }

  @OnQueueFailed()
  async onFailed(job: Job<LifecycleJobData>, error: Error): Promise<void> {
    const final = isFinalFailure(job, error);
    this.logger.error({ msg: 'retraining failed', jobId: job.id, final, error: error.message });
    if (final && job.data.decisionId)
      await this.retraining.failRun(job.data.tenantId, job.data.decisionId, error.message);
  }
}
