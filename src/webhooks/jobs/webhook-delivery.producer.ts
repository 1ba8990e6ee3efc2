import { InjectQueue } from '@nestjs/bull';
import { Inject, Injectable } from '@nestjs/common';
import type { JobOptions, Queue } from 'bull';

import { APP_CONFIG } from '@/config/app-config';
import type { ConnectedAppConfig } from '@/config/app-config';

import { deliveryIdFor } from '../schemas/webhook-delivery.schema';
import type { ActiveWebhook } from '../webhook-subscriptions.cache';
import { OutboundEvent, payloadBody } from '../webhook-events.util';
import { maxAttemptsWithin } from '../webhook-retry.util';
import {
  DELIVER_WEBHOOK_JOB,
  DeliverWebhookJobData,
  WEBHOOK_BACKOFF,
  WEBHOOKS_QUEUE,
} from './webhooks-queue.constants';

/** Bull attempts beyond what the retry window holds: engine failures spend attempts too. */
const ENGINE_FAILURE_MARGIN = 5;

/**
 * Puts deliveries on the `webhooks` queue. A delivery's job id is its log entry's id, derived
 * from tenant, webhook and event: every process that heard the event adds the same job, and Bull
 * adds a job whose id it holds already only once (the processor then refuses a delivery its log
 * says was finished, for a duplicate added after the first job left Redis).
 */
@Injectable()
export class WebhookDeliveryProducer {
  private readonly attempts: number;

  constructor(
    @InjectQueue(WEBHOOKS_QUEUE) private readonly queue: Queue<DeliverWebhookJobData>,
    @Inject(APP_CONFIG) config: ConnectedAppConfig,
  ) {
    const { retryBaseDelayMs, retryMaxDelayMs, retryWindowMs } = config.webhooks;
    this.attempts =
      maxAttemptsWithin({
        baseDelayMs: retryBaseDelayMs,
        maxDelayMs: retryMaxDelayMs,
        windowMs: retryWindowMs,
      }) + ENGINE_FAILURE_MARGIN;
  }

  /** One job per (webhook, event). */
  async enqueue(
    deliveries: readonly { webhook: ActiveWebhook; event: OutboundEvent }[],
  ): Promise<void> {
    if (deliveries.length === 0) return;
    await this.queue.addBulk(
      deliveries.map(({ webhook, event }) => {
        const deliveryId = deliveryIdFor(webhook.tenantId, webhook.id, event.id).toHexString();
        return {
          name: DELIVER_WEBHOOK_JOB,
          data: {
            tenantId: webhook.tenantId,
            webhookId: webhook.id,
            deliveryId,
            eventId: event.id,
            eventType: event.type,
            body: payloadBody(event),
          },
          opts: this.options(deliveryId),
        };
      }),
    );
  }

  /** A dead-lettered or skipped delivery sent again (its nth redelivery: a job id of its own). */
  async redeliver(data: DeliverWebhookJobData & { redelivery: number }): Promise<void> {
    await this.queue.add(
      DELIVER_WEBHOOK_JOB,
      data,
      this.options(`${data.deliveryId}-r${data.redelivery}`),
    );
  }

  private options(jobId: string): JobOptions {
    return {
      jobId,
      attempts: this.attempts,
      backoff: { type: WEBHOOK_BACKOFF },
      removeOnComplete: 1_000,
      removeOnFail: 1_000,
    };
  }
}
