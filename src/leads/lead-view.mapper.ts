import type { LeadScore } from '@/scoring/schemas/lead-score.schema';
import { apportionPoints } from '@/scoring/scorer/score-engagement.util';

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
      modelType: score.breakdown.model?.type ?? 'WEIGHTED_SUM',
      baseValue: score.breakdown.model?.base ?? null,
      logit: score.breakdown.model?.logit ?? null,
      explanationMethod: score.breakdown.model?.method ?? null,
      factors: score.breakdown.model?.factors ?? [],
      rawScore: score.breakdown.rawScore,
      decayFactor: score.breakdown.decayFactor,
      daysSinceLastActivity: score.breakdown.daysSinceLastActivity,
      terms: shownTerms(score),
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

type StoredTerm = LeadScore['breakdown']['terms'][number];

/**
 * The terms as whole hundredths adding up to the shown score. Scores written since the rounding
 * rule (README "Scoring") already are, and pass unchanged; ones written before it carry exact
 * shares until their next rescoring, and are apportioned here by the same rule. Terms that are not
 * a breakdown of the score, off by more than rounding, are shown as stored rather than forced to fit.
 */
function shownTerms(score: LeadScore): StoredTerm[] {
  const terms = score.breakdown.terms;
  const sum = terms.reduce((total, term) => total + term.contribution, 0);
  if (Math.abs(sum - score.score) > 0.005 * terms.length + 1e-9) return terms;
  const contributions = apportionPoints(
    score.score,
    terms.map((term) => term.contribution),
  );
  return terms.map((term, i) =>
    term.contribution === contributions[i] ? term : { ...term, contribution: contributions[i] },
  );
}
