/**
 * What a webhook subscription can listen to; the value is the `type` of the payload and the
 * `X-Webhook-Event` header (the GraphQL enum carries the names).
 */
export enum WebhookEventType {
  LEAD_SCORE_CHANGED = 'lead.score_changed',
  LEAD_TIER_CHANGED = 'lead.tier_changed',
  MODEL_DEPLOYED = 'model.deployed',
  MODEL_DRIFT_DETECTED = 'model.drift_detected',
}

/** The event types a lead's score filters (`minScore`, `tiers`) apply to. */
export const LEAD_EVENT_TYPES: ReadonlySet<WebhookEventType> = new Set([
  WebhookEventType.LEAD_SCORE_CHANGED,
  WebhookEventType.LEAD_TIER_CHANGED,
]);
