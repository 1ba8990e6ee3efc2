import type { LeadInsightModel } from '@/ai/models/lead-insight.model';
import type { LeadModel, ScoreBreakdownModel } from '@/leads/models/lead.model';
import type { DegradedReason } from '@/scoring/lead-score-queries.service';
import type { ScoringJob } from '@/scoring/schemas/scoring-job.schema';
import { toScoringJobView } from '@/scoring/jobs/scoring-job-view.util';

import type { LeadInsightDto } from '../dto/insight.dto';
import type { LeadScoreDto } from '../dto/lead-score.dto';
import type { ScoringJobDto } from '../dto/scoring-job.dto';

/**
 * The documented fields only, named one by one: what is stored beside them (a shadow model's
 * score, say) never reaches a REST client by way of a spread.
 */
function toBreakdown(b: ScoreBreakdownModel): ScoreBreakdownModel {
  return {
    modelType: b.modelType,
    rawScore: b.rawScore,
    decayFactor: b.decayFactor,
    daysSinceLastActivity: b.daysSinceLastActivity,
    terms: b.terms.map((t) => ({
      feature: t.feature,
      value: t.value,
      cap: t.cap,
      normalized: t.normalized,
      weight: t.weight,
      contribution: t.contribution,
    })),
    baseValue: b.baseValue,
    logit: b.logit,
    explanationMethod: b.explanationMethod,
    factors: b.factors.map((f) => ({
      feature: f.feature,
      value: f.value,
      contribution: f.contribution,
    })),
    modelId: b.modelId,
    modelVersion: b.modelVersion,
    configVersion: b.configVersion,
    computedAt: b.computedAt,
  };
}

export function toLeadScore(lead: LeadModel, degraded?: DegradedReason): LeadScoreDto {
  return {
    id: lead.id,
    leadId: lead.leadId,
    name: lead.name,
    ownerId: lead.ownerId,
    status: lead.status,
    score: lead.score,
    tier: lead.tier,
    modelScore: lead.modelScore,
    override: lead.override && {
      score: lead.override.score,
      reason: lead.override.reason,
      setBy: lead.override.setBy,
      setAt: lead.override.setAt,
      expiresAt: lead.override.expiresAt,
    },
    trend: lead.trend,
    isStale: lead.isStale,
    degraded: degraded ?? null,
    model: {
      id: lead.breakdown.modelId,
      version: lead.breakdown.modelVersion,
      type: lead.breakdown.modelType,
    },
    breakdown: toBreakdown(lead.breakdown),
    engagement: {
      emailOpens: lead.engagement.emailOpens,
      websiteVisits: lead.engagement.websiteVisits,
      timeSpentSeconds: lead.engagement.timeSpentSeconds,
      lastActivityAt: lead.engagement.lastActivityAt,
    },
  };
}

export function toInsight(model: LeadInsightModel): LeadInsightDto {
  const content = model.insight;
  return {
    leadId: model.leadId,
    status: model.status,
    current: model.current,
    insight: content && {
      summary: content.summary,
      nextBestAction: content.nextBestAction,
      talkingPoints: content.talkingPoints,
      risks: content.risks,
      fitEstimate: content.fitEstimate,
    },
    source: model.source,
    fallbackReason: model.fallbackReason,
    model: model.model,
    usage: model.usage && {
      promptTokens: model.usage.promptTokens,
      completionTokens: model.usage.completionTokens,
      totalTokens: model.usage.totalTokens,
    },
    latencyMs: model.latencyMs,
    score: model.score,
    generatedAt: model.generatedAt,
    requestedAt: model.requestedAt,
    failure: model.failure,
  };
}

export const toScoringJob = (job: ScoringJob): ScoringJobDto => toScoringJobView(job);
