import { Types } from 'mongoose';

import type { LeadScore } from '@/scoring/schemas/lead-score.schema';
import { PriorityTier } from '@/scoring/scorer/priority-tier.util';
import { scoreEngagement } from '@/scoring/scorer/score-engagement.util';

import { toLeadModel } from './lead-view.mapper';

const NOW = new Date('2026-11-01T12:00:00Z');

/** A score as stored before the rounding rule: the shown score with the terms' exact shares. */
function makeLegacyScore(engagement: {
  emailOpens: number;
  websiteVisits: number;
  timeSpentSeconds: number;
  hoursAgo: number;
}): LeadScore {
  const lastActivityAt = new Date(NOW.getTime() - engagement.hoursAgo * 3_600_000);
  const result = scoreEngagement(
    { ...engagement, lastActivityAt },
    { weights: [0.4, 0.35, 0.25], caps: [10, 20, 600], halfLifeDays: 7 },
    NOW,
  );
  const ref = new Types.ObjectId();
  return {
    _id: ref,
    tenantId: new Types.ObjectId(),
    leadRef: ref,
    leadId: 'L-1',
    name: null,
    email: null,
    ownerId: null,
    status: 'NEW',
    searchText: 'l-1',
    emailOpens: engagement.emailOpens,
    websiteVisits: engagement.websiteVisits,
    timeSpentSeconds: engagement.timeSpentSeconds,
    lastActivityAt,
    score: result.score,
    tier: PriorityTier.WARM,
    breakdown: {
      rawScore: result.rawScore,
      decayFactor: result.decayFactor,
      daysSinceLastActivity: result.daysSinceLastActivity,
      terms: result.terms.map((term, i) => ({
        ...term,
        contribution: result.exactContributions[i],
      })),
    },
    leadVersion: 1,
    configVersion: 1,
    modelId: 'weighted-sum',
    modelVersion: 1,
    computedAt: NOW,
    historyCount: 1,
  };
}

const cents = (points: number) => Math.round(points * 100);

describe('toLeadModel', () => {
  it('shows stored exact shares as hundredths adding up to the score, and leaves other terms as stored', () => {
    // 6 opens, 9 visits, 240 s, 49 h ago: 40.6436… points (40.64) from shares 19.6070…,
    // 12.8671… and 8.1696…, which rounded one by one make 40.65.
    const legacy = makeLegacyScore({
      emailOpens: 6,
      websiteVisits: 9,
      timeSpentSeconds: 240,
      hoursAgo: 49,
    });
    const stored = legacy.breakdown.terms.map((term) => term.contribution);
    expect(stored.reduce((sum, c) => sum + cents(c), 0)).not.toBe(cents(legacy.score));

    const view = toLeadModel(legacy, { stale: false });

    const shown = view.breakdown.terms.map((term) => term.contribution);
    expect(shown).toEqual(shown.map((c) => cents(c) / 100));
    expect(shown.reduce((sum, c) => sum + cents(c), 0)).toBe(cents(view.score));
    shown.forEach((c, i) => expect(Math.abs(c - stored[i])).toBeLessThan(0.01));
    expect(toLeadModel({ ...legacy, breakdown: view.breakdown }, { stale: false })).toEqual(view);

    // Not a breakdown of the score (off by more than rounding): nothing is forced to fit.
    const unrelated = {
      ...legacy,
      breakdown: {
        ...legacy.breakdown,
        terms: legacy.breakdown.terms.map((term) => ({ ...term, contribution: 1.234 })),
      },
    };
    expect(
      toLeadModel(unrelated, { stale: false }).breakdown.terms.map((t) => t.contribution),
    ).toEqual([1.234, 1.234, 1.234]);
  });

  it('shows an override while it lasts, with the model score and its terms beneath; never a lapsed one', () => {
    const model = makeLegacyScore({
      emailOpens: 6,
      websiteVisits: 9,
      timeSpentSeconds: 240,
      hoursAgo: 49,
    });
    const override = {
      score: 92,
      reason: 'demo booked',
      setBy: 'u1',
      setAt: new Date(NOW.getTime() - 60_000),
      expiresAt: new Date(NOW.getTime() + 60_000),
    };
    const stored: LeadScore = {
      ...model,
      score: 92,
      tier: PriorityTier.HOT,
      modelScore: model.score,
      modelTier: PriorityTier.WARM,
      override,
    };

    const shown = toLeadModel(stored, { stale: false, now: NOW });
    expect(shown).toMatchObject({ score: 92, tier: 'HOT', modelScore: model.score, override });
    const terms = shown.breakdown.terms.reduce((sum, term) => sum + cents(term.contribution), 0);
    expect(terms).toBe(cents(model.score));

    const lapsed = toLeadModel(stored, { stale: false, now: override.expiresAt });
    expect(lapsed).toMatchObject({ score: model.score, tier: 'WARM', override: null });
  });

  it('reads the trend from the stored points with the settings it is given', () => {
    const model = makeLegacyScore({
      emailOpens: 6,
      websiteVisits: 9,
      timeSpentSeconds: 240,
      hoursAgo: 49,
    });
    const stored: LeadScore = {
      ...model,
      trendPoints: [{ at: NOW.getTime() - 20 * 86_400_000, score: model.score - 6 }],
    };
    expect(toLeadModel(stored, { stale: false, now: NOW }).trend).toBe('IMPROVING');
    expect(
      toLeadModel(stored, { stale: false, now: NOW, trend: { windowDays: 14, minChange: 10 } })
        .trend,
    ).toBe('STEADY');
    expect(
      toLeadModel(stored, { stale: false, now: NOW, trend: { windowDays: 30, minChange: 5 } })
        .trend,
    ).toBe('NOT_ENOUGH_DATA');
  });
});
