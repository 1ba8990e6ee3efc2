import { Types } from 'mongoose';

import { ScoreChangeReason } from './schemas/score-history.schema';
import { PriorityTier } from './scorer/priority-tier.util';

/** What the leads module hands to scoring whenever a lead or its engagement changes. */
export interface LeadSnapshot {
  readonly leadRef: Types.ObjectId;
  readonly leadId: string;
  readonly name: string | null;
  readonly email: string | null;
  readonly ownerId: string | null;
  readonly status: string;
  readonly emailOpens: number;
  readonly websiteVisits: number;
  readonly timeSpentSeconds: number;
  readonly lastActivityAt: Date | null;
  /** The lead's version (moved by every write of the lead) these values are from. */
  readonly version: number;
  /**
   * The lead's attributes (what trained models score on); absent when the caller did not read
   * them (engagement writes): the copy kept with the lead's score is used then.
   */
  readonly attributes?: Readonly<Record<string, unknown>>;
  /**
   * The stamp of the lead's attributes (new on every write of them), read with or without them:
   * a score's copy stands in for them only if it has the same stamp. Absent on leads whose
   * attributes were never written with one.
   */
  readonly attributesStamp?: string;
}

/** The deterministic weighted sum is model version 1 of every tenant. */
export const WEIGHTED_SUM_MODEL = { id: 'weighted-sum', version: 1 } as const;

/** Published through the EventBus whenever a lead's score changes. */
export interface LeadScoreChangedEvent {
  readonly tenantId: string;
  readonly leadRef: string;
  readonly leadId: string;
  readonly ownerId: string | null;
  readonly score: number;
  readonly previousScore: number | null;
  readonly tier: PriorityTier;
  /** The stored score's tier before (null: first score); absent when unknown (a resumed job). */
  readonly previousTier?: PriorityTier | null;
  readonly reason: ScoreChangeReason;
  readonly configVersion: number;
  readonly at: string;
}

/** What travels on the topic: the changes of one scoring write, delivered to subscribers one by one. */
export interface LeadScoreChangedBatch {
  readonly events: readonly LeadScoreChangedEvent[];
}

export const LEAD_SCORE_CHANGED_TOPIC = 'scoring.leadScoreChanged';

export type LeadSort = 'SCORE' | 'LAST_ACTIVITY';
/** DESC: highest first, ties by lead ref ascending; ASC: exactly the reverse. */
export type LeadSortOrder = 'ASC' | 'DESC';

export interface RankedLeadQuery {
  readonly minScore?: number;
  readonly ownerId?: string;
  readonly status?: string;
  readonly search?: string;
  readonly sort: LeadSort;
  readonly order?: LeadSortOrder;
  readonly page: number;
  readonly limit: number;
  readonly refresh: boolean;
  /**
   * Whole stored scores (breakdown, trend points, the override's details) rather than the rows
   * the ranking index keeps (score-doc.codec.ts); a page from the index then reads them from
   * MongoDB by the page's lead ids. Implied by `refresh`.
   */
  readonly detail?: boolean;
}
