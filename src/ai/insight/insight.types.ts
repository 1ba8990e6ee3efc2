/**
 * The AI insight of one lead: what OpenAI writes (structured output) or, when it cannot, the
 * deterministic fallback. Plain types only: no Nest, database, queue or OpenAI imports here.
 */

/** What a rep reads about a lead. Limits: see `INSIGHT_LIMITS` in insight-schema.ts. */
export interface InsightContent {
  /** At most 600 characters. */
  summary: string;
  /** At most 300 characters. */
  nextBestAction: string;
  /** 1 to 5 items of at most 200 characters. */
  talkingPoints: string[];
  /** 0 to 5 items of at most 200 characters. */
  risks: string[];
  /**
   * An integer 0–100: the LLM's own estimate of fit, shown beside (never instead of) the model
   * score. The fallback derives it from the score only.
   */
  fitEstimate: number;
}

export type InsightTier = 'HOT' | 'WARM' | 'COLD';

/** One term of the weighted sum (ScoreTermModel). */
export interface InsightTerm {
  /** emailOpens, websiteVisits or timeSpent. */
  readonly feature: string;
  readonly value: number;
  readonly cap: number;
  readonly weight: number;
  /** Points of the score; the terms add up to the score. */
  readonly contribution: number;
}

/** One factor of a trained model (ScoreFactor): logit units, positive raises the score. */
export interface InsightFactor {
  readonly feature: string;
  /** The lead's value as text (null: missing). Free text from the lead: untrusted. */
  readonly value: string | null;
  readonly contribution: number;
}

export interface InsightEngagement {
  readonly emailOpens: number;
  readonly websiteVisits: number;
  readonly timeSpentSeconds: number;
  /** ISO date-time, or null when no activity was ever recorded. */
  readonly lastActivityAt: string | null;
}

export interface InsightHistoryPoint {
  /** ISO date-time. */
  readonly at: string;
  readonly score: number;
}

/** What the lead looks like now. */
export interface InsightInput {
  readonly leadId: string;
  /** Free text from the lead: untrusted (never used by the fallback). */
  readonly name: string | null;
  /** NEW, WORKING, QUALIFIED, CONVERTED or LOST. */
  readonly status: string;
  /** 0 to 100, in hundredths. */
  readonly score: number;
  readonly tier: InsightTier;
  /** 'WEIGHTED_SUM' or a trained model type. */
  readonly modelType: string;
  readonly modelVersion: number;
  readonly configVersion: number;
  /** The weighted sum's terms; empty for trained models. */
  readonly terms: readonly InsightTerm[];
  /** A trained model's factors, largest contribution first; empty for the weighted sum. */
  readonly factors: readonly InsightFactor[];
  /** 0.5 ^ (days since last activity / half-life); 1 for trained models, 0 when never active. */
  readonly decayFactor: number;
  readonly daysSinceLastActivity: number | null;
  readonly engagement: InsightEngagement;
  /** Oldest first. */
  readonly history: readonly InsightHistoryPoint[];
  /** Already filtered to what the tenant allows. Free text: untrusted. */
  readonly attributes: Readonly<Record<string, unknown>>;
  /** ISO date-time the insight is for. */
  readonly now: string;
}

/** A Chat Completions message. */
export interface InsightMessage {
  readonly role: 'system' | 'user';
  readonly content: string;
}
