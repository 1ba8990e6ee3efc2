import { BullModule } from '@nestjs/bull';
import { DynamicModule, Module } from '@nestjs/common';
import { MongooseModule } from '@nestjs/mongoose';

import { AuditModule } from '@/audit/audit.module';
import { APP_CONFIG } from '@/config/app-config';
import type { ConnectedAppConfig } from '@/config/app-config';

import { WebhookDeliveriesSweeper } from './jobs/webhook-deliveries.sweeper';
import { WebhookDeliveryProcessor } from './jobs/webhook-delivery.processor';
import { WebhookDeliveryProducer } from './jobs/webhook-delivery.producer';
import {
  WEBHOOK_BACKOFF,
  WebhookRetryLater,
  WEBHOOKS_QUEUE,
} from './jobs/webhooks-queue.constants';
import { WebhookDelivery, WebhookDeliverySchema } from './schemas/webhook-delivery.schema';
import {
  WebhookSubscription,
  WebhookSubscriptionSchema,
} from './schemas/webhook-subscription.schema';
import { WebhookDeliveriesService } from './webhook-deliveries.service';
import { WebhookEventsListener } from './webhook-events.listener';
import { WebhookMetrics } from './webhook-metrics.service';
import { WebhookRedelivery } from './webhook-redelivery.service';
import { nominalDelayMs } from './webhook-retry.util';
import { WebhookSender } from './webhook-sender';
import { WebhookSubscriptionsCache } from './webhook-subscriptions.cache';
import { WEBHOOK_URL_POLICY, WebhookTargets } from './webhook-targets.service';
import { compileUrlPolicy, UrlPolicy } from './webhook-url.util';
import { WebhooksResolver } from './webhooks.resolver';
import { WebhooksService } from './webhooks.service';

/**
 * Outbound webhooks: per-tenant subscriptions to lead score and tier changes, model deployments
 * and drift, delivered signed on the Bull queue `webhooks` with retries over a window, then
 * dead-lettered; a delivery log per webhook; SSRF rules on every URL and connection.
 */
@Module({})
export class WebhooksModule {
  static register({
    config,
    api,
    worker,
  }: {
    config: ConnectedAppConfig;
    api: boolean;
    worker: boolean;
  }): DynamicModule {
    const { retryBaseDelayMs, retryMaxDelayMs, retryWindowMs } = config.webhooks;
    const policy = {
      baseDelayMs: retryBaseDelayMs,
      maxDelayMs: retryMaxDelayMs,
      windowMs: retryWindowMs,
    };
    return {
      module: WebhooksModule,
      imports: [
        AuditModule,
        MongooseModule.forFeature([
          { name: WebhookSubscription.name, schema: WebhookSubscriptionSchema },
          { name: WebhookDelivery.name, schema: WebhookDeliverySchema },
        ]),
        BullModule.registerQueue({
          name: WEBHOOKS_QUEUE,
          // Replaces the shared settings (Bull merges queue options shallowly): repeated here.
          settings: {
            lockDuration: config.queues.lockDurationMs,
            stalledInterval: config.queues.stalledIntervalMs,
            maxStalledCount: 3,
            backoffStrategies: {
              // The processor computed the wait (jitter, Retry-After); engine failures back off too.
              [WEBHOOK_BACKOFF]: (attemptsMade: number, error: Error) =>
                error instanceof WebhookRetryLater
                  ? error.delayMs
                  : nominalDelayMs(attemptsMade, policy),
            },
          },
        }),
      ],
      providers: [
        {
          provide: WEBHOOK_URL_POLICY,
          inject: [APP_CONFIG],
          useFactory: (app: ConnectedAppConfig): UrlPolicy => compileUrlPolicy(app.webhooks),
        },
        {
          provide: WebhookSender,
          inject: [WEBHOOK_URL_POLICY, APP_CONFIG],
          useFactory: (urlPolicy: UrlPolicy, app: ConnectedAppConfig) =>
            new WebhookSender(urlPolicy, app.webhooks.timeoutMs),
        },
        WebhookTargets,
        WebhooksService,
        WebhookDeliveriesService,
        WebhookDeliveryProducer,
        WebhookRedelivery,
        WebhookMetrics,
        ...(api ? [WebhooksResolver] : []),
        ...(worker
          ? [
              WebhookSubscriptionsCache,
              WebhookEventsListener,
              WebhookDeliveryProcessor,
              WebhookDeliveriesSweeper,
            ]
          : []),
      ],
    };
  }
}
