/** Outbound webhook deliveries (worker role). */
export const WEBHOOKS_QUEUE = 'webhooks';

export const DELIVER_WEBHOOK_JOB = 'deliver';

/** Bull's name for the backoff of delivery jobs (webhooks.module registers it). */
export const WEBHOOK_BACKOFF = 'webhook';

export interface DeliverWebhookJobData {
  readonly tenantId: string;
  readonly webhookId: string;
  /** The delivery log entry's id (hex), derived from tenant, webhook and event. */
  readonly deliveryId: string;
  readonly eventId: string;
  readonly eventType: string;
  /** The JSON to send, built once when the event was heard. */
  readonly body: string;
  /** Set by redeliverWebhookDelivery: the delivery's redelivery count this job is for. */
  readonly redelivery?: number;
}

/**
 * Thrown by a delivery attempt that failed and will be tried again in `delayMs` (its backoff,
 * jitter and Retry-After included): Bull's custom backoff returns that delay.
 */
export class WebhookRetryLater extends Error {
  constructor(
    readonly delayMs: number,
    reason: string,
  ) {
    super(reason);
    this.name = 'WebhookRetryLater';
  }
}

/** Topic of changes to a tenant's webhooks: every process reloads that tenant's active ones. */
export const WEBHOOKS_CHANGED_TOPIC = 'webhooks.changed';

export interface WebhooksChangedEvent {
  readonly tenantId: string;
}
