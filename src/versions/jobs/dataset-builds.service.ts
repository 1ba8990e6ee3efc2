import { InjectQueue } from '@nestjs/bull';
import { Inject, Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import type { Queue } from 'bull';
import { Model } from 'mongoose';

import type { AuthUser } from '@/auth/auth-user';
import { AppException } from '@/common/errors/app.exception';
import { TenantRepository } from '@/common/tenancy/tenant-repository';
import { APP_CONFIG } from '@/config/app-config';
import type { ConnectedAppConfig } from '@/config/app-config';
import { LeadClosingService } from '@/leads/lead-closing.service';

import { BuildProgress, DatasetBuilder } from '../dataset-builder.service';
import { DatasetVersionsService, toDatasetVersionModel } from '../dataset-versions.service';
import { CreateDatasetVersionInput } from '../dto/dataset.inputs';
import type { DatasetBuildModel } from '../models/dataset.models';
import {
  DatasetBuild,
  DatasetBuildRequest,
  DatasetBuildStage,
  DatasetBuildStatus,
} from '../schemas/dataset-build.schema';
import { DatasetVersion } from '../schemas/dataset-version.schema';
import { VersionsException } from '../versions.exception';
import { BuildDatasetJobData, DATASETS_QUEUE, DatasetJobName } from './dataset-queue.constants';

/** How often a running build writes its progress (rows read), at most. */
const PROGRESS_EVERY_MS = 500;

/**
 * createDatasetVersion: a build record per call, built within the call when the tenant's closed
 * leads are few, else by a job on the `datasets` queue (the producer side is here).
 */
@Injectable()
export class DatasetBuildsService extends TenantRepository<DatasetBuild> {
  constructor(
    @InjectModel(DatasetBuild.name) model: Model<DatasetBuild>,
    @InjectQueue(DATASETS_QUEUE) private readonly queue: Queue,
    @Inject(APP_CONFIG) private readonly config: ConnectedAppConfig,
    private readonly builder: DatasetBuilder,
    private readonly versions: DatasetVersionsService,
    private readonly leads: LeadClosingService,
  ) {
    super(model);
  }

  async request(user: AuthUser, input: CreateDatasetVersionInput): Promise<DatasetBuildModel> {
    const { tenantId } = user;
    if (input.parentId) await this.versions.get(tenantId, input.parentId, 'input.parentId');
    const request: DatasetBuildRequest = {
      name: input.name,
      filter: {
        ...(input.filter?.outcomeFrom ? { outcomeFrom: input.filter.outcomeFrom } : {}),
        ...(input.filter?.outcomeTo ? { outcomeTo: input.filter.outcomeTo } : {}),
        ...(input.filter?.ownerIds?.length ? { ownerIds: [...input.filter.ownerIds].sort() } : {}),
      },
      transformation: input.transformation
        ? (JSON.parse(
            JSON.stringify(input.transformation),
          ) as DatasetBuildRequest['transformation'])
        : null,
      parentId: input.parentId ?? null,
    };
    const totalRows = await this.leads.countClosed(tenantId);
    if (totalRows === 0) throw VersionsException.emptySnapshot({ found: 0, closed: 0 });
    const inline = totalRows <= this.config.datasets.inlineMaxRows;
    const record = await this.create(tenantId, {
      status: inline ? DatasetBuildStatus.RUNNING : DatasetBuildStatus.QUEUED,
      stage: DatasetBuildStage.READING,
      request,
      totalRows,
      requestedBy: user.userId,
    });
    const buildId = record._id.toHexString();
    if (!inline) {
      const data: BuildDatasetJobData = { tenantId, buildId };
      await this.queue.add(DatasetJobName.BUILD, data, {
        jobId: buildId,
        attempts: 2,
        backoff: { type: 'fixed', delay: 1_000 },
        removeOnComplete: 1_000,
        removeOnFail: 1_000,
      });
      return this.view(tenantId, record);
    }
    // Small: within the call. A refusal (nothing to snapshot, a bad transformation) answers
    // the call with its code, and the record says FAILED.
    return this.view(tenantId, await this.run(tenantId, buildId, { rethrow: true }));
  }

  /**
   * Runs a build and records its end. Refusals (nothing to snapshot, a bad transformation) are
   * recorded FAILED and answered (`rethrow`: thrown as they are, for a call built inline); other
   * errors are thrown with nothing recorded (a job is retried, then recorded FAILED).
   */
  async run(
    tenantId: string,
    buildId: string,
    { rethrow = false }: { rethrow?: boolean } = {},
  ): Promise<DatasetBuild> {
    const record = await this.findById(tenantId, buildId);
    if (!record) throw VersionsException.buildNotFound(buildId);
    await this.updateById(tenantId, buildId, { $set: { status: DatasetBuildStatus.RUNNING } });
    let lastWrite = 0;
    const onProgress = async (progress: BuildProgress): Promise<void> => {
      const now = Date.now();
      if (progress.stage === DatasetBuildStage.READING && now - lastWrite < PROGRESS_EVERY_MS)
        return;
      lastWrite = now;
      await this.updateById(tenantId, buildId, {
        $set: { stage: progress.stage, rowsRead: progress.rowsRead },
      });
    };
    try {
      const { version, reused } = await this.builder.build({
        tenantId,
        request: { ...record.request, filter: record.request.filter ?? {} },
        requestedBy: record.requestedBy,
        onProgress,
      });
      return (await this.finish(tenantId, buildId, {
        status: DatasetBuildStatus.COMPLETED,
        stage: DatasetBuildStage.DONE,
        versionId: version._id,
        reused,
      }))!;
    } catch (error) {
      if (!(error instanceof AppException)) throw error;
      const failed = await this.finish(tenantId, buildId, {
        status: DatasetBuildStatus.FAILED,
        error: {
          code: error.code,
          message: error.message,
          ...(Array.isArray(error.details.fields)
            ? { fields: error.details.fields as { path: string; messages: string[] }[] }
            : {}),
        },
      });
      if (rethrow) throw error;
      return failed!;
    }
  }

  finish(
    tenantId: string,
    buildId: string,
    changes: Partial<DatasetBuild>,
  ): Promise<DatasetBuild | null> {
    return this.updateById(tenantId, buildId, { $set: { ...changes, finishedAt: new Date() } });
  }

  async get(tenantId: string, id: string): Promise<DatasetBuildModel> {
    const record = await this.findById(tenantId, id);
    if (!record) throw VersionsException.buildNotFound(id);
    return this.view(tenantId, record);
  }

  private async view(tenantId: string, record: DatasetBuild): Promise<DatasetBuildModel> {
    const version: DatasetVersion | null = record.versionId
      ? await this.versions.findById(tenantId, record.versionId.toHexString())
      : null;
    return {
      id: record._id.toHexString(),
      status: record.status,
      stage: record.stage,
      rowsRead: record.rowsRead,
      totalRows: record.totalRows,
      version: version ? toDatasetVersionModel(version) : null,
      reused: record.reused,
      error: record.error ? { ...record.error, fields: record.error.fields ?? null } : null,
      createdAt: record.createdAt,
      finishedAt: record.finishedAt,
    };
  }
}
