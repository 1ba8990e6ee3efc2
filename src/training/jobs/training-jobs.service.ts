import { InjectQueue } from '@nestjs/bull';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import type { Queue } from 'bull';
import { Model, QueryFilter, Types } from 'mongoose';

import type { AuthUser } from '@/auth/auth-user';
import { pageInfo } from '@/common/graphql/page.args';
import { derivedObjectId } from '@/common/ids/derived-object-id.util';
import { EventBus } from '@/common/redis/event-bus.service';
import { TenantRepository, toObjectId } from '@/common/tenancy/tenant-repository';
import { APP_CONFIG } from '@/config/app-config';
import type { ConnectedAppConfig } from '@/config/app-config';
import { modelParams } from '@/ml/train/model-params.util';
import {
  normalizeTransformation,
  TransformationConfig,
  validateTransformation,
} from '@/ml/transform/transformation.util';
import { MlModelsService } from '@/ml-models/ml-models.service';
import { DatasetVersionsService } from '@/versions/dataset-versions.service';

import { TrainingJobsArgs, TrainModelInput, TrainingSettingsInput } from '../dto/training.inputs';
import type {
  TrainingJobModel,
  TrainingJobPageModel,
  TrainingSettingsModel,
} from '../models/training.models';
import {
  TrainingJob,
  TrainingJobStatus,
  TrainingSettings,
  TrainingStage,
} from '../schemas/training-job.schema';
import { TrainingException } from '../training.exception';
import {
  TRAINING_JOB_UPDATED_TOPIC,
  TRAINING_QUEUE,
  TrainingJobName,
  TrainModelJobData,
} from './training-queue.constants';

/** What travels on TRAINING_JOB_UPDATED_TOPIC. */
export interface TrainingJobUpdatedEvent {
  readonly tenantId: string;
  readonly job: TrainingJobModel;
}

/**
 * trainModel: checks everything a fit needs before queueing it (the version, the params, the
 * transformation, both outcomes, the minimum data), keeps the job records users follow, and
 * publishes each change of them.
 */
@Injectable()
export class TrainingJobsService extends TenantRepository<TrainingJob> {
  private readonly logger = new Logger(TrainingJobsService.name);

  constructor(
    @InjectModel(TrainingJob.name) model: Model<TrainingJob>,
    @InjectModel(TrainingSettings.name) private readonly settings: Model<TrainingSettings>,
    @InjectQueue(TRAINING_QUEUE) private readonly queue: Queue,
    @Inject(APP_CONFIG) private readonly config: ConnectedAppConfig,
    private readonly datasets: DatasetVersionsService,
    private readonly models: MlModelsService,
    private readonly events: EventBus,
  ) {
    super(model);
  }

  async request(user: AuthUser, input: TrainModelInput): Promise<TrainingJob> {
    const { tenantId } = user;
    const version = await this.datasets.get(
      tenantId,
      input.datasetVersionId,
      'input.datasetVersionId',
    );
    const { params, problems } = modelParams(input.modelType, input.params);
    const transformation = normalizeTransformation(
      input.transformation
        ? (JSON.parse(JSON.stringify(input.transformation)) as TransformationConfig)
        : version.transformation,
    );
    const fields = [
      ...problems.map((p) => ({ path: `input.params.${p.path}`, messages: [p.message] })),
      ...validateTransformation(transformation, version.featureStats).map((p) => ({
        path: `input.transformation.${p.path}`,
        messages: [p.message],
      })),
    ];
    if (fields.length > 0) throw TrainingException.invalid(fields);
    if (version.converted === 0) throw TrainingException.oneClass('lost');
    if (version.lost === 0) throw TrainingException.oneClass('converted');
    const minimum = await this.minimum(tenantId);
    if (version.converted < minimum.minConverted || version.lost < minimum.minLost)
      throw TrainingException.tooLittleData({
        converted: version.converted,
        lost: version.lost,
        ...minimum,
      });

    const record = await this.create(tenantId, {
      status: TrainingJobStatus.QUEUED,
      stage: TrainingStage.QUEUED,
      datasetVersionId: version._id,
      modelType: input.modelType,
      params,
      transformation,
      seed: input.seed,
      requestedBy: user.userId,
    });
    const data: TrainModelJobData = { tenantId, jobId: record._id.toHexString() };
    try {
      // Retried once if its worker dies or it fails for a reason that may pass; then FAILED.
      await this.queue.add(TrainingJobName.TRAIN, data, {
        jobId: data.jobId,
        attempts: 2,
        backoff: { type: 'fixed', delay: 1_000 },
        removeOnComplete: 1_000,
        removeOnFail: 1_000,
      });
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      this.logger.error({ msg: 'training job not queued', jobId: data.jobId, error: reason });
      // If this write fails too, the sweeper finds the job QUEUED with no Bull job.
      await this.failAbandoned(record, `the training could not be queued: ${reason}`).catch(
        () => undefined,
      );
      throw TrainingException.queueUnavailable(data.jobId);
    }
    await this.publish(record);
    return record;
  }

  /**
   * Records FAILED a job no worker will run to its end (not queued, its Bull job lost), and its
   * model when it has one; conditional on the job being as read, so a job that started or ended
   * meanwhile is left to its worker. True when it was recorded.
   */
  async failAbandoned(record: TrainingJob, reason: string): Promise<boolean> {
    const tenantId = record.tenantId.toHexString();
    const failed = await this.updateOne(
      tenantId,
      { _id: record._id, status: record.status, updatedAt: record.updatedAt },
      { $set: { status: TrainingJobStatus.FAILED, failure: reason, finishedAt: new Date() } },
    );
    if (!failed) return false;
    if (failed.modelId)
      await this.models.fail(tenantId, new Types.ObjectId(failed.modelId), reason);
    await this.publish(failed);
    return true;
  }

  /**
   * QUEUED and ACTIVE jobs of every tenant, last written before `before`, oldest first: the
   * sweeper's query, unscoped by design (it serves every tenant).
   */
  async *unfinishedBefore(before: Date): AsyncGenerator<TrainingJob> {
    const cursor = this.model
      .find({
        status: { $in: [TrainingJobStatus.QUEUED, TrainingJobStatus.ACTIVE] },
        updatedAt: { $lt: before },
      })
      .sort({ updatedAt: 1 })
      .lean<TrainingJob>()
      .cursor();
    for await (const job of cursor) yield job;
  }

  async get(tenantId: string, id: string): Promise<TrainingJob> {
    const job = await this.findById(tenantId, id);
    if (!job) throw TrainingException.jobNotFound(id);
    return job;
  }

  async list(tenantId: string, args: TrainingJobsArgs): Promise<TrainingJobPageModel> {
    const filter: QueryFilter<TrainingJob> = args.status ? { status: args.status } : {};
    const { items, total } = await this.page(tenantId, filter, {
      sort: { createdAt: -1, _id: -1 },
      page: args.page,
      limit: args.limit,
    });
    return { items: items.map(toTrainingJobModel), ...pageInfo(args, total) };
  }

  /** A queued job is dropped at once; a running one stops at its next iteration. */
  async cancel(user: AuthUser, id: string): Promise<TrainingJob> {
    const job = await this.get(user.tenantId, id);
    if (job.status === TrainingJobStatus.QUEUED) {
      const queued = await this.queue.getJob(id);
      await queued?.remove().catch(() => undefined);
      const cancelled = await this.updateOne(
        user.tenantId,
        { _id: job._id, status: TrainingJobStatus.QUEUED },
        {
          $set: {
            status: TrainingJobStatus.CANCELLED,
            cancelRequested: true,
            finishedAt: new Date(),
            failure: `cancelled by ${user.userId}`,
          },
        },
      );
      // Started in between: ask the running fit to stop instead.
      if (!cancelled) return this.cancel(user, id);
      await this.publish(cancelled);
      return cancelled;
    }
    if (job.status !== TrainingJobStatus.ACTIVE) throw TrainingException.notCancellable(job.status);
    return this.update(user.tenantId, id, { cancelRequested: true });
  }

  /** Writes the changes and tells subscribers (trainingJobUpdated). */
  async update(tenantId: string, id: string, changes: Partial<TrainingJob>): Promise<TrainingJob> {
    const updated = await this.updateById(tenantId, id, { $set: changes });
    if (!updated) throw TrainingException.jobNotFound(id);
    await this.publish(updated);
    return updated;
  }

  private async publish(job: TrainingJob): Promise<void> {
    await this.events.publish<TrainingJobUpdatedEvent>(TRAINING_JOB_UPDATED_TOPIC, {
      tenantId: job.tenantId.toHexString(),
      job: toTrainingJobModel(job),
    });
  }

  subscribe(): AsyncIterableIterator<TrainingJobUpdatedEvent> {
    return this.events.iterator<TrainingJobUpdatedEvent>(TRAINING_JOB_UPDATED_TOPIC);
  }

  async minimum(tenantId: string): Promise<{ minConverted: number; minLost: number }> {
    const own = await this.settings
      .findOne({ _id: settingsIdFor(tenantId), tenantId: toObjectId(tenantId) })
      .lean<TrainingSettings>()
      .exec();
    const fallback = this.config.training.minPerClass;
    return { minConverted: own?.minConverted ?? fallback, minLost: own?.minLost ?? fallback };
  }

  async settingsOf(tenantId: string): Promise<TrainingSettingsModel> {
    const own = await this.settings
      .findOne({ _id: settingsIdFor(tenantId), tenantId: toObjectId(tenantId) })
      .lean<TrainingSettings>()
      .exec();
    return { ...(await this.minimum(tenantId)), custom: own !== null };
  }

  async updateSettings(
    user: AuthUser,
    input: TrainingSettingsInput,
  ): Promise<TrainingSettingsModel> {
    await this.settings
      .updateOne(
        { _id: settingsIdFor(user.tenantId), tenantId: toObjectId(user.tenantId) },
        {
          $set: {
            minConverted: input.minConverted,
            minLost: input.minLost,
            updatedBy: user.userId,
          },
        },
        { upsert: true },
      )
      .exec();
    return this.settingsOf(user.tenantId);
  }
}

function settingsIdFor(tenantId: string): Types.ObjectId {
  return derivedObjectId('training-settings', tenantId);
}

export function toTrainingJobModel(job: TrainingJob): TrainingJobModel {
  return {
    id: job._id.toHexString(),
    status: job.status,
    stage: job.stage,
    progress: job.progress,
    iteration: job.iteration,
    maxIterations: job.maxIterations,
    datasetVersionId: job.datasetVersionId.toHexString(),
    modelType: job.modelType,
    params: job.params,
    seed: job.seed,
    modelId: job.modelId,
    auc: job.auc,
    attempts: job.attempts,
    cancelRequested: job.cancelRequested,
    failure: job.failure,
    requestedBy: job.requestedBy,
    createdAt: job.createdAt,
    startedAt: job.startedAt,
    finishedAt: job.finishedAt,
  };
}
