import { isOverrideActive } from '@/scoring/override/score-override.util';
import type { ScoreRow } from '@/scoring/ranking/score-doc.codec';
import type { LeadScore } from '@/scoring/schemas/lead-score.schema';
import { apportionPoints } from '@/scoring/scorer/score-engagement.util';
import { DEFAULT_TREND_SETTINGS, trendOf, TrendSettings } from '@/scoring/trend/score-trend.util';

import { LeadModel } from './models/lead.model';
import type { Lead } from './schemas/lead.schema';

/**
 * A ranked lead as clients see it: the cached score with its breakdown, and the raw lead if asked.
 * The shown score is the override while it lasts (one that has lapsed is never shown, even before
 * its expiry is written); the breakdown, `modelScore` and `trend` are the model's. `trend` settings
 * are the tenant's configuration (LeadScoreQueries.trendSettings); `now` is the reading's moment.
 */
export function toLeadModel(
  score: LeadScore,
  {
    stale,
    raw,
    trend = DEFAULT_TREND_SETTINGS,
    now = new Date(),
  }: { stale: boolean; raw?: Lead; trend?: TrendSettings; now?: Date },
): LeadModel {
  const override = isOverrideActive(score.override, now) ? score.override : null;
  const shown = shownScore(score, now);
  const modelScore = shown.modelScore;
  return {
    id: score.leadRef.toHexString(),
    leadId: score.leadId,
    name: score.name,
    email: score.email,
    ownerId: score.ownerId,
    status: score.status,
    score: shown.score,
    tier: shown.tier,
    modelScore,
    override: override && {
      score: override.score,
      reason: override.reason,
      setBy: override.setBy,
      setAt: override.setAt,
      expiresAt: override.expiresAt,
    },
    trend: trendOf({ points: score.trendPoints, current: modelScore, now, settings: trend }),
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

/**
 * The shown score and tier, and the model's score beneath. Only a lapsed override (its expiry not
 * written yet) makes the stored score not the shown one: the model's is shown then.
 */
function shownScore(row: ScoreRow, now: Date): Pick<LeadModel, 'score' | 'tier' | 'modelScore'> {
  const modelScore = row.modelScore ?? row.score;
  const lapsed = !!row.override && !isOverrideActive(row.override, now);
  return lapsed
    ? { score: modelScore, tier: row.modelTier ?? row.tier, modelScore }
    : { score: row.score, tier: row.tier, modelScore };
}

/** The fields of the lead view a row (ScoreRow) holds: all but those of `LEAD_DETAIL_FIELDS`. */
export const LEAD_ROW_FIELDS: ReadonlySet<string> = new Set([
  'id',
  'leadId',
  'name',
  'email',
  'ownerId',
  'status',
  'score',
  'tier',
  'modelScore',
  'isStale',
  'engagement',
  'attributes',
  'createdAt',
]);

/** What only the whole stored score gives (see score-doc.codec.ts). */
export const LEAD_DETAIL_FIELDS = ['override', 'trend', 'breakdown'] as const;

/**
 * The lead view of a row of the ranked list (the ranking index's ScoreRow), for a page whose
 * selection asks for nothing else (LEAD_ROW_FIELDS): every field as `toLeadModel` gives it, but
 * the override's details, the trend and the breakdown, which a row does not hold. Reading one of
 * those throws (a GraphQL field error, never a made-up value): it would be a bug in the check of
 * the selection.
 */
export function toLeadRowModel(
  row: ScoreRow,
  { stale, raw, now = new Date() }: { stale: boolean; raw?: Lead; now?: Date },
): LeadModel {
  return new LeadRowView(row, stale, raw, now);
}

/**
 * A class rather than an object literal with accessors defined on it: the getters live on the
 * prototype, so every view shares one shape (defining them per object cost 3 % of a page's CPU).
 */
class LeadRowView {
  readonly id: string;
  readonly leadId: string;
  readonly name: string | null;
  readonly email: string | null;
  readonly ownerId: string | null;
  readonly status: string;
  readonly score: number;
  readonly tier: LeadModel['tier'];
  readonly modelScore: number;
  readonly isStale: boolean;
  readonly engagement: LeadModel['engagement'];
  readonly attributes: Record<string, unknown> | null;
  readonly createdAt: Date | null;

  constructor(row: ScoreRow, stale: boolean, raw: Lead | undefined, now: Date) {
    const shown = shownScore(row, now);
    this.id = row.leadRef.toHexString();
    this.leadId = row.leadId;
    this.name = row.name;
    this.email = row.email;
    this.ownerId = row.ownerId;
    this.status = row.status;
    this.score = shown.score;
    this.tier = shown.tier;
    this.modelScore = shown.modelScore;
    this.isStale = stale;
    this.engagement = {
      emailOpens: row.emailOpens,
      websiteVisits: row.websiteVisits,
      timeSpentSeconds: row.timeSpentSeconds,
      lastActivityAt: row.lastActivityAt,
    };
    this.attributes = raw ? (raw.attributes ?? {}) : null;
    this.createdAt = raw ? raw.createdAt : null;
  }

  get override(): never {
    return notRead('override');
  }

  get trend(): never {
    return notRead('trend');
  }

  get breakdown(): never {
    return notRead('breakdown');
  }
}

function notRead(field: (typeof LEAD_DETAIL_FIELDS)[number]): never {
  throw new Error(`${field} is not read for a page of rows: the selection check missed it`);
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
  // The model's score: an override has no terms of its own.
  const modelScore = score.modelScore ?? score.score;
  const sum = terms.reduce((total, term) => total + term.contribution, 0);
  if (Math.abs(sum - modelScore) > 0.005 * terms.length + 1e-9) return terms;
  const contributions = apportionPoints(
    modelScore,
    terms.map((term) => term.contribution),
  );
  return terms.map((term, i) =>
    term.contribution === contributions[i] ? term : { ...term, contribution: contributions[i] },
  );
}
