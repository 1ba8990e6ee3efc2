import { createHash } from 'node:crypto';

import type { ModelDriftDetectedEvent } from '@/drift/model-drift.service';
import type { ModelDeployedEvent } from '@/ml-models/model-deployment.service';
import type { LeadScoreChangedEvent } from '@/scoring/lead-score.types';
import type { PriorityTier } from '@/scoring/scorer/priority-tier.util';

import { LEAD_EVENT_TYPES, WebhookEventType } from './webhook-event-type';

/** One event as webhooks send it (`data` differs by type), with what subscriptions filter on. */
export interface OutboundEvent {
  readonly id: string;
  readonly type: WebhookEventType;
  readonly tenantId: string;
  /** When it happened (ISO 8601): the score's, the deployment's, the drift report's time. */
  readonly createdAt: string;
  readonly data: Readonly<Record<string, unknown>>;
  /** Lead events: what `minScore` and `tiers` compare with. */
  readonly score?: number;
  readonly tier?: PriorityTier;
}

/** What a subscription asks for (the subset of it the filter reads). */
export interface WebhookFilter {
  readonly events: readonly WebhookEventType[];
  readonly minScore: number | null;
  readonly tiers: readonly PriorityTier[] | null;
}

/**
 * `evt_` and 32 hex digits of SHA-256 over the type and the parts that identify the occurrence.
 * Every process that hears the same message derives the same id, so one event is one delivery
 * per subscription however many processes enqueue it.
 */
export function eventIdFor(type: WebhookEventType, ...parts: readonly string[]): string {
  const hash = createHash('sha256').update(type);
  for (const part of parts) hash.update(`\u0000${part.length}:${part}`);
  return `evt_${hash.digest('hex').slice(0, 32)}`;
}

/**
 * A score change as webhook events: always `lead.score_changed`, and `lead.tier_changed` when
 * the tier is not the one stored before (a lead's first score counts: no tier → its tier). A
 * change republished by a resumed batch job, whose previous tier is unknown, is no tier change.
 */
export function outboundEventsOfScoreChange(event: LeadScoreChangedEvent): OutboundEvent[] {
  const identity = [
    event.tenantId,
    event.leadRef,
    event.at,
    String(event.score),
    String(event.configVersion),
    event.reason,
  ];
  const data = {
    leadId: event.leadId,
    leadRef: event.leadRef,
    ownerId: event.ownerId,
    score: event.score,
    previousScore: event.previousScore,
    tier: event.tier,
    previousTier: event.previousTier ?? null,
    reason: event.reason,
    configVersion: event.configVersion,
    scoredAt: event.at,
  };
  const common = {
    tenantId: event.tenantId,
    createdAt: event.at,
    data,
    score: event.score,
    tier: event.tier,
  };
  const events: OutboundEvent[] = [
    {
      id: eventIdFor(WebhookEventType.LEAD_SCORE_CHANGED, ...identity),
      type: WebhookEventType.LEAD_SCORE_CHANGED,
      ...common,
    },
  ];
  if (event.previousTier !== undefined && event.previousTier !== event.tier)
    events.push({
      id: eventIdFor(WebhookEventType.LEAD_TIER_CHANGED, ...identity),
      type: WebhookEventType.LEAD_TIER_CHANGED,
      ...common,
    });
  return events;
}

export function outboundEventOfDeployment(event: ModelDeployedEvent): OutboundEvent {
  return {
    id: eventIdFor(WebhookEventType.MODEL_DEPLOYED, event.tenantId, event.id),
    type: WebhookEventType.MODEL_DEPLOYED,
    tenantId: event.tenantId,
    createdAt: event.at,
    data: {
      modelId: event.modelId,
      version: event.version,
      modelType: event.modelType,
      previousModelId: event.previousModelId,
      reason: event.reason,
      deployedBy: event.deployedBy,
      deployedAt: event.at,
    },
  };
}

export function outboundEventOfDrift(event: ModelDriftDetectedEvent): OutboundEvent {
  const { report } = event;
  const computedAt = new Date(report.computedAt).toISOString();
  return {
    id: eventIdFor(WebhookEventType.MODEL_DRIFT_DETECTED, event.tenantId, report.id),
    type: WebhookEventType.MODEL_DRIFT_DETECTED,
    tenantId: event.tenantId,
    createdAt: computedAt,
    data: {
      reportId: report.id,
      modelId: report.modelId,
      modelVersion: report.modelVersion,
      modelType: report.modelType,
      threshold: report.threshold,
      flaggedFeatures: [...report.flaggedFeatures],
      maxFeaturePsi: report.maxFeaturePsi,
      scorePsi: report.score.psi,
      scoreFlagged: report.score.flagged,
      retraining: report.retraining?.action ?? null,
      computedAt,
    },
  };
}

/**
 * Whether a subscription wants an event: its type is subscribed and, for lead events, the score
 * is at least `minScore` and the (new) tier is among `tiers` when they are set.
 */
export function subscriptionWants(filter: WebhookFilter, event: OutboundEvent): boolean {
  if (!filter.events.includes(event.type)) return false;
  if (!LEAD_EVENT_TYPES.has(event.type)) return true;
  if (filter.minScore !== null && (event.score ?? -Infinity) < filter.minScore) return false;
  if (filter.tiers !== null && (event.tier === undefined || !filter.tiers.includes(event.tier)))
    return false;
  return true;
}

/** The body every delivery of an event sends, byte for byte (signatures cover these bytes). */
export function payloadBody(event: OutboundEvent): string {
  return JSON.stringify({
    id: event.id,
    type: event.type,
    createdAt: event.createdAt,
    tenantId: event.tenantId,
    data: event.data,
  });
}
