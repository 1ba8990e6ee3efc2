import { isDeepStrictEqual } from 'node:util';

import { Types } from 'mongoose';

import { scoreWithModel } from '@/ml/serve/score-with-model.util';

import { LeadScoreChangedEvent, LeadSnapshot } from './lead-score.types';
import { LeadScore } from './schemas/lead-score.schema';
import type { SingleModelChoice } from './scoring-model.registry';
import { historyIdFor, ScoreChangeReason, ScoreHistoryEntry } from './schemas/score-history.schema';
import { tierFor, TierThresholds } from './scorer/priority-tier.util';
import { scoreEngagement, ScoringParameters } from './scorer/score-engagement.util';
import { nextOverride, OverrideAction, OverrideChange } from './override/score-override.util';
import { DEFAULT_TREND_SETTINGS, nextTrendPoints } from './trend/score-trend.util';

/** The history reason of a write that changed the override (it names the change, not the cause). */
const OVERRIDE_REASONS: Record<OverrideChange, ScoreChangeReason> = {
  SET: ScoreChangeReason.OVERRIDE_SET,
  CLEARED: ScoreChangeReason.OVERRIDE_CLEARED,
  EXPIRED: ScoreChangeReason.OVERRIDE_EXPIRED,
};

/** What a rescoring needs to know of a lead's current score. */
export type PreviousScore = Pick<
  LeadScore,
  | '_id'
  | 'leadRef'
  | 'score'
  | 'tier'
  | 'configVersion'
  | 'modelId'
  | 'modelVersion'
  | 'historyCount'
  | 'leadVersion'
  | 'attributes'
  | 'attributesStamp'
  | 'modelScore'
  | 'override'
  | 'trendPoints'
  | 'computedAt'
  | 'writeId'
>;

export const PREVIOUS_PROJECTION = {
  _id: 1,
  leadRef: 1,
  score: 1,
  tier: 1,
  configVersion: 1,
  modelId: 1,
  modelVersion: 1,
  historyCount: 1,
  leadVersion: 1,
  // Engagement writes read no attributes: the score keeps its copy (see LeadSnapshot.attributes).
  attributes: 1,
  attributesStamp: 1,
  modelScore: 1,
  override: 1,
  trendPoints: 1,
  // The write guard's token, and the time the new score must pass (buildScoreWrite).
  writeId: 1,
  computedAt: 1,
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
  /** What the write did to the lead's override (audited by the caller once the write won). */
  readonly overrideChange?: OverrideChange;
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
  model,
  shadow,
  reason: cause,
  now,
  override: overrideAction,
  trendWindowDays = DEFAULT_TREND_SETTINGS.windowDays,
}: {
  tenantId: Types.ObjectId;
  snapshot: LeadSnapshot;
  before: PreviousScore | undefined;
  model: SingleModelChoice;
  /** Scored too and stored beside, never shown (shadow mode). */
  shadow?: SingleModelChoice;
  config: {
    readonly version: number;
    readonly parameters: ScoringParameters;
    readonly thresholds: TierThresholds;
  };
  reason: ScoreChangeReason;
  now: Date;
  /** Sets or clears the override; without one, an override that has lapsed is dropped. */
  override?: OverrideAction;
  /** Days of trend points kept (the trend window). */
  trendWindowDays?: number;
}): ScoreWrite {
  // Unknown (neither the caller nor the stored score has them): scored as none, and not stored
  // as `{}`, so a trained model deployed later still reads the lead's own. The stored copy counts
  // only if it is of the attributes the lead has now (same stamp): an engagement write must not
  // carry an older copy over an attribute edit it raced with.
  const known = snapshot.attributes ?? copiedAttributes(snapshot, before);
  const attributes = known ?? {};
  const { score: modelScore, breakdown } = scoreWith(
    model,
    { ...snapshot, attributes },
    config.parameters,
    now,
  );
  const modelTier = tierFor(modelScore, config.thresholds);
  const { override, change } = nextOverride(before?.override, overrideAction, now);
  const reason = change ? OVERRIDE_REASONS[change] : cause;
  // What is shown (and ranked, and tiered) is the override while it lasts.
  const score = override ? override.score : modelScore;
  const tier = override ? tierFor(score, config.thresholds) : modelTier;
  const shadowed = shadow
    ? scoreWith(shadow, { ...snapshot, attributes }, config.parameters, now)
    : null;
  const modelChanged =
    !before ||
    before.configVersion !== config.version ||
    before.modelVersion !== model.version ||
    (before.modelId !== undefined && before.modelId !== model.modelId);
  const delta = before ? Math.abs(score - before.score) : Infinity;
  const modelDelta = before ? Math.abs(modelScore - (before.modelScore ?? before.score)) : Infinity;
  const recordHistory =
    modelChanged ||
    change !== null ||
    delta >= HISTORY_MIN_DELTA ||
    modelDelta >= HISTORY_MIN_DELTA;
  const historyCount = (before?.historyCount ?? 0) + (recordHistory ? 1 : 0);
  // The trend's series: the model's score at each history entry (see trend/score-trend.util).
  const trendPoints = recordHistory
    ? nextTrendPoints(
        before?.trendPoints,
        { at: now.getTime(), score: modelScore },
        trendWindowDays,
      )
    : before?.trendPoints;
  // The write guard's token (the filter below): new at every write.
  const writeId = new Types.ObjectId();
  // Past the score it replaces, even when this process's clock is behind the one that wrote it
  // or a retry after a lost race keeps its first `now`: the ranking index keeps a lead's newest
  // entry by lead version and this time (score-doc.codec), and would ignore this write otherwise.
  const computedAt =
    before && now.getTime() <= before.computedAt.getTime()
      ? new Date(before.computedAt.getTime() + 1)
      : now;
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
    ...(known !== undefined ? { attributes: { ...known } } : {}),
    ...(known !== undefined && snapshot.attributesStamp !== undefined
      ? { attributesStamp: snapshot.attributesStamp }
      : {}),
    score,
    tier,
    modelScore,
    modelTier,
    ...(override ? { override } : {}),
    ...(trendPoints ? { trendPoints } : {}),
    breakdown,
    configVersion: config.version,
    modelId: model.modelId,
    modelVersion: model.version,
    computedAt,
    writeId,
    historyCount,
    ...(shadow && shadowed
      ? {
          shadow: {
            modelId: shadow.modelId,
            modelVersion: shadow.version,
            score: shadowed.score,
            probability: shadowed.breakdown.rawScore,
          },
        }
      : {}),
  };
  const history: ScoreHistoryEntry | undefined = recordHistory
    ? {
        _id: historyIdFor(tenantId, snapshot.leadRef, historyCount),
        seq: historyCount,
        tenantId,
        leadRef: snapshot.leadRef,
        score,
        previousScore: before?.score ?? null,
        ...(override ? { modelScore } : {}),
        reason,
        configVersion: config.version,
        modelVersion: model.version,
        at: now,
      }
    : undefined;
  // Same rule as history: a point or more, a new tier or a new model. Decay moves every score a
  // little all the time; subscribers hear of the moves that matter, not of each hundredth.
  const tierChanged = !before || before.tier !== tier;
  const event: LeadScoreChangedEvent | undefined =
    modelChanged || tierChanged || change !== null || delta >= HISTORY_MIN_DELTA
      ? {
          tenantId: tenantId.toHexString(),
          leadRef: snapshot.leadRef.toHexString(),
          leadId: snapshot.leadId,
          ownerId: snapshot.ownerId,
          score,
          previousScore: before?.score ?? null,
          tier,
          previousTier: before?.tier ?? null,
          reason,
          configVersion: config.version,
          at: now.toISOString(),
        }
      : undefined;
  // The score's _id is the lead's: keyed reads and writes hit the _id index on every engine.
  // The write applies only to the score as read: the same lead version and the same `writeId`,
  // which every score write replaces (a compare-and-swap: a write in between, an override set or
  // cleared, another rescoring of the same version, makes this one a lost race, retried from what
  // is stored then; `null` matches a score written before scores had one). Without a score read,
  // the filter names this write's own new `writeId`, which no stored score has: the upsert
  // inserts, or collides on `_id` if one was written meanwhile. No index names these fields: both
  // engines find the score by `_id` and match the rest on it (mongo-java-server through the
  // launcher's idPositions).
  const filter = {
    _id: snapshot.leadRef,
    leadVersion: before ? before.leadVersion : snapshot.version,
    writeId: before ? (before.writeId ?? null) : writeId,
  };
  return { doc, filter, history, event, ...(change ? { overrideChange: change } : {}) };
}

/**
 * The fields a score write owns: what scoring computes, not the copy of the lead it was computed
 * from. A rescoring of stored scores (`scoreFieldsUpdate`) writes only these.
 */
export const SCORE_OWNED_FIELDS = [
  'score',
  'tier',
  'modelScore',
  'modelTier',
  'override',
  'trendPoints',
  'breakdown',
  'configVersion',
  'modelId',
  'modelVersion',
  'computedAt',
  'writeId',
  'historyCount',
  'shadow',
] as const satisfies readonly (keyof LeadScore)[];

/** A score-owned field that a rescoring's read of the stored scores carries (all but the breakdown). */
export type RescoringReadOwnedField = Exclude<(typeof SCORE_OWNED_FIELDS)[number], 'breakdown'>;

/**
 * The score-owned fields a rescoring's read of the stored scores carries (RESCORING_READ; whole
 * documents carry all of them): an update in place compares these with their stored values and
 * leaves out those a rescoring did not change. The breakdown, which it recomputes and does not
 * read, is always written.
 */
export const RESCORING_READ_OWNED_FIELDS: readonly RescoringReadOwnedField[] =
  SCORE_OWNED_FIELDS.filter((field): field is RescoringReadOwnedField => field !== 'breakdown');

const COMPARED_FIELDS: ReadonlySet<string> = new Set(RESCORING_READ_OWNED_FIELDS);

export type ScoreFieldsUpdate = {
  $set: Record<string, unknown>;
  $unset?: Record<string, ''>;
};

/**
 * A write's score-owned fields as an update of the stored document it was computed from: set
 * where the write has a value, unset where it has none (a lapsed override, a shadow test ended),
 * as the whole replacement would leave them. For scores rescored from their own stored copy of
 * the lead, whose lead fields the write's filter (the lead version read) guarantees unchanged:
 * a third of the bytes of a replacement to encode, send and apply.
 *
 * With `stored`, the stored score as read with at least RESCORING_READ_OWNED_FIELDS (a field absent
 * from it is absent stored), the fields whose value the write leaves as stored are left out: a
 * rescoring with the same config moves few of them (its time, the breakdown's decay, now and then
 * the score), and mongo-java-server's cost of an update grows with each operator's field. A probe
 * of that engine alone (50,000 scores with the schema's indexes, updates by the write guard in
 * commands of 500): 79 ms of wall time per 1,000 updates setting or unsetting all 13 fields
 * against 68 setting the 2 that moved. What is left out stays as read only because the write's
 * filter compares `writeId` (buildScoreWrite): any write in between, which would have changed
 * the fields skipped here, makes this one a lost race instead of a mix of the two.
 */
export function scoreFieldsUpdate(
  doc: ScoreWrite['doc'],
  stored?: Partial<Pick<LeadScore, RescoringReadOwnedField>>,
): ScoreFieldsUpdate {
  const $set: Record<string, unknown> = {};
  const $unset: Record<string, ''> = {};
  const storedFields = stored as Record<string, unknown> | undefined;
  for (const field of SCORE_OWNED_FIELDS) {
    const value = doc[field];
    if (storedFields && COMPARED_FIELDS.has(field)) {
      const was = storedFields[field];
      // Only an equal value is left out; one that merely looks equal (another class of the same
      // id, say) is written again, which is what the update did before it compared at all.
      if (
        value === undefined ? was === undefined : was !== undefined && isDeepStrictEqual(value, was)
      )
        continue;
    }
    if (value === undefined) $unset[field] = '';
    else $set[field] = value;
  }
  return Object.keys($unset).length > 0 ? { $set, $unset } : { $set };
}

/**
 * Whether a write computed from the stored score `before` leaves its copy of the lead as stored,
 * so that `scoreFieldsUpdate` may stand for the whole replacement: the same lead version and the
 * same attributes copy (a copy read from the lead for a score stored without one must be written).
 */
export function keepsLeadCopy(
  before: Pick<PreviousScore, 'leadVersion' | 'attributes' | 'attributesStamp'>,
  doc: ScoreWrite['doc'],
): boolean {
  return (
    before.leadVersion === doc.leadVersion &&
    before.attributesStamp === doc.attributesStamp &&
    (before.attributes === undefined) === (doc.attributes === undefined)
  );
}

/** The stored score's copy of the lead's attributes, if it is of the ones the snapshot is from. */
export function copiedAttributes(
  snapshot: LeadSnapshot,
  before: Pick<PreviousScore, 'attributes' | 'attributesStamp'> | undefined,
): Readonly<Record<string, unknown>> | undefined {
  if (before?.attributes === undefined) return undefined;
  return before.attributesStamp === snapshot.attributesStamp ? before.attributes : undefined;
}

/**
 * The score and breakdown of one lead under the tenant's model: the weighted sum of DESIGN.md, or
 * a trained model's round(100 × probability) with its additive explanation (factors per raw
 * feature, summing with the base to the logit).
 */
export function scoreWith(
  model: SingleModelChoice,
  lead: LeadSnapshot & { readonly attributes: Readonly<Record<string, unknown>> },
  parameters: ScoringParameters,
  now: Date,
): { score: number; breakdown: LeadScore['breakdown'] } {
  if (model.kind === 'WEIGHTED_SUM') {
    const result = scoreEngagement(lead, parameters, now);
    return {
      score: result.score,
      breakdown: {
        rawScore: result.rawScore,
        decayFactor: result.decayFactor,
        daysSinceLastActivity: result.daysSinceLastActivity,
        terms: result.terms.map((term) => ({ ...term })),
      },
    };
  }
  const result = scoreWithModel(model.serving, lead, now);
  return {
    score: result.score,
    breakdown: {
      rawScore: result.probability,
      decayFactor: 1,
      daysSinceLastActivity: lead.lastActivityAt
        ? Math.max(0, (now.getTime() - lead.lastActivityAt.getTime()) / 86_400_000)
        : null,
      terms: [],
      model: {
        type: model.modelType,
        base: result.base,
        logit: result.logit,
        ...(result.method ? { method: result.method } : {}),
        factors: result.factors.map((factor) => ({ ...factor })),
      },
    },
  };
}
