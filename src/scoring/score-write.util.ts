import { Types } from 'mongoose';

import { LeadScoreChangedEvent, LeadSnapshot, WEIGHTED_SUM_MODEL } from './lead-score.types';
import { LeadScore } from './schemas/lead-score.schema';
import { historyIdFor, ScoreChangeReason, ScoreHistoryEntry } from './schemas/score-history.schema';
import { tierFor, TierThresholds } from './scorer/priority-tier.util';
import { scoreEngagement, ScoringParameters } from './scorer/score-engagement.util';

/** What a rescoring needs to know of a lead's current score. */
export type PreviousScore = Pick<
  LeadScore,
  | '_id'
  | 'leadRef'
  | 'score'
  | 'tier'
  | 'configVersion'
  | 'modelVersion'
  | 'historyCount'
  | 'leadVersion'
>;

export const PREVIOUS_PROJECTION = {
  _id: 1,
  leadRef: 1,
  score: 1,
  tier: 1,
  configVersion: 1,
  modelVersion: 1,
  historyCount: 1,
  leadVersion: 1,
} as const;

/** A history entry and an event are due for a move of at least this many points. */
export const HISTORY_MIN_DELTA = 1;

export interface ScoreWrite {
  readonly doc: Omit<LeadScore, '_id' | 'tenantId'>;
  /**
   * The filter that makes the write conditional on what was read: the stored score still at the
   * lead version read (or, with none read, no other version stored: the upsert then collides on
   * `_id`). A write that matches nothing lost a race.
   */
  readonly filter: Record<string, unknown>;
  readonly history?: ScoreHistoryEntry;
  readonly event?: LeadScoreChangedEvent;
}

/**
 * The score document of one lead and what goes with it (history entry, event). Pure: the caller
 * writes it, and keeps the history and event only for writes that won.
 */
export function buildScoreWrite({
  tenantId,
  snapshot,
  before,
  config,
  reason,
  now,
}: {
  tenantId: Types.ObjectId;
  snapshot: LeadSnapshot;
  before: PreviousScore | undefined;
  config: {
    readonly version: number;
    readonly parameters: ScoringParameters;
    readonly thresholds: TierThresholds;
  };
  reason: ScoreChangeReason;
  now: Date;
}): ScoreWrite {
  const result = scoreEngagement(snapshot, config.parameters, now);
  const tier = tierFor(result.score, config.thresholds);
  const modelChanged =
    !before ||
    before.configVersion !== config.version ||
    before.modelVersion !== WEIGHTED_SUM_MODEL.version;
  const delta = before ? Math.abs(result.score - before.score) : Infinity;
  const recordHistory = modelChanged || delta >= HISTORY_MIN_DELTA;
  const historyCount = (before?.historyCount ?? 0) + (recordHistory ? 1 : 0);
  const doc: Omit<LeadScore, '_id' | 'tenantId'> = {
    leadRef: snapshot.leadRef,
    leadId: snapshot.leadId,
    name: snapshot.name,
    email: snapshot.email,
    ownerId: snapshot.ownerId,
    status: snapshot.status,
    searchText: [snapshot.leadId, snapshot.name, snapshot.email]
      .filter(Boolean)
      .join(' ')
      .toLowerCase(),
    emailOpens: snapshot.emailOpens,
    websiteVisits: snapshot.websiteVisits,
    timeSpentSeconds: snapshot.timeSpentSeconds,
    lastActivityAt: snapshot.lastActivityAt,
    leadVersion: snapshot.version,
    score: result.score,
    tier,
    breakdown: {
      rawScore: result.rawScore,
      decayFactor: result.decayFactor,
      daysSinceLastActivity: result.daysSinceLastActivity,
      terms: result.terms.map((term) => ({ ...term })),
    },
    configVersion: config.version,
    modelId: WEIGHTED_SUM_MODEL.id,
    modelVersion: WEIGHTED_SUM_MODEL.version,
    computedAt: now,
    historyCount,
  };
  const history: ScoreHistoryEntry | undefined = recordHistory
    ? {
        _id: historyIdFor(tenantId, snapshot.leadRef, historyCount),
        seq: historyCount,
        tenantId,
        leadRef: snapshot.leadRef,
        score: result.score,
        previousScore: before?.score ?? null,
        reason,
        configVersion: config.version,
        modelVersion: WEIGHTED_SUM_MODEL.version,
        at: now,
      }
    : undefined;
  // Same rule as history: a point or more, a new tier or a new model. Decay moves every score a
  // little all the time; subscribers hear of the moves that matter, not of each hundredth.
  const tierChanged = !before || before.tier !== tier;
  const event: LeadScoreChangedEvent | undefined =
    modelChanged || tierChanged || delta >= HISTORY_MIN_DELTA
      ? {
          tenantId: tenantId.toHexString(),
          leadRef: snapshot.leadRef.toHexString(),
          leadId: snapshot.leadId,
          ownerId: snapshot.ownerId,
          score: result.score,
          previousScore: before?.score ?? null,
          tier,
          reason,
          configVersion: config.version,
          at: now.toISOString(),
        }
      : undefined;
  // The score's _id is the lead's: keyed reads and writes hit the _id index on every engine.
  const filter = {
    _id: snapshot.leadRef,
    leadVersion: before ? before.leadVersion : snapshot.version,
  };
  return { doc, filter, history, event };
}
