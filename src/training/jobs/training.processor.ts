import { OnQueueFailed, Process, Processor } from '@nestjs/bull';
import { Logger } from '@nestjs/common';
import type { Job } from 'bull';
import { Types } from 'mongoose';

import { isFinalFailure } from '@/common/queues/final-failure.util';
import { TrainedModelType } from '@/ml/models/trained-model';
import {
  PipelineProgress,
  TrainingInputError,
  TrainingOutcome,
  trainPipeline,
} from '@/ml/train/train-pipeline.util';
import { TransformationError } from '@/ml/transform/transformation.util';
import { MlModelsService } from '@/ml-models/ml-models.service';
import { MlModelType } from '@/ml-models/schemas/ml-model.schema';
import { DatasetStore } from '@/versions/dataset-store.service';
import { DatasetVersionsService } from '@/versions/dataset-versions.service';

import { TrainingJob, TrainingJobStatus, TrainingStage } from '../schemas/training-job.schema';
import { TrainingJobsService } from './training-jobs.service';
import { TRAINING_QUEUE, TrainingJobName, TrainModelJobData } from './training-queue.constants';

/** A job is run at most this many times (its first run and one retry after a dead worker). */
const MAX_RUNS = 2;
const PROGRESS_EVERY_MS = 250;
const CANCEL_CHECK_EVERY_MS = 500;

const TERMINAL = new Set([
  TrainingJobStatus.COMPLETED,
  TrainingJobStatus.FAILED,
  TrainingJobStatus.CANCELLED,
]);

/** Lets timers and I/O run between two iterations of a fit (Bull's lock renewal among them). */
const breathe = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

function progressOf(step: PipelineProgress): number {
  if (step.stage === 'BUILDING_FEATURES') return 0.05;
  if (step.stage === 'EVALUATING') return 0.92;
  const fit = step.fit;
  return fit ? 0.1 + (0.8 * fit.iteration) / Math.max(1, fit.maxIterations) : 0.1;
}

/** The training failed for a reason a retry cannot fix: recorded at once, never retried. */
class FinalTrainingFailure extends Error {}

/**
 * Runs training jobs: reads the dataset version, fits through the shared pipeline one iteration
 * at a time (the event loop breathes between them, so this worker keeps serving its other
 * queues, and a cancel is seen within one iteration), evaluates, registers the model version.
 */
@Processor(TRAINING_QUEUE)
export class TrainingProcessor {
  private readonly logger = new Logger(TrainingProcessor.name);

  constructor(
    private readonly jobs: TrainingJobsService,
    private readonly models: MlModelsService,
    private readonly datasets: DatasetVersionsService,
    private readonly store: DatasetStore,
  ) {}

  @Process({ name: TrainingJobName.TRAIN, concurrency: 1 })
  async train(job: Job<TrainModelJobData>): Promise<{ status: TrainingJobStatus }> {
    const { tenantId, jobId } = job.data;
    let record = await this.jobs.get(tenantId, jobId);
    if (TERMINAL.has(record.status)) return { status: record.status };
    if (record.attempts >= MAX_RUNS) {
      // Bull hands a stalled job on without counting an attempt: this one's workers died twice.
      await this.failFinally(record, `its worker stopped ${record.attempts} times during training`);
      return { status: TrainingJobStatus.FAILED };
    }
    record = await this.jobs.update(tenantId, jobId, {
      status: TrainingJobStatus.ACTIVE,
      stage: TrainingStage.BUILDING_FEATURES,
      attempts: record.attempts + 1,
      startedAt: new Date(),
      progress: 0,
    });
    const modelRef = await this.modelOf(record);
    try {
      const outcome = await this.runFit(record, modelRef);
      if (!outcome) return { status: TrainingJobStatus.CANCELLED };
      await this.jobs.update(tenantId, jobId, { stage: TrainingStage.REGISTERING, progress: 0.96 });
      await this.models.complete(tenantId, modelRef, outcome);
      await this.jobs.update(tenantId, jobId, {
        status: TrainingJobStatus.COMPLETED,
        stage: TrainingStage.DONE,
        progress: 1,
        auc: Number.isFinite(outcome.metrics.auc) ? outcome.metrics.auc : null,
        finishedAt: new Date(),
      });
      return { status: TrainingJobStatus.COMPLETED };
    } catch (error) {
      if (
        error instanceof FinalTrainingFailure ||
        error instanceof TrainingInputError ||
        error instanceof TransformationError ||
        error instanceof RangeError
      ) {
        await this.failFinally(record, error.message);
        return { status: TrainingJobStatus.FAILED };
      }
      throw error;
    }
  }

  /** The registry's version for this job: made on the first run, reused by a retry. */
  private async modelOf(record: TrainingJob): Promise<Types.ObjectId> {
    if (record.modelId) return new Types.ObjectId(record.modelId);
    const tenantId = record.tenantId.toHexString();
    const model = await this.models.registerTraining({
      tenantId,
      type: record.modelType as MlModelType,
      params: record.params,
      transformation: record.transformation,
      datasetVersionId: record.datasetVersionId,
      trainingJobId: record._id,
      trainedBy: record.requestedBy,
      seed: record.seed,
    });
    await this.jobs.update(tenantId, record._id.toHexString(), { modelId: model.modelId });
    return model._id;
  }

  /** The fit, step by step; null when it was cancelled (and recorded so). */
  private async runFit(
    record: TrainingJob,
    modelRef: Types.ObjectId,
  ): Promise<TrainingOutcome | null> {
    const tenantId = record.tenantId.toHexString();
    const jobId = record._id.toHexString();
    const version = await this.datasets.get(tenantId, record.datasetVersionId.toHexString());
    const table = await this.store.readTable(version);
    const pipeline = trainPipeline({
      table,
      modelType: record.modelType as TrainedModelType,
      params: record.params,
      transformation: record.transformation,
      seed: record.seed,
      stats: version.featureStats,
    });
    let stage: string | null = null;
    let published = 0;
    let checked = Date.now();
    for (;;) {
      const step = pipeline.next();
      if (step.done) return step.value;
      await breathe();
      const now = Date.now();
      if (now - checked >= CANCEL_CHECK_EVERY_MS) {
        checked = now;
        const current = await this.jobs.get(tenantId, jobId);
        if (current.cancelRequested) {
          pipeline.return(undefined as never);
          await this.jobs.update(tenantId, jobId, {
            status: TrainingJobStatus.CANCELLED,
            finishedAt: new Date(),
            failure: 'cancelled',
          });
          await this.models.fail(tenantId, modelRef, 'training cancelled');
          return null;
        }
      }
      if (step.value.stage !== stage || now - published >= PROGRESS_EVERY_MS) {
        stage = step.value.stage;
        published = now;
        await this.jobs.update(tenantId, jobId, {
          stage: TrainingStage[step.value.stage],
          progress: progressOf(step.value),
          iteration: step.value.fit?.iteration ?? 0,
          maxIterations: step.value.fit?.maxIterations ?? 0,
        });
      }
    }
  }

  private async failFinally(record: TrainingJob, reason: string): Promise<void> {
    const tenantId = record.tenantId.toHexString();
    const current = await this.jobs.get(tenantId, record._id.toHexString());
    await this.jobs.update(tenantId, record._id.toHexString(), {
      status: TrainingJobStatus.FAILED,
      failure: reason,
      finishedAt: new Date(),
    });
    if (current.modelId)
      await this.models.fail(tenantId, new Types.ObjectId(current.modelId), reason);
  }

  @OnQueueFailed()
  async onFailed(job: Job<TrainModelJobData>, error: Error): Promise<void> {
    const final = isFinalFailure(job, error);
    this.logger.error({
      msg: 'training failed',
      jobId: job.data.jobId,
      final,
      error: error.message,
    });
    if (!final) return;
    const record = await this.jobs.findById(job.data.tenantId, job.data.jobId);
    if (record && !TERMINAL.has(record.status))
      await this.failFinally(record, `training failed: ${error.message}`);
  }
}
