import { Injectable, Logger, OnApplicationShutdown, OnModuleInit } from '@nestjs/common';

import { EventBus } from '@/common/redis/event-bus.service';
import { MODEL_DRIFT_DETECTED_TOPIC } from '@/drift/jobs/drift-queue.constants';
import type { ModelDriftDetectedEvent } from '@/drift/model-drift.service';
import {
  MODEL_DEPLOYED_TOPIC,
  type ModelDeployedEvent,
} from '@/ml-models/model-deployment.service';
import { LEAD_SCORE_CHANGED_TOPIC, LeadScoreChangedBatch } from '@/scoring/lead-score.types';

import { WebhookDeliveryProducer } from './jobs/webhook-delivery.producer';
import { ActiveWebhook, WebhookSubscriptionsCache } from './webhook-subscriptions.cache';
import {
  OutboundEvent,
  outboundEventOfDeployment,
  outboundEventOfDrift,
  outboundEventsOfScoreChange,
  subscriptionWants,
} from './webhook-events.util';

/**
 * Turns the EventBus's events into webhook deliveries, on worker processes. Every worker hears
 * every message and enqueues the same jobs (ids derived from webhook and event), which Bull adds
 * once; scoring itself is untouched. The topics are followed only while some tenant has an active
 * webhook (a deployment without any receives none of these messages), and a tenant without one
 * costs a Map lookup per message. Events are not read again from anywhere: one published while no
 * worker listens is not delivered (as for every PubSub listener).
 */
@Injectable()
export class WebhookEventsListener implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger(WebhookEventsListener.name);
  private iterators: AsyncIterableIterator<unknown>[] = [];
  private closed = false;

  constructor(
    private readonly bus: EventBus,
    private readonly cache: WebhookSubscriptionsCache,
    private readonly producer: WebhookDeliveryProducer,
  ) {}

  onModuleInit(): void {
    this.cache.onReload(() => this.followWhileNeeded());
    void this.cache.start();
  }

  onApplicationShutdown(): void {
    this.closed = true;
    this.stop();
  }

  /** The deliveries an event makes: one per active webhook of its tenant that wants it. */
  async handle(events: readonly OutboundEvent[]): Promise<number> {
    const deliveries: { webhook: ActiveWebhook; event: OutboundEvent }[] = [];
    for (const event of events) {
      for (const webhook of this.cache.active(event.tenantId))
        if (subscriptionWants(webhook, event)) deliveries.push({ webhook, event });
    }
    await this.producer.enqueue(deliveries);
    return deliveries.length;
  }

  private followWhileNeeded(): void {
    const following = this.iterators.length > 0;
    if (this.closed || this.cache.hasAny() === following) return;
    if (following) {
      this.stop();
      return;
    }
    this.follow<LeadScoreChangedBatch>(LEAD_SCORE_CHANGED_TOPIC, (batch) =>
      batch.events.flatMap(outboundEventsOfScoreChange),
    );
    this.follow<ModelDeployedEvent>(MODEL_DEPLOYED_TOPIC, (event) => [
      outboundEventOfDeployment(event),
    ]);
    this.follow<ModelDriftDetectedEvent>(MODEL_DRIFT_DETECTED_TOPIC, (event) => [
      outboundEventOfDrift(event),
    ]);
  }

  private stop(): void {
    const iterators = this.iterators;
    this.iterators = [];
    for (const iterator of iterators) void iterator.return?.();
  }

  private follow<T>(topic: string, toEvents: (message: T) => OutboundEvent[]): void {
    const iterator = this.bus.iterator<T>(topic);
    this.iterators.push(iterator);
    void (async () => {
      for await (const message of iterator) {
        try {
          // Tenants without webhooks stop here, before any event is built.
          if (!this.anyWebhooks(message)) continue;
          await this.handle(toEvents(message));
        } catch (error) {
          this.logger.error({ msg: 'webhook deliveries not queued', topic, error: String(error) });
        }
      }
    })().catch((error: unknown) =>
      this.logger.error({ msg: 'events no longer heard', topic, error: String(error) }),
    );
  }

  private anyWebhooks(message: unknown): boolean {
    const { events, tenantId } = message as { events?: { tenantId: string }[]; tenantId?: string };
    if (events) return events.some((event) => this.cache.active(event.tenantId).length > 0);
    return tenantId !== undefined && this.cache.active(tenantId).length > 0;
  }
}
