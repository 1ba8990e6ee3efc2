import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { Model, Types } from 'mongoose';

import { TenantRepository } from '@/common/tenancy/tenant-repository';

import type { DeliverWebhookJobData } from './jobs/webhooks-queue.constants';
import {
  DELIVERY_HISTORY_LIMIT,
  StoredDeliveryAttempt,
  WebhookDelivery,
  WebhookDeliveryStatus,
} from './schemas/webhook-delivery.schema';
import { WebhooksException } from './webhooks.exception';

const REDELIVERABLE = new Set([WebhookDeliveryStatus.DEAD, WebhookDeliveryStatus.SKIPPED]);

export interface AttemptRecord {
  readonly status: WebhookDeliveryStatus;
  readonly attempt: StoredDeliveryAttempt;
  readonly windowStartedAt: Date;
  readonly nextAttemptAt: Date | null;
  readonly responseSnippet: string | null;
}

/**
 * The delivery log: one document per event and webhook (its `_id` derived from them, so every
 * retry, redelivery and duplicate job meets the same one), written by the processor at each
 * attempt through the driver. Entries older than WEBHOOK_DELIVERY_RETENTION_DAYS are pruned.
 */
@Injectable()
export class WebhookDeliveriesService extends TenantRepository<WebhookDelivery> {
  constructor(@InjectModel(WebhookDelivery.name) model: Model<WebhookDelivery>) {
    super(model);
  }

  async get(tenantId: string, id: string): Promise<WebhookDelivery> {
    const found = await this.findById(tenantId, id);
    if (!found) throw WebhooksException.deliveryNotFound();
    return found;
  }

  list(
    tenantId: string,
    {
      webhookId,
      status,
      limit,
    }: { webhookId: string; status?: WebhookDeliveryStatus; limit: number },
  ): Promise<WebhookDelivery[]> {
    return this.find(
      tenantId,
      { webhookId: new Types.ObjectId(webhookId), ...(status ? { status } : {}) },
      { sort: { createdAt: -1, _id: -1 }, limit },
    );
  }

  /** One attempt's outcome: the entry is created by the first one. */
  async recordAttempt(job: DeliverWebhookJobData, record: AttemptRecord): Promise<void> {
    const at = record.attempt.at;
    const set: Record<string, unknown> = {
      status: record.status,
      windowStartedAt: record.windowStartedAt,
      lastAttemptAt: at,
      nextAttemptAt: record.nextAttemptAt,
      lastStatusCode: record.attempt.statusCode,
      lastError: record.attempt.error,
      lastDurationMs: record.attempt.durationMs,
      responseSnippet: record.responseSnippet,
      updatedAt: at,
      ...(record.status === WebhookDeliveryStatus.SUCCEEDED ? { deliveredAt: at } : {}),
      ...(record.status === WebhookDeliveryStatus.DEAD ? { deadAt: at } : {}),
    };
    await this.write(job, at, {
      $set: set,
      $inc: { attempts: 1 },
      $push: { history: { $each: [record.attempt], $slice: -DELIVERY_HISTORY_LIMIT } },
    });
  }

  /** Not sent: the webhook was paused when the delivery's turn came. */
  async recordSkipped(job: DeliverWebhookJobData, at: Date): Promise<void> {
    await this.write(job, at, {
      $set: {
        status: WebhookDeliveryStatus.SKIPPED,
        lastError: 'not sent: the webhook was paused',
        nextAttemptAt: null,
        updatedAt: at,
      },
    });
  }

  /** Dead-lettered without an attempt of its own (the job's worker kept dying, or an engine). */
  async recordDead(job: DeliverWebhookJobData, reason: string, at: Date): Promise<void> {
    await this.write(job, at, {
      $set: {
        status: WebhookDeliveryStatus.DEAD,
        lastError: reason,
        nextAttemptAt: null,
        deadAt: at,
        updatedAt: at,
      },
    });
  }

  /**
   * A DEAD or SKIPPED delivery back to PENDING with a fresh retry window; answers it with its
   * redelivery count (the job id's suffix). Conditional on what was read: of two calls, one wins.
   */
  async reopen(tenantId: string, id: string): Promise<WebhookDelivery> {
    const current = await this.get(tenantId, id);
    if (!REDELIVERABLE.has(current.status))
      throw WebhooksException.notRedeliverable(current.status);
    const reopened = await this.model
      .findOneAndUpdate(
        {
          _id: current._id,
          tenantId: current.tenantId,
          status: current.status,
          redeliveries: current.redeliveries,
        },
        {
          $set: {
            status: WebhookDeliveryStatus.PENDING,
            attempts: 0,
            windowStartedAt: null,
            nextAttemptAt: null,
            updatedAt: new Date(),
          },
          $inc: { redeliveries: 1 },
        },
        { returnDocument: 'after' },
      )
      .lean<WebhookDelivery>()
      .exec();
    if (!reopened) throw WebhooksException.notRedeliverable('being changed');
    return reopened;
  }

  /** Undoes `reopen` when its job could not be queued. */
  async restore(delivery: WebhookDelivery, status: WebhookDeliveryStatus): Promise<void> {
    await this.updateById(delivery.tenantId, delivery._id.toHexString(), {
      $set: { status, updatedAt: new Date() },
    });
  }

  removeOfWebhook(tenantId: string, webhookId: string): Promise<unknown> {
    return this.model
      .deleteMany(this.scope(tenantId, { webhookId: new Types.ObjectId(webhookId) }))
      .exec();
  }

  /** Deletes entries created before `before`, every tenant's (the retention sweep). */
  async prune(before: Date): Promise<number> {
    const result = await this.model.deleteMany({ createdAt: { $lt: before } }).exec();
    return result.deletedCount;
  }

  /** Upsert by `{_id, tenantId}`; what the update does not set gets its default on insert. */
  private async write(
    job: DeliverWebhookJobData,
    at: Date,
    update: { $set: Record<string, unknown> } & Record<string, unknown>,
  ): Promise<void> {
    const defaults: Record<string, unknown> = {
      webhookId: new Types.ObjectId(job.webhookId),
      eventId: job.eventId,
      eventType: job.eventType,
      body: job.body,
      createdAt: at,
      status: WebhookDeliveryStatus.PENDING,
      attempts: 0,
      redeliveries: 0,
      windowStartedAt: null,
      lastAttemptAt: null,
      nextAttemptAt: null,
      lastStatusCode: null,
      lastError: null,
      lastDurationMs: null,
      responseSnippet: null,
      deliveredAt: null,
      deadAt: null,
      history: [],
    };
    const touched = new Set(
      Object.values(update).flatMap((fields) => Object.keys(fields as object)),
    );
    const setOnInsert = Object.fromEntries(
      Object.entries(defaults).filter(([key]) => !touched.has(key)),
    );
    await this.bulkWriteStored(job.tenantId, [
      {
        updateOne: {
          filter: { _id: new Types.ObjectId(job.deliveryId) },
          update: { ...update, $setOnInsert: setOnInsert },
          upsert: true,
        },
      },
    ]);
  }
}
