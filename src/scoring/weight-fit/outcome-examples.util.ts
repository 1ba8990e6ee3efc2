/**
 * Turning stored outcomes and logged interactions into the fit's examples, a batch at a time and
 * in bounded memory: each lead's interactions are folded into one sum as they are read. Pure: no
 * Nest, no Mongoose, no clock (ObjectIds are only compared by their hex form).
 */
import type { Engagement } from '../scorer/score-engagement.util';
import type { OutcomeExample } from './outcome-engagement.util';

/** The newest outcomes a suggestion reads at most (by outcome time): ~100 bytes each in memory. */
export const WEIGHT_FIT_MAX_OUTCOMES = 20_000;
/** Leads whose interactions one query reads. */
export const INTERACTION_BATCH_LEADS = 1_000;

interface HexId {
  toHexString(): string;
}

/** A current outcome record, as far as the fit reads it. */
export interface StoredOutcome<Id extends HexId = HexId> {
  readonly leadRef: Id;
  readonly leadId: string;
  readonly outcome: string;
  readonly at: Date;
  readonly recordedAt: Date;
}

/** A logged interaction, as far as the fit reads it. */
export interface StoredInteraction<Id extends HexId = HexId> {
  readonly leadRef: Id;
  readonly occurredAt: Date;
  readonly emailOpen: number;
  readonly visit: number;
  readonly secondsSpent: number;
}

/**
 * One outcome per lead, in the order read (newest outcome time first), at most `max`. A lead has
 * one current outcome, but its records' `current` flags follow the lead's pointer a moment
 * later: of two flagged at once, the one recorded last is the one the lead points at.
 * `capped` says that more outcomes than `max` were read (the caller reads `max + 1`).
 */
export function newestOutcomes<Id extends HexId>(
  records: readonly StoredOutcome<Id>[],
  max: number,
): { outcomes: StoredOutcome<Id>[]; capped: boolean } {
  const byLead = new Map<string, number>();
  const outcomes: StoredOutcome<Id>[] = [];
  for (const record of records) {
    const key = record.leadRef.toHexString();
    const seen = byLead.get(key);
    if (seen === undefined) {
      byLead.set(key, outcomes.length);
      outcomes.push(record);
    } else if (record.recordedAt > outcomes[seen].recordedAt) {
      outcomes[seen] = record;
    }
  }
  return { outcomes: outcomes.slice(0, max), capped: records.length > max };
}

/** `items` in consecutive slices of at most `size`. */
export function inSlices<T>(items: readonly T[], size: number): T[][] {
  const slices: T[][] = [];
  for (let start = 0; start < items.length; start += size) {
    slices.push(items.slice(start, start + size));
  }
  return slices;
}

/**
 * The engagement each outcome's lead had logged by its outcome time, summed as the interactions
 * of its batch arrive (in any order); those after the outcome are left out here already, so
 * nothing a lead did after it closed is even kept.
 */
export class EngagementAtOutcomes {
  private readonly sums = new Map<string, { at: number; engagement: MutableEngagement }>();

  constructor(private readonly outcomes: readonly StoredOutcome[]) {
    for (const outcome of outcomes) {
      this.sums.set(outcome.leadRef.toHexString(), {
        at: outcome.at.getTime(),
        engagement: { emailOpens: 0, websiteVisits: 0, timeSpentSeconds: 0, lastActivityAt: null },
      });
    }
  }

  add(interactions: readonly StoredInteraction[]): void {
    for (const interaction of interactions) {
      const sum = this.sums.get(interaction.leadRef.toHexString());
      const time = interaction.occurredAt.getTime();
      if (!sum || !(time <= sum.at)) continue;
      const engagement = sum.engagement;
      engagement.emailOpens += interaction.emailOpen;
      engagement.websiteVisits += interaction.visit;
      engagement.timeSpentSeconds += interaction.secondsSpent;
      if (engagement.lastActivityAt === null || time > engagement.lastActivityAt.getTime()) {
        engagement.lastActivityAt = interaction.occurredAt;
      }
    }
  }

  /** The fit's examples: each lead's logged engagement as one interaction at its last activity. */
  examples(): OutcomeExample[] {
    return this.outcomes.map((outcome) => {
      const { engagement } = this.sums.get(outcome.leadRef.toHexString())!;
      return {
        leadId: outcome.leadId,
        at: outcome.at,
        converted: outcome.outcome === 'CONVERTED',
        interactions:
          engagement.lastActivityAt === null
            ? []
            : [
                {
                  occurredAt: engagement.lastActivityAt,
                  emailOpen: engagement.emailOpens,
                  visit: engagement.websiteVisits,
                  secondsSpent: engagement.timeSpentSeconds,
                },
              ],
      };
    });
  }
}

type MutableEngagement = { -readonly [K in keyof Engagement]: Engagement[K] };
