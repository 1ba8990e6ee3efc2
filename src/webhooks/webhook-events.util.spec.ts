import { createHash } from 'node:crypto';

import type { ModelDriftDetectedEvent } from '@/drift/model-drift.service';
import { ScoreChangeReason } from '@/scoring/schemas/score-history.schema';
import type { LeadScoreChangedEvent } from '@/scoring/lead-score.types';
import { PriorityTier } from '@/scoring/scorer/priority-tier.util';

import { WebhookEventType } from './webhook-event-type';
import {
  eventIdFor,
  outboundEventOfDeployment,
  outboundEventOfDrift,
  outboundEventsOfScoreChange,
  payloadBody,
  subscriptionWants,
  WebhookFilter,
} from './webhook-events.util';

const TENANT = '65f000000000000000000001';

function makeScoreEvent(overrides: Partial<LeadScoreChangedEvent> = {}): LeadScoreChangedEvent {
  return {
    tenantId: TENANT,
    leadRef: '65f0000000000000000000aa',
    leadId: 'L-1',
    ownerId: null,
    score: 72.5,
    previousScore: 65,
    tier: PriorityTier.HOT,
    previousTier: PriorityTier.WARM,
    reason: ScoreChangeReason.INTERACTION,
    configVersion: 3,
    at: '2025-01-02T03:04:05.000Z',
    ...overrides,
  };
}

function makeFilter(overrides: Partial<WebhookFilter> = {}): WebhookFilter {
  return {
    events: [WebhookEventType.LEAD_SCORE_CHANGED, WebhookEventType.LEAD_TIER_CHANGED],
    minScore: null,
    tiers: null,
    ...overrides,
  };
}

describe('eventIdFor', () => {
  it('is evt_ and the first 32 hex digits of SHA-256 over the type and length-prefixed parts', () => {
    const expected = createHash('sha256')
      .update('model.deployed')
      .update('\u00002:ab')
      .update('\u00001:c')
      .digest('hex')
      .slice(0, 32);

    expect(eventIdFor(WebhookEventType.MODEL_DEPLOYED, 'ab', 'c')).toBe(`evt_${expected}`);
    expect(eventIdFor(WebhookEventType.MODEL_DEPLOYED, 'a', 'bc')).not.toBe(`evt_${expected}`);
  });
});

describe('outboundEventsOfScoreChange', () => {
  it('makes a score event and, when the tier moved, a tier event with its own stable id', () => {
    const [score, tier, ...rest] = outboundEventsOfScoreChange(makeScoreEvent());

    expect(rest).toEqual([]);
    expect(score).toMatchObject({
      type: WebhookEventType.LEAD_SCORE_CHANGED,
      tenantId: TENANT,
      createdAt: '2025-01-02T03:04:05.000Z',
      data: {
        leadId: 'L-1',
        score: 72.5,
        previousScore: 65,
        tier: 'HOT',
        previousTier: 'WARM',
        reason: 'INTERACTION',
        configVersion: 3,
        scoredAt: '2025-01-02T03:04:05.000Z',
      },
    });
    expect(tier.type).toBe(WebhookEventType.LEAD_TIER_CHANGED);
    expect(tier.id).not.toBe(score.id);
    // Every process hearing the same message derives the same ids.
    expect(outboundEventsOfScoreChange(makeScoreEvent()).map((e) => e.id)).toEqual([
      score.id,
      tier.id,
    ]);
  });

  it('makes no tier event when the tier stayed, or was unknown (a resumed job)', () => {
    const same = makeScoreEvent({ previousTier: PriorityTier.HOT });
    const unknown = makeScoreEvent({ previousTier: undefined });

    expect(outboundEventsOfScoreChange(same).map((e) => e.type)).toEqual([
      WebhookEventType.LEAD_SCORE_CHANGED,
    ]);
    expect(outboundEventsOfScoreChange(unknown).map((e) => e.type)).toEqual([
      WebhookEventType.LEAD_SCORE_CHANGED,
    ]);
  });

  it("counts a lead's first score as a tier change from none", () => {
    const first = outboundEventsOfScoreChange(
      makeScoreEvent({ previousScore: null, previousTier: null, tier: PriorityTier.COLD }),
    );

    expect(first.map((e) => e.type)).toEqual([
      WebhookEventType.LEAD_SCORE_CHANGED,
      WebhookEventType.LEAD_TIER_CHANGED,
    ]);
    expect(first[1].data).toMatchObject({ tier: 'COLD', previousTier: null });
  });

  it('gives another scoring of the lead another id', () => {
    const [a] = outboundEventsOfScoreChange(makeScoreEvent());
    const [b] = outboundEventsOfScoreChange(makeScoreEvent({ at: '2025-01-02T03:04:06.000Z' }));

    expect(a.id).not.toBe(b.id);
  });
});

describe('model events', () => {
  it('carries the deployment', () => {
    const event = outboundEventOfDeployment({
      id: 'c1d2',
      tenantId: TENANT,
      modelId: 'm-2',
      version: 2,
      modelType: 'LOGISTIC_REGRESSION',
      previousModelId: 'weighted-sum',
      reason: ScoreChangeReason.MODEL_DEPLOYED,
      deployedBy: 'u-1',
      at: '2025-01-02T00:00:00.000Z',
    });

    expect(event).toEqual({
      id: eventIdFor(WebhookEventType.MODEL_DEPLOYED, TENANT, 'c1d2'),
      type: WebhookEventType.MODEL_DEPLOYED,
      tenantId: TENANT,
      createdAt: '2025-01-02T00:00:00.000Z',
      data: {
        modelId: 'm-2',
        version: 2,
        modelType: 'LOGISTIC_REGRESSION',
        previousModelId: 'weighted-sum',
        reason: 'MODEL_DEPLOYED',
        deployedBy: 'u-1',
        deployedAt: '2025-01-02T00:00:00.000Z',
      },
    });
  });

  it('summarizes a drift report (its time arrives as a string over the bus)', () => {
    const report = {
      id: 'r-9',
      modelId: 'm-2',
      modelVersion: 2,
      modelType: 'NAIVE_BAYES',
      threshold: 0.2,
      flaggedFeatures: ['size'],
      maxFeaturePsi: 0.41,
      score: { psi: 0.05, flagged: false, bins: [] },
      retraining: null,
      computedAt: '2025-01-03T00:00:00.000Z',
    } as unknown as ModelDriftDetectedEvent['report'];

    expect(outboundEventOfDrift({ tenantId: TENANT, report })).toMatchObject({
      id: eventIdFor(WebhookEventType.MODEL_DRIFT_DETECTED, TENANT, 'r-9'),
      createdAt: '2025-01-03T00:00:00.000Z',
      data: {
        reportId: 'r-9',
        flaggedFeatures: ['size'],
        maxFeaturePsi: 0.41,
        scorePsi: 0.05,
        scoreFlagged: false,
        retraining: null,
      },
    });
  });
});

describe('subscriptionWants', () => {
  const [scoreEvent, tierEvent] = outboundEventsOfScoreChange(makeScoreEvent());

  it('wants the subscribed types only', () => {
    expect(subscriptionWants(makeFilter(), scoreEvent)).toBe(true);
    expect(
      subscriptionWants(makeFilter({ events: [WebhookEventType.LEAD_TIER_CHANGED] }), scoreEvent),
    ).toBe(false);
  });

  it('compares lead events with minScore (inclusive) and tiers', () => {
    expect(subscriptionWants(makeFilter({ minScore: 72.5 }), scoreEvent)).toBe(true);
    expect(subscriptionWants(makeFilter({ minScore: 72.51 }), scoreEvent)).toBe(false);
    expect(subscriptionWants(makeFilter({ tiers: [PriorityTier.HOT] }), tierEvent)).toBe(true);
    expect(subscriptionWants(makeFilter({ tiers: [PriorityTier.COLD] }), tierEvent)).toBe(false);
  });

  it('ignores minScore and tiers for model events', () => {
    const deployed = outboundEventOfDeployment({
      id: 'x',
      tenantId: TENANT,
      modelId: 'm',
      version: 2,
      modelType: 'NAIVE_BAYES',
      previousModelId: 'weighted-sum',
      reason: ScoreChangeReason.MODEL_DEPLOYED,
      deployedBy: 'u',
      at: '2025-01-01T00:00:00.000Z',
    });
    const filter = makeFilter({
      events: [WebhookEventType.MODEL_DEPLOYED],
      minScore: 90,
      tiers: [PriorityTier.HOT],
    });

    expect(subscriptionWants(filter, deployed)).toBe(true);
  });
});

describe('payloadBody', () => {
  it('is { id, type, createdAt, tenantId, data } and nothing else', () => {
    const [event] = outboundEventsOfScoreChange(makeScoreEvent());

    expect(Object.keys(JSON.parse(payloadBody(event)) as object)).toEqual([
      'id',
      'type',
      'createdAt',
      'tenantId',
      'data',
    ]);
  });
});
