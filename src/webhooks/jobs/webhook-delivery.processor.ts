import { InjectQueue } from '@nestjs/bull';
import { Inject, Injectable, Logger, OnModuleInit } from '@nestjs/common';
import type { Job, Queue } from 'bull';

import { isFinalFailure } from '@/common/queues/final-failure.util';
import { APP_CONFIG } from '@/config/app-config';
import type { ConnectedAppConfig } from '@/config/app-config';

import {
  FINAL_DELIVERY_STATUSES,
  WebhookDelivery,
  WebhookDeliveryStatus,
} from '../schemas/webhook-delivery.schema';
import { WebhookStatus } from '../schemas/webhook-subscription.schema';
import { WebhookDeliveriesService } from '../webhook-deliveries.service';
import { WebhookMetrics } from '../webhook-metrics.service';
import { nextRetryDelayMs, RetryPolicy } from '../webhook-retry.util';
import { WebhookSender } from '../webhook-sender';
import { signatureHeader, WEBHOOK_HEADERS } from '../webhook-signing.util';
import { WebhooksService } from '../webhooks.service';
import {
  DELIVER_WEBHOOK_JOB,
  DeliverWebhookJobData,
  WebhookRetryLater,
  WEBHOOKS_QUEUE,
} from './webhooks-queue.constants';

export const USER_AGENT = 'LeadScoring-Webhooks/1.0';

type Outcome = 'delivered' | 'retrying' | 'dead' | 'skipped' | 'duplicate' | 'gone';

/**
 * Sends deliveries (worker role, WEBHOOK_CONCURRENCY at once per process): signs the stored body
 * with the webhook's secrets at the time of each attempt, POSTs it, and records the attempt. A
 * failure is retried by Bull after the delay computed here (backoff with jitter, Retry-After)
 * while the next attempt starts within the retry window; after that, or when the target is
 * refused by the SSRF rules, the delivery is dead-lettered (DEAD) and the job completes.
 */
@Injectable()
export class WebhookDeliveryProcessor implements OnModuleInit {
  private readonly logger = new Logger(WebhookDeliveryProcessor.name);
  private readonly policy: RetryPolicy;

  constructor(
    @InjectQueue(WEBHOOKS_QUEUE) private readonly queue: Queue<DeliverWebhookJobData>,
    private readonly webhooks: WebhooksService,
    private readonly deliveries: WebhookDeliveriesService,
    private readonly sender: WebhookSender,
    private readonly metrics: WebhookMetrics,
    @Inject(APP_CONFIG) private readonly config: ConnectedAppConfig,
  ) {
    const { retryBaseDelayMs, retryMaxDelayMs, retryWindowMs } = config.webhooks;
    this.policy = {
      baseDelayMs: retryBaseDelayMs,
      maxDelayMs: retryMaxDelayMs,
      windowMs: retryWindowMs,
    };
  }

  onModuleInit(): void {
    // Registered here rather than by @Process: the concurrency is configuration.
    void this.queue.process(DELIVER_WEBHOOK_JOB, this.config.webhooks.concurrency, (job) =>
      this.deliver(job),
    );
    this.queue.on('failed', (job: Job<DeliverWebhookJobData>, error: Error) => {
      if (isFinalFailure(job, error)) void this.deadAfterFailures(job, error);
    });
  }

  async deliver(job: Job<DeliverWebhookJobData>): Promise<{ outcome: Outcome }> {
    const data = job.data;
    const now = new Date();
    const [webhook, log] = await Promise.all([
      this.webhooks.findById(data.tenantId, data.webhookId),
      this.deliveries.findById(data.tenantId, data.deliveryId),
    ]);
    // Deleted: nothing to send, nothing to log.
    if (!webhook) return { outcome: 'gone' };
    if (log && finishedFor(log, data)) return { outcome: 'duplicate' };
    if (webhook.status !== WebhookStatus.ACTIVE) {
      await this.deliveries.recordSkipped(data, now);
      this.metrics.record(data.eventType, 'skipped');
      return { outcome: 'skipped' };
    }
    const attempt = (log?.attempts ?? 0) + 1;
    const windowStartedAt = log?.windowStartedAt ?? now;
    const timestamp = Math.floor(now.getTime() / 1000);
    let secrets: string[];
    try {
      secrets = await this.webhooks.signingSecrets(webhook, now);
    } catch (error) {
      // Sealed under a key no longer configured: no attempt could ever be signed.
      this.logger.error({
        msg: 'webhook secret cannot be opened with the configured keys',
        tenantId: data.tenantId,
        webhookId: data.webhookId,
        error: String(error),
      });
      await this.deliveries.recordDead(data, 'not sent: the signing secret cannot be opened', now);
      await this.webhooks.recordDeadLetter(data.tenantId, data.webhookId);
      this.metrics.record(data.eventType, 'dead');
      return { outcome: 'dead' };
    }
    const result = await this.sender.send(
      webhook.url,
      {
        'content-type': 'application/json',
        'user-agent': USER_AGENT,
        [WEBHOOK_HEADERS.signature]: signatureHeader(secrets, timestamp, data.body),
        [WEBHOOK_HEADERS.timestamp]: String(timestamp),
        [WEBHOOK_HEADERS.event]: data.eventType,
        [WEBHOOK_HEADERS.eventId]: data.eventId,
        [WEBHOOK_HEADERS.delivery]: data.deliveryId,
        [WEBHOOK_HEADERS.attempt]: String(attempt),
      },
      data.body,
    );
    const stored = {
      at: now,
      statusCode: result.statusCode,
      error: result.ok ? null : (result.error ?? `answered ${result.statusCode}`),
      durationMs: result.durationMs,
    };
    const record = (status: WebhookDeliveryStatus, nextAttemptAt: Date | null) =>
      this.deliveries.recordAttempt(data, {
        status,
        attempt: stored,
        windowStartedAt,
        nextAttemptAt,
        responseSnippet: result.responseSnippet,
      });
    if (result.ok) {
      await record(WebhookDeliveryStatus.SUCCEEDED, null);
      await this.webhooks.recordSuccess(data.tenantId, data.webhookId, result.statusCode!, now);
      this.metrics.record(data.eventType, 'delivered', result.durationMs);
      return { outcome: 'delivered' };
    }
    const delay = result.refused
      ? null
      : nextRetryDelayMs({
          failedAttempts: attempt,
          windowStartedAt: windowStartedAt.getTime(),
          now: Date.now(),
          policy: this.policy,
          retryAfterMs: result.retryAfterMs,
        });
    await this.webhooks.recordFailedAttempt(data.tenantId, data.webhookId, result.statusCode, now);
    if (delay === null) {
      await record(WebhookDeliveryStatus.DEAD, null);
      await this.webhooks.recordDeadLetter(data.tenantId, data.webhookId);
      this.metrics.record(data.eventType, 'dead', result.durationMs);
      this.logger.warn({
        msg: 'webhook delivery dead-lettered',
        tenantId: data.tenantId,
        webhookId: data.webhookId,
        deliveryId: data.deliveryId,
        attempts: attempt,
        error: stored.error,
      });
      return { outcome: 'dead' };
    }
    await record(WebhookDeliveryStatus.RETRYING, new Date(Date.now() + delay));
    this.metrics.record(data.eventType, 'retrying', result.durationMs);
    throw new WebhookRetryLater(delay, stored.error!);
  }

  /** Bull gave up on the job (engine failures spent its attempts, or its workers kept dying). */
  private async deadAfterFailures(job: Job<DeliverWebhookJobData>, error: Error): Promise<void> {
    const data = job.data;
    try {
      if (!(await this.webhooks.findById(data.tenantId, data.webhookId))) return;
      await this.deliveries.recordDead(data, `gave up: ${error.message}`, new Date());
      await this.webhooks.recordDeadLetter(data.tenantId, data.webhookId);
      this.metrics.record(data.eventType, 'dead');
    } catch (failure) {
      this.logger.error({
        msg: 'dead-lettered delivery not recorded',
        deliveryId: data.deliveryId,
        error: String(failure),
      });
    }
  }
}

/**
 * Whether the log says this job has nothing left to do: a finished delivery (a duplicate job
 * added after the first left Redis, or one Bull re-ran after its worker died past the write), a
 * first-round job after a redelivery began, a redelivery job of an older round.
 */
function finishedFor(log: WebhookDelivery, data: DeliverWebhookJobData): boolean {
  if (data.redelivery === undefined)
    return log.redeliveries > 0 || FINAL_DELIVERY_STATUSES.has(log.status);
  return log.redeliveries !== data.redelivery || FINAL_DELIVERY_STATUSES.has(log.status);
}
