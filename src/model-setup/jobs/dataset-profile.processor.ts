import { OnQueueFailed, Process, Processor } from '@nestjs/bull';
import { Logger } from '@nestjs/common';
import type { Job } from 'bull';

import { isFinalFailure } from '@/common/queues/final-failure.util';

import { DatasetProfilesService } from '../dataset-profiles.service';
import { DatasetProfileStatus } from '../schemas/dataset-profile.schema';
import {
  MODEL_SETUP_QUEUE,
  ModelSetupJobName,
  ProfileDatasetJobData,
} from './model-setup-queue.constants';

/**
 * Profiles one dataset version per job, from scratch on each attempt (the record is keyed by the
 * version, so an attempt after a dead one overwrites the same document).
 */
@Processor(MODEL_SETUP_QUEUE)
export class DatasetProfileProcessor {
  private readonly logger = new Logger(DatasetProfileProcessor.name);

  constructor(private readonly profiles: DatasetProfilesService) {}

  @Process({ name: ModelSetupJobName.PROFILE, concurrency: 1 })
  async profile(job: Job<ProfileDatasetJobData>): Promise<{ status: DatasetProfileStatus }> {
    return { status: await this.profiles.run(job.data.tenantId, job.data.versionId) };
  }

  @OnQueueFailed()
  async onFailed(job: Job<ProfileDatasetJobData>, error: Error): Promise<void> {
    const final = isFinalFailure(job, error);
    this.logger.error({
      msg: 'dataset profile failed',
      versionId: job.data.versionId,
      final,
      error: error.message,
    });
    if (final)
      await this.profiles.fail(
        job.data.tenantId,
        job.data.versionId,
        `the profiling failed: ${error.message}`,
      );
  }
}
