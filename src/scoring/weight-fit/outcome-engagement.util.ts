/**
 * A lead's engagement as it was when its outcome was recorded: what the scorer would have been
 * given then. Pure: no Nest, no Mongoose, no clock.
 */
import { Engagement } from '../scorer/score-engagement.util';

/** One logged interaction, with the fields the engagement aggregates sum (as in the log). */
export interface OutcomeInteraction {
  readonly occurredAt: Date;
  readonly emailOpen: number;
  readonly visit: number;
  readonly secondsSpent: number;
}

/** One closed lead: its engagement inputs and whether it converted. */
export interface OutcomeExample {
  readonly leadId: string;
  /** When the lead converted or was lost: the label's event time, and the scoring instant. */
  readonly at: Date;
  readonly converted: boolean;
  /**
   * Engagement the interaction log does not hold (aggregates given with the lead itself, e.g. by a
   * CSV import), as of the outcome. Its last activity may not be after `at`. None by default.
   */
  readonly baseline?: Engagement;
  /** The lead's logged interactions, in any order; those after `at` are ignored. */
  readonly interactions: readonly OutcomeInteraction[];
}

const NO_ENGAGEMENT: Engagement = {
  emailOpens: 0,
  websiteVisits: 0,
  timeSpentSeconds: 0,
  lastActivityAt: null,
};

/**
 * The engagement of `example` at its outcome time: the baseline plus every interaction at or
 * before `at` (an interaction at exactly `at` happened before the outcome was known), the last
 * activity the latest of them. Later interactions are what the lead did after closing; counting
 * them would leak the outcome into the fit.
 *
 * Throws a RangeError for an invalid `at` or interaction time, or a baseline active after `at`.
 */
export function engagementAtOutcome(example: OutcomeExample): Engagement {
  const at = validTime(example.at, `outcome time of lead ${example.leadId}`);
  const base = example.baseline ?? NO_ENGAGEMENT;
  let last = base.lastActivityAt === null ? null : base.lastActivityAt.getTime();
  if (last !== null && !(last <= at)) {
    throw new RangeError(
      `baseline of lead ${example.leadId} is active after its outcome (or at an invalid date)`,
    );
  }
  let emailOpens = base.emailOpens;
  let websiteVisits = base.websiteVisits;
  let timeSpentSeconds = base.timeSpentSeconds;
  for (const interaction of example.interactions) {
    const time = validTime(interaction.occurredAt, `interaction time of lead ${example.leadId}`);
    if (time > at) continue;
    emailOpens += interaction.emailOpen;
    websiteVisits += interaction.visit;
    timeSpentSeconds += interaction.secondsSpent;
    if (last === null || time > last) last = time;
  }
  return {
    emailOpens,
    websiteVisits,
    timeSpentSeconds,
    lastActivityAt: last === null ? null : new Date(last),
  };
}

function validTime(date: Date, what: string): number {
  const time = date instanceof Date ? date.getTime() : NaN;
  if (Number.isNaN(time)) throw new RangeError(`${what} is not a valid date`);
  return time;
}
