import { Types } from 'mongoose';

import {
  APPLIED_EVENTS_KEPT,
  EngagementEvent,
  EngagementState,
  planEngagementUpdate,
} from './engagement-delta.util';

const NOW = new Date('2026-12-01T12:00:00Z');

function makeState(overrides: Partial<EngagementState> = {}): EngagementState {
  return {
    emailOpens: 2,
    websiteVisits: 1,
    timeSpentSeconds: 30,
    lastActivityAt: new Date('2026-11-30T00:00:00Z'),
    version: 4,
    appliedEvents: [],
    ...overrides,
  };
}

function makeEvent(overrides: Partial<EngagementEvent> = {}): EngagementEvent {
  return {
    _id: new Types.ObjectId(),
    emailOpen: 0,
    visit: 1,
    secondsSpent: 60,
    occurredAt: new Date('2026-11-29T00:00:00Z'),
    ...overrides,
  };
}

describe('planEngagementUpdate', () => {
  it('adds the events, moves the version one up and lists them', () => {
    const open = makeEvent({ emailOpen: 1, visit: 0, secondsSpent: 0 });
    const visit = makeEvent({ occurredAt: new Date('2026-12-01T09:00:00Z') });

    const sut = planEngagementUpdate(makeState(), [open, visit], NOW)!;

    expect(sut.next).toEqual({
      emailOpens: 3,
      websiteVisits: 2,
      timeSpentSeconds: 90,
      lastActivityAt: new Date('2026-12-01T09:00:00Z'),
      version: 5,
      appliedEvents: [open._id, visit._id],
    });
    expect(sut.update).toEqual({
      $inc: { emailOpens: 1, websiteVisits: 1, timeSpentSeconds: 60, version: 1 },
      $max: { lastActivityAt: new Date('2026-12-01T09:00:00Z') },
      $set: { updatedAt: NOW },
      $push: { appliedEvents: { $each: [open._id, visit._id], $slice: -APPLIED_EVENTS_KEPT } },
    });
  });

  it('skips events the lead lists already, and the same event twice in one call', () => {
    const old = makeEvent();
    const fresh = makeEvent({ secondsSpent: 10 });

    const sut = planEngagementUpdate(
      makeState({ appliedEvents: [old._id] }),
      [old, fresh, fresh],
      NOW,
    )!;

    expect(sut.fresh).toEqual([fresh]);
    expect(sut.next.timeSpentSeconds).toBe(40);
    expect(sut.next.appliedEvents).toEqual([old._id, fresh._id]);
  });

  it('answers undefined when every event is in the lead', () => {
    const event = makeEvent();
    expect(
      planEngagementUpdate(makeState({ appliedEvents: [event._id] }), [event], NOW),
    ).toBeUndefined();
  });

  it('keeps lastActivityAt when the events are older, and only the latest ids', () => {
    const kept = Array.from({ length: APPLIED_EVENTS_KEPT }, () => new Types.ObjectId());
    const event = makeEvent({ occurredAt: new Date('2026-01-01T00:00:00Z') });

    const sut = planEngagementUpdate(makeState({ appliedEvents: kept }), [event], NOW)!;

    expect(sut.next.lastActivityAt).toEqual(new Date('2026-11-30T00:00:00Z'));
    expect(sut.next.appliedEvents).toHaveLength(APPLIED_EVENTS_KEPT);
    expect(sut.next.appliedEvents[0]).toBe(kept[1]);
    expect(sut.next.appliedEvents.at(-1)).toBe(event._id);
  });
});
