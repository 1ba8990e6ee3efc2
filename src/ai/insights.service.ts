import { InjectQueue } from '@nestjs/bull';
import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import type { Queue } from 'bull';
import { Model, Types } from 'mongoose';

import type { AuthUser } from '@/auth/auth-user';
import { EventBus } from '@/common/redis/event-bus.service';
import { TenantRepository } from '@/common/tenancy/tenant-repository';
import { leadRefFor } from '@/leads/lead-snapshot.util';

import { AiMetrics } from './ai-metrics.service';
import { InsightInputReader } from './insight-input.reader';
import {
  AI_QUEUE,
  INSIGHT_JOB,
  INSIGHT_READY_TOPIC,
  InsightJobData,
  insightJobIdFor,
} from './jobs/ai-queue.constants';
import type { LeadInsightModel } from './models/lead-insight.model';
import { InsightStatus, LeadInsight } from './schemas/lead-insight.schema';

/** What travels on the EventBus when an insight is written (dates as ISO strings). */
export interface InsightReadyEvent {
  readonly tenantId: string;
  readonly ownerId: string | null;
  readonly insight: Omit<LeadInsightModel, 'generatedAt' | 'requestedAt'> & {
    generatedAt: string | null;
    requestedAt: string;
  };
}

/**
 * A request still QUEUED or RUNNING after this long lost its job (a worker died past Bull's
 * retries, Redis lost it): asking again queues a new one.
 */
export const STALE_REQUEST_MS = 5 * 60_000;

export function toInsightModel(doc: LeadInsight, currentKey?: string): LeadInsightModel {
  return {
    leadId: doc.leadId,
    status: doc.status,
    current: doc.content !== null && doc.contentCacheKey === (currentKey ?? doc.cacheKey),
    insight: doc.content,
    source: doc.source,
    fallbackReason: doc.fallbackReason,
    model: doc.model,
    usage: doc.usage,
    latencyMs: doc.latencyMs,
    score: doc.score,
    generatedAt: doc.generatedAt,
    requestedAt: doc.requestedAt,
    failure: doc.failure,
  };
}

/**
 * Asking for insights and reading them. A request for a lead whose stored insight was written
 * for its current state (same last activity, deployed model, config version, prompt and model)
 * is answered at once without a call; otherwise one job per lead and state goes on the `ai`
 * queue and the answer says QUEUED.
 */
@Injectable()
export class InsightsService extends TenantRepository<LeadInsight> {
  constructor(
    @InjectModel(LeadInsight.name) model: Model<LeadInsight>,
    @InjectQueue(AI_QUEUE) private readonly queue: Queue<InsightJobData>,
    private readonly reader: InsightInputReader,
    private readonly events: EventBus,
    private readonly metrics: AiMetrics,
  ) {
    super(model);
  }

  async request(caller: AuthUser, leadId: string): Promise<LeadInsightModel> {
    const { lead, cacheKey } = await this.reader.state(caller, leadId);
    const ref = leadRefFor(caller.tenantId, lead.leadId);
    const existing = await this.findById(caller.tenantId, ref.toHexString());
    if (existing?.content && existing.contentCacheKey === cacheKey) {
      this.metrics.cacheHits.inc();
      return toInsightModel(existing, cacheKey);
    }
    if (
      existing &&
      existing.cacheKey === cacheKey &&
      (existing.status === InsightStatus.QUEUED || existing.status === InsightStatus.RUNNING) &&
      Date.now() - existing.requestedAt.getTime() < STALE_REQUEST_MS
    )
      return toInsightModel(existing, cacheKey);

    const requestedAt = new Date();
    const saved = await this.model
      .findOneAndUpdate(
        { _id: ref, tenantId: new Types.ObjectId(caller.tenantId) },
        {
          $set: {
            leadId: lead.leadId,
            ownerId: lead.ownerId ?? null,
            status: InsightStatus.QUEUED,
            cacheKey,
            requestedAt,
            requestedBy: caller.userId,
            failure: null,
          },
          $setOnInsert: {
            content: null,
            contentCacheKey: null,
            source: null,
            fallbackReason: null,
            model: null,
            usage: null,
            latencyMs: null,
            calls: 0,
            score: null,
            generatedAt: null,
          },
        },
        { upsert: true, returnDocument: 'after' },
      )
      .lean<LeadInsight>()
      .exec();
    await this.queue.add(
      INSIGHT_JOB,
      { tenantId: caller.tenantId, leadId: lead.leadId, cacheKey },
      {
        // A request asked again after STALE_REQUEST_MS (its job lost or failed) gets a new job.
        jobId: `${insightJobIdFor(caller.tenantId, ref.toHexString(), cacheKey)}-${Math.floor(
          requestedAt.getTime() / STALE_REQUEST_MS,
        )}`,
        attempts: 3,
        backoff: { type: 'exponential', delay: 2_000 },
        removeOnComplete: true,
        removeOnFail: 100,
      },
    );
    return toInsightModel(saved, cacheKey);
  }

  /** Up to 100 leads (a rep's top leads); each as `request` answers it, in the order asked. */
  async requestMany(caller: AuthUser, leadIds: readonly string[]): Promise<LeadInsightModel[]> {
    const unique = [...new Set(leadIds)];
    const answers: LeadInsightModel[] = [];
    for (const leadId of unique) answers.push(await this.request(caller, leadId));
    return answers;
  }

  /** The latest insight of a lead the caller may see; null before the first request. */
  async latest(caller: AuthUser, leadId: string): Promise<LeadInsightModel | null> {
    const { lead, cacheKey } = await this.reader.state(caller, leadId);
    const doc = await this.findById(
      caller.tenantId,
      leadRefFor(caller.tenantId, lead.leadId).toHexString(),
    );
    return doc ? toInsightModel(doc, cacheKey) : null;
  }

  async markRunning(tenantId: string, leadId: string, cacheKey: string): Promise<boolean> {
    const result = await this.model
      .updateOne(
        { _id: leadRefFor(tenantId, leadId), tenantId: new Types.ObjectId(tenantId), cacheKey },
        { $set: { status: InsightStatus.RUNNING } },
      )
      .exec();
    return result.matchedCount === 1;
  }

  async save(
    tenantId: string,
    leadId: string,
    update: Partial<LeadInsight>,
  ): Promise<LeadInsight | null> {
    return this.model
      .findOneAndUpdate(
        { _id: leadRefFor(tenantId, leadId), tenantId: new Types.ObjectId(tenantId) },
        { $set: update },
        { returnDocument: 'after' },
      )
      .lean<LeadInsight>()
      .exec();
  }

  async publishReady(doc: LeadInsight): Promise<void> {
    const model = toInsightModel(doc);
    await this.events.publish<InsightReadyEvent>(INSIGHT_READY_TOPIC, {
      tenantId: doc.tenantId.toHexString(),
      ownerId: doc.ownerId,
      insight: {
        ...model,
        generatedAt: model.generatedAt?.toISOString() ?? null,
        requestedAt: model.requestedAt.toISOString(),
      },
    });
  }

  subscribe(): AsyncIterableIterator<InsightReadyEvent> {
    return this.events.iterator<InsightReadyEvent>(INSIGHT_READY_TOPIC);
  }
}
