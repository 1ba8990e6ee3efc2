import { OnQueueFailed, Process, Processor } from '@nestjs/bull';
import { Logger } from '@nestjs/common';
import type { Job } from 'bull';

import { isFinalFailure } from '@/common/queues/final-failure.util';

import { DatasetBuildStatus } from '../schemas/dataset-build.schema';
import { DatasetBuildsService } from './dataset-builds.service';
import { BuildDatasetJobData, DATASETS_QUEUE, DatasetJobName } from './dataset-queue.constants';

/**
 * Builds a dataset version from scratch on each attempt: rows and the version are written by ids
 * derived from the content, so an attempt after a dead one rewrites the same documents.
 */
@Processor(DATASETS_QUEUE)
export class DatasetBuildProcessor {
  private readonly logger = new Logger(DatasetBuildProcessor.name);

  constructor(private readonly builds: DatasetBuildsService) {}

  @Process({ name: DatasetJobName.BUILD, concurrency: 1 })
  async build(job: Job<BuildDatasetJobData>): Promise<{ status: DatasetBuildStatus }> {
    const done = await this.builds.run(job.data.tenantId, job.data.buildId);
    return { status: done.status };
  }

  @OnQueueFailed()
  async onFailed(job: Job<BuildDatasetJobData>, error: Error): Promise<void> {
    const final = isFinalFailure(job, error);
    this.logger.error({
      msg: 'dataset build failed',
      buildId: job.data.buildId,
      final,
      error: error.message,
    });
    if (final)
      await this.builds.finish(job.data.tenantId, job.data.buildId, {
        status: DatasetBuildStatus.FAILED,
        error: { code: 'INTERNAL_SERVER_ERROR', message: `the build failed: ${error.message}` },
      });
  }
}
