import { InjectQueue } from '@nestjs/bull';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import type { Queue } from 'bull';
import { Model } from 'mongoose';

import type { AuthUser } from '@/auth/auth-user';
import { AppException } from '@/common/errors/app.exception';
import { ErrorCode } from '@/common/errors/error-code';
import { toClientError } from '@/common/errors/to-client-error';
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
 * How often a running build renews its heartbeat (any write of the record counts): the sweeper
 * gives a RUNNING build that no live job holds several of these before it calls it dead.
 */
export const BUILD_HEARTBEAT_MS = 20_000;

const UNFINISHED = [DatasetBuildStatus.QUEUED, DatasetBuildStatus.RUNNING];

/**
 * createDatasetVersion: a build record per call, built within the call when the tenant's closed
 * leads are few, else by a job on the `datasets` queue (the producer side is here).
 */
@Injectable()
export class DatasetBuildsService extends TenantRepository<DatasetBuild> {
  private readonly logger = new Logger(DatasetBuildsService.name);

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
      heartbeatAt: inline ? new Date() : null,
    });
    const buildId = record._id.toHexString();
    if (!inline) {
      await this.enqueue(tenantId, buildId);
      return this.view(tenantId, record);
    }
    // Small: within the call. A refusal (nothing to snapshot, a bad transformation) answers
    // the call with its code, and the record says FAILED.
    return this.view(tenantId, await this.run(tenantId, buildId, { rethrow: true }));
  }

  /**
   * Queues the build's job. A queue that cannot take it (Redis unreachable) leaves no QUEUED
   * record behind: the build is recorded FAILED and the caller told to retry.
   */
  private async enqueue(tenantId: string, buildId: string): Promise<void> {
    const data: BuildDatasetJobData = { tenantId, buildId };
    try {
      await this.queue.add(DatasetJobName.BUILD, data, {
        jobId: buildId,
        attempts: 2,
        backoff: { type: 'fixed', delay: 1_000 },
        removeOnComplete: 1_000,
        removeOnFail: 1_000,
      });
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      this.logger.error({ msg: 'dataset build not queued', buildId, error: reason });
      // If this write fails too, the sweeper finds the build QUEUED with no job.
      await this.finish(tenantId, buildId, {
        status: DatasetBuildStatus.FAILED,
        error: { code: ErrorCode.UNAVAILABLE, message: `the build could not be queued: ${reason}` },
      }).catch(() => undefined);
      throw VersionsException.queueUnavailable(buildId);
    }
  }

  /**
   * Runs a build and records its end. Refusals (nothing to snapshot, a bad transformation) are
   * recorded FAILED and answered (`rethrow`: thrown as they are, for a call built inline). Other
   * errors of a call built inline are recorded FAILED too and answered with the build's id; a
   * job's are thrown with nothing recorded (it is retried, then recorded FAILED). A build that
   * ended already (a job queued by an enqueue answered as failed) is not run again.
   */
  async run(
    tenantId: string,
    buildId: string,
    { rethrow = false }: { rethrow?: boolean } = {},
  ): Promise<DatasetBuild> {
    const record = await this.findById(tenantId, buildId);
    if (!record) throw VersionsException.buildNotFound(buildId);
    if (!UNFINISHED.includes(record.status)) return record;
    await this.updateById(tenantId, buildId, {
      $set: { status: DatasetBuildStatus.RUNNING, heartbeatAt: new Date() },
    });
    const heartbeat = setInterval(() => {
      this.updateById(tenantId, buildId, { $set: { heartbeatAt: new Date() } }).catch(
        () => undefined,
      );
    }, BUILD_HEARTBEAT_MS);
    heartbeat.unref();
    try {
      return await this.buildAndRecord(tenantId, buildId, record, rethrow);
    } finally {
      clearInterval(heartbeat);
    }
  }

  private async buildAndRecord(
    tenantId: string,
    buildId: string,
    record: DatasetBuild,
    rethrow: boolean,
  ): Promise<DatasetBuild> {
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
      if (!(error instanceof AppException)) {
        if (!rethrow) throw error;
        throw await this.failInline(tenantId, buildId, error);
      }
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

  /** Records an inline build's unexpected error; answers the error for the caller. */
  private async failInline(
    tenantId: string,
    buildId: string,
    error: unknown,
  ): Promise<VersionsException> {
    const reason = error instanceof Error ? error.message : String(error);
    this.logger.error({ msg: 'dataset build failed', buildId, error: reason });
    const code =
      toClientError(error).code === ErrorCode.UNAVAILABLE
        ? ErrorCode.UNAVAILABLE
        : ErrorCode.INTERNAL;
    // If this write fails too (the database is down), the sweeper finds the build past its lease.
    await this.finish(tenantId, buildId, {
      status: DatasetBuildStatus.FAILED,
      error: { code, message: `the build failed: ${reason}` },
    }).catch(() => undefined);
    return VersionsException.buildFailed(buildId, code);
  }

  /**
   * QUEUED and RUNNING builds of every tenant, last written before `before`, oldest first: the
   * sweeper's query, unscoped by design (it serves every tenant).
   */
  async *unfinishedBefore(before: Date): AsyncGenerator<DatasetBuild> {
    const cursor = this.model
      .find({ status: { $in: UNFINISHED }, updatedAt: { $lt: before } })
      .sort({ updatedAt: 1 })
      .lean<DatasetBuild>()
      .cursor();
    for await (const build of cursor) yield build;
  }

  /**
   * Records FAILED a build the sweeper found stuck, if it is still as read (a heartbeat or a
   * step in between shows it alive); true when it was.
   */
  async failStuck(build: DatasetBuild, message: string): Promise<boolean> {
    const failed = await this.updateOne(
      build.tenantId,
      { _id: build._id, status: build.status, updatedAt: build.updatedAt },
      {
        $set: {
          status: DatasetBuildStatus.FAILED,
          error: { code: ErrorCode.INTERNAL, message },
          finishedAt: new Date(),
        },
      },
    );
    return failed !== null;
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
