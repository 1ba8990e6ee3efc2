import { WebhookDeliveryModel, WebhookModel } from './models/webhook.models';
import type { WebhookDelivery } from './schemas/webhook-delivery.schema';
import type { WebhookSubscription } from './schemas/webhook-subscription.schema';
import type { WebhookEventType } from './webhook-event-type';

export function toWebhookModel(doc: WebhookSubscription): WebhookModel {
  return {
    id: doc._id.toHexString(),
    url: doc.url,
    description: doc.description,
    events: [...doc.events],
    minScore: doc.minScore,
    tiers: doc.tiers ? [...doc.tiers] : null,
    status: doc.status,
    pausedReason: doc.pausedReason,
    secretRotatedAt: doc.secretRotatedAt,
    previousSecretExpiresAt: doc.previousSecret ? doc.previousSecretExpiresAt : null,
    delivered: doc.delivered,
    failedAttempts: doc.failedAttempts,
    deadLettered: doc.deadLettered,
    consecutiveDeadLetters: doc.consecutiveDeadLetters,
    lastSuccessAt: doc.lastSuccessAt,
    lastFailureAt: doc.lastFailureAt,
    lastStatusCode: doc.lastStatusCode,
    createdAt: doc.createdAt,
    updatedAt: doc.updatedAt,
  };
}

export function toDeliveryModel(doc: WebhookDelivery): WebhookDeliveryModel {
  return {
    id: doc._id.toHexString(),
    webhookId: doc.webhookId.toHexString(),
    eventId: doc.eventId,
    eventType: doc.eventType as WebhookEventType,
    status: doc.status,
    attempts: doc.attempts,
    redeliveries: doc.redeliveries,
    lastStatusCode: doc.lastStatusCode,
    lastError: doc.lastError,
    lastDurationMs: doc.lastDurationMs,
    responseSnippet: doc.responseSnippet,
    createdAt: doc.createdAt,
    lastAttemptAt: doc.lastAttemptAt,
    nextAttemptAt: doc.nextAttemptAt,
    deliveredAt: doc.deliveredAt,
    deadAt: doc.deadAt,
    payload: doc.body,
    history: (doc.history ?? []).map((entry) => ({ ...entry })),
  };
}
