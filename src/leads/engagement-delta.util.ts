import type { Types } from 'mongoose';

/** How many of its latest applied events a lead remembers (see `planEngagementUpdate`). */
export const APPLIED_EVENTS_KEPT = 200;

export interface EngagementEvent {
  readonly _id: Types.ObjectId;
  readonly emailOpen: number;
  readonly visit: number;
  readonly secondsSpent: number;
  readonly occurredAt: Date;
}

export interface EngagementState {
  readonly emailOpens: number;
  readonly websiteVisits: number;
  readonly timeSpentSeconds: number;
  readonly lastActivityAt: Date | null;
  /** The lead's version, moved by every write of it: conditional writes compare it. */
  readonly version: number;
  /** The latest applied event ids, oldest first, at most APPLIED_EVENTS_KEPT. */
  readonly appliedEvents: readonly Types.ObjectId[];
}

export interface EngagementPlan {
  /** The events not yet in the lead. */
  readonly fresh: readonly EngagementEvent[];
  /** The lead once they are: what a conditional write on `version` produces. */
  readonly next: EngagementState;
  /** The update to send with the filter `{ _id, version: state.version }`. */
  readonly update: Record<string, unknown>;
}

/**
 * What adding these events to a lead does, or undefined when every one of them is in it already.
 * Pure: the caller writes `update` conditionally on the version it read, so of two writers that
 * read the same version only one succeeds, and the other, reading again, finds the events listed.
 * An event counts exactly once as long as the lead still lists it: within its latest 200 events.
 */
export function planEngagementUpdate(
  state: EngagementState,
  events: readonly EngagementEvent[],
  now: Date,
): EngagementPlan | undefined {
  const known = new Set(state.appliedEvents.map((id) => id.toHexString()));
  const fresh: EngagementEvent[] = [];
  for (const event of events) {
    const key = event._id.toHexString();
    if (known.has(key)) continue;
    known.add(key);
    fresh.push(event);
  }
  if (fresh.length === 0) return undefined;
  let opens = 0;
  let visits = 0;
  let seconds = 0;
  let latest = fresh[0].occurredAt;
  for (const event of fresh) {
    opens += event.emailOpen;
    visits += event.visit;
    seconds += event.secondsSpent;
    if (event.occurredAt > latest) latest = event.occurredAt;
  }
  const ids = fresh.map((event) => event._id);
  const lastActivityAt =
    state.lastActivityAt !== null && state.lastActivityAt > latest ? state.lastActivityAt : latest;
  return {
    fresh,
    next: {
      emailOpens: state.emailOpens + opens,
      websiteVisits: state.websiteVisits + visits,
      timeSpentSeconds: state.timeSpentSeconds + seconds,
      lastActivityAt,
      version: state.version + 1,
      appliedEvents: [...state.appliedEvents, ...ids].slice(-APPLIED_EVENTS_KEPT),
    },
    update: {
      $inc: {
        emailOpens: opens,
        websiteVisits: visits,
        timeSpentSeconds: seconds,
        version: 1,
      },
      $max: { lastActivityAt: latest },
      $set: { updatedAt: now },
      $push: { appliedEvents: { $each: ids, $slice: -APPLIED_EVENTS_KEPT } },
    },
  };
}
