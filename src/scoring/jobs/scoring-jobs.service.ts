import { InjectQueue } from '@nestjs/bull';
import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import type { Queue } from 'bull';
import { Model, Types } from 'mongoose';

import { EventBus } from '@/common/redis/event-bus.service';
import { TenantRepository } from '@/common/tenancy/tenant-repository';

import { ScoreChangeReason } from '../schemas/score-history.schema';
import { ScoringJob, ScoringJobStatus } from '../schemas/scoring-job.schema';
import { ScoringException } from '../scoring.exception';
import {
  BATCH_SCORING_PROGRESS_TOPIC,
  RescoreJobData,
  SCORING_QUEUE,
  ScoringJobName,
} from './scoring-queue.constants';

export interface BatchScoringProgressEvent {
  readonly tenantId: string;
  readonly jobId: string;
  readonly status: ScoringJobStatus;
  readonly processed: number;
  readonly total: number;
  readonly changed: number;
}

/** Producer side of the `scoring` queue, and the job records users query. */
@Injectable()
export class ScoringJobsService extends TenantRepository<ScoringJob> {
  constructor(
    @InjectModel(ScoringJob.name) model: Model<ScoringJob>,
    @InjectQueue(SCORING_QUEUE) private readonly queue: Queue,
    private readonly events: EventBus,
  ) {
    super(model);
  }

  async enqueueRescore({
    tenantId,
    requestedBy,
    reason,
    filter,
  }: {
    tenantId: string;
    requestedBy: string | null;
    reason: ScoreChangeReason;
    filter: RescoreJobData['filter'];
  }): Promise<ScoringJob> {
    const record = await this.create(tenantId, {
      status: ScoringJobStatus.QUEUED,
      reason,
      filter: { ...filter },
      // A user's id; a system actor (a scheduled retraining's deploy) is recorded as none.
      requestedBy:
        requestedBy && /^[0-9a-f]{24}$/i.test(requestedBy) ? new Types.ObjectId(requestedBy) : null,
    });
    const data: RescoreJobData = { tenantId, recordId: record._id.toHexString(), reason, filter };
    await this.queue.add(ScoringJobName.RESCORE, data, {
      jobId: record._id.toHexString(),
      attempts: 3,
      backoff: { type: 'exponential', delay: 2_000 },
      removeOnComplete: 1_000,
      removeOnFail: 1_000,
    });
    return record;
  }

  async get(tenantId: string, jobId: string): Promise<ScoringJob> {
    const job = await this.findById(tenantId, jobId);
    if (!job) throw ScoringException.jobNotFound();
    return job;
  }

  async update(
    tenantId: string,
    jobId: string,
    changes: Partial<ScoringJob>,
  ): Promise<ScoringJob | null> {
    const updated = await this.updateById(tenantId, jobId, { $set: changes });
    if (updated) {
      const event: BatchScoringProgressEvent = {
        tenantId,
        jobId,
        status: updated.status,
        processed: updated.processed,
        total: updated.total,
        changed: updated.changed,
      };
      await this.events.publish(BATCH_SCORING_PROGRESS_TOPIC, event);
    }
    return updated;
  }

  /** Counts an attempt and marks the job running; answers the record (its `attempts` included). */
  async markStarted(tenantId: string, jobId: string, total: number): Promise<ScoringJob> {
    const record = await this.updateById(tenantId, jobId, { $inc: { attempts: 1 } });
    if (!record) throw ScoringException.jobNotFound();
    await this.update(tenantId, jobId, {
      status: ScoringJobStatus.RUNNING,
      total,
      startedAt: new Date(),
    });
    return record;
  }

  subscribeProgress(): AsyncIterableIterator<BatchScoringProgressEvent> {
    return this.events.iterator<BatchScoringProgressEvent>(BATCH_SCORING_PROGRESS_TOPIC);
  }
}
