import type { LeadScore } from '@/scoring/schemas/lead-score.schema';

import { LeadModel } from './models/lead.model';
import type { Lead } from './schemas/lead.schema';

/** A ranked lead as clients see it: the cached score with its breakdown, and the raw lead if asked. */
export function toLeadModel(
  score: LeadScore,
  { stale, raw }: { stale: boolean; raw?: Lead },
): LeadModel {
  return {
    id: score.leadRef.toHexString(),
    leadId: score.leadId,
    name: score.name,
    email: score.email,
    ownerId: score.ownerId,
    status: score.status,
    score: score.score,
    tier: score.tier,
    isStale: stale,
    breakdown: {
      rawScore: score.breakdown.rawScore,
      decayFactor: score.breakdown.decayFactor,
      daysSinceLastActivity: score.breakdown.daysSinceLastActivity,
      terms: score.breakdown.terms,
      modelId: score.modelId,
      modelVersion: score.modelVersion,
      configVersion: score.configVersion,
      computedAt: score.computedAt,
    },
    engagement: {
      emailOpens: score.emailOpens,
      websiteVisits: score.websiteVisits,
      timeSpentSeconds: score.timeSpentSeconds,
      lastActivityAt: score.lastActivityAt,
    },
    attributes: raw ? (raw.attributes ?? {}) : null,
    createdAt: raw ? raw.createdAt : null,
  };
}
