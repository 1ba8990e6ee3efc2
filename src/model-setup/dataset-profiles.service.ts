import { InjectQueue } from '@nestjs/bull';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import type { Queue } from 'bull';
import { Model, Types, UpdateQuery } from 'mongoose';

import { AppException } from '@/common/errors/app.exception';
import { hasLiveJob } from '@/common/queues/periodic-sweeper';
import { TenantRepository } from '@/common/tenancy/tenant-repository';
import { APP_CONFIG } from '@/config/app-config';
import type { ConnectedAppConfig } from '@/config/app-config';
import { profileDataset } from '@/ml/setup/profile-dataset.util';
import { screenLeakage } from '@/ml/setup/screen-leakage.util';
import { DatasetStore } from '@/versions/dataset-store.service';
import { DatasetVersionsService } from '@/versions/dataset-versions.service';
import type { DatasetVersion } from '@/versions/schemas/dataset-version.schema';

import {
  MODEL_SETUP_QUEUE,
  ModelSetupJobName,
  ProfileDatasetJobData,
} from './jobs/model-setup-queue.constants';
import { ModelSetupException } from './model-setup.exception';
import {
  datasetProfileIdFor,
  DatasetProfileRecord,
  DatasetProfileStatus,
} from './schemas/dataset-profile.schema';

/** What the profile calls the outcome. */
export const PROFILE_LABEL_NAME = 'outcome';
/** A FAILED profile asked for again after this long is run again (sooner, the failure stands). */
export const FAILED_RETRY_AFTER_MS = 30_000;
/** A PENDING profile this old with no job in the queue lost its job. */
export const PENDING_GRACE_MS = 60_000;
/** A RUNNING profile no write touched for this long, and no live job holds, lost its process. */
export const RUNNING_LEASE_MS = 120_000;

/**
 * The profile and leakage flags of each dataset version, computed once and stored (versions are
 * immutable): within the call up to DATASET_INLINE_MAX_ROWS rows, by a job on the `model-setup`
 * queue beyond (the producer side is here). A profile whose job or process was lost, or that
 * failed a while ago, is started again when asked for.
 */
@Injectable()
export class DatasetProfilesService extends TenantRepository<DatasetProfileRecord> {
  private readonly logger = new Logger(DatasetProfilesService.name);

  constructor(
    @InjectModel(DatasetProfileRecord.name) model: Model<DatasetProfileRecord>,
    @InjectQueue(MODEL_SETUP_QUEUE) private readonly queue: Queue,
    @Inject(APP_CONFIG) private readonly config: ConnectedAppConfig,
    private readonly versions: DatasetVersionsService,
    private readonly store: DatasetStore,
  ) {
    super(model);
  }

  /** The version's profile record, started (or run within the call) when there is none yet. */
  async ensure(tenantId: string, versionId: string): Promise<DatasetProfileRecord> {
    const version = await this.versions.get(tenantId, versionId, 'versionId');
    const record = await this.read(tenantId, versionId);
    if (record && !(await this.needsRestart(record))) return record;
    if (version.rowCount <= this.config.datasets.inlineMaxRows)
      return this.profileInline(tenantId, version);
    return this.enqueue(tenantId, versionId);
  }

  read(tenantId: string, versionId: string): Promise<DatasetProfileRecord | null> {
    const id = datasetProfileIdFor(tenantId, versionId);
    return this.findByIds(tenantId, [id]).then(([record]) => record ?? null);
  }

  /** The worker's side: profiles a queued version (an attempt after a dead one starts over). */
  async run(tenantId: string, versionId: string): Promise<DatasetProfileStatus> {
    const record = await this.read(tenantId, versionId);
    if (!record || record.status === DatasetProfileStatus.READY) return DatasetProfileStatus.READY;
    await this.write(tenantId, versionId, {
      $set: { status: DatasetProfileStatus.RUNNING, startedAt: new Date() },
    });
    try {
      const version = await this.versions.get(tenantId, versionId, 'versionId');
      await this.compute(tenantId, version);
      return DatasetProfileStatus.READY;
    } catch (error) {
      if (!(error instanceof AppException)) throw error;
      await this.fail(tenantId, versionId, error.message);
      return DatasetProfileStatus.FAILED;
    }
  }

  async fail(tenantId: string, versionId: string, error: string): Promise<void> {
    await this.write(tenantId, versionId, {
      $set: { status: DatasetProfileStatus.FAILED, error, finishedAt: new Date() },
    });
  }

  /** Writes by `_id` (and tenant), creating the record when there is none. */
  async write(
    tenantId: string,
    versionId: string,
    update: UpdateQuery<DatasetProfileRecord>,
  ): Promise<DatasetProfileRecord | null> {
    const id = datasetProfileIdFor(tenantId, versionId).toHexString();
    return this.updateById(
      tenantId,
      id,
      { ...update, $setOnInsert: { versionId: new Types.ObjectId(versionId) } },
      { upsert: true },
    );
  }

  private async needsRestart(record: DatasetProfileRecord): Promise<boolean> {
    const idle = Date.now() - record.updatedAt.getTime();
    switch (record.status) {
      case DatasetProfileStatus.READY:
        return false;
      case DatasetProfileStatus.FAILED:
        return idle >= FAILED_RETRY_AFTER_MS;
      case DatasetProfileStatus.PENDING:
        return idle >= PENDING_GRACE_MS && !(await hasLiveJob(this.queue, jobIdOf(record)));
      case DatasetProfileStatus.RUNNING:
        return idle >= RUNNING_LEASE_MS && !(await hasLiveJob(this.queue, jobIdOf(record)));
    }
  }

  private async profileInline(
    tenantId: string,
    version: DatasetVersion,
  ): Promise<DatasetProfileRecord> {
    const versionId = version._id.toHexString();
    await this.write(tenantId, versionId, {
      $set: { ...restarted(DatasetProfileStatus.RUNNING, false), startedAt: new Date() },
    });
    try {
      return await this.compute(tenantId, version);
    } catch (error) {
      if (error instanceof AppException) throw error;
      const reason = error instanceof Error ? error.message : String(error);
      this.logger.error({ msg: 'dataset profile failed', versionId, error: reason });
      await this.fail(tenantId, versionId, `the profiling failed: ${reason}`);
      return (await this.read(tenantId, versionId))!;
    }
  }

  private async compute(tenantId: string, version: DatasetVersion): Promise<DatasetProfileRecord> {
    const started = Date.now();
    const table = await this.store.readTable(version);
    const profile = profileDataset(table, { labelName: PROFILE_LABEL_NAME });
    const flags = screenLeakage(profile);
    const durationMs = Date.now() - started;
    this.logger.log({
      msg: 'dataset profiled',
      versionId: version._id.toHexString(),
      rows: profile.rows,
      flags: flags.length,
      durationMs,
    });
    return (await this.write(tenantId, version._id.toHexString(), {
      $set: {
        status: DatasetProfileStatus.READY,
        profile,
        flags,
        error: null,
        durationMs,
        finishedAt: new Date(),
      },
    }))!;
  }

  private async enqueue(tenantId: string, versionId: string): Promise<DatasetProfileRecord> {
    const record = (await this.write(tenantId, versionId, {
      $set: restarted(DatasetProfileStatus.PENDING, true),
    }))!;
    const data: ProfileDatasetJobData = { tenantId, versionId };
    try {
      // The record's id as the job's: asking again while it waits adds no second job.
      await this.queue.add(ModelSetupJobName.PROFILE, data, {
        jobId: jobIdOf(record),
        attempts: 2,
        backoff: { type: 'fixed', delay: 1_000 },
        removeOnComplete: true,
        removeOnFail: true,
      });
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      this.logger.error({ msg: 'dataset profile not queued', versionId, error: reason });
      await this.fail(tenantId, versionId, `the profiling could not be queued: ${reason}`).catch(
        () => undefined,
      );
      throw ModelSetupException.queueUnavailable(versionId);
    }
    return record;
  }
}

function jobIdOf(record: Pick<DatasetProfileRecord, '_id'>): string {
  return record._id.toHexString();
}

function restarted(status: DatasetProfileStatus, queued: boolean): Partial<DatasetProfileRecord> {
  return {
    status,
    queued,
    profile: null,
    flags: null,
    error: null,
    durationMs: null,
    startedAt: null,
    finishedAt: null,
  };
}
