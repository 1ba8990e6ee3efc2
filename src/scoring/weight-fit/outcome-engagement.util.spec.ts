import { engagementAtOutcome } from './outcome-engagement.util';
import {
  daysAfter,
  makeInteraction,
  makeOutcome,
  START,
} from './__tests__/synthetic-outcomes.factory';

const AT = daysAfter(START, 10);

describe('engagementAtOutcome', () => {
  it('sums the baseline and the interactions at or before the outcome (hand-worked)', () => {
    const sut = engagementAtOutcome(
      makeOutcome({
        at: AT,
        baseline: {
          emailOpens: 2,
          websiteVisits: 1,
          timeSpentSeconds: 30,
          lastActivityAt: daysAfter(START, 1),
        },
        interactions: [
          makeInteraction({ occurredAt: daysAfter(START, 4), emailOpen: 1 }),
          // Exactly at the outcome: it happened before the outcome was known.
          makeInteraction({ occurredAt: AT, visit: 3, secondsSpent: 90 }),
          makeInteraction({ occurredAt: daysAfter(START, 2), visit: 1, secondsSpent: 15 }),
        ],
      }),
    );
    // 2 + 1 opens, 1 + 3 + 1 visits, 30 + 90 + 15 seconds, the latest at the outcome.
    expect(sut).toEqual({
      emailOpens: 3,
      websiteVisits: 5,
      timeSpentSeconds: 135,
      lastActivityAt: AT,
    });
  });

  it('ignores interactions after the outcome, for the sums and the last activity', () => {
    const sut = engagementAtOutcome(
      makeOutcome({
        at: AT,
        interactions: [
          makeInteraction({ occurredAt: daysAfter(START, 3), emailOpen: 1 }),
          makeInteraction({ occurredAt: new Date(AT.getTime() + 1), emailOpen: 50, visit: 9 }),
        ],
      }),
    );
    expect(sut).toEqual({
      emailOpens: 1,
      websiteVisits: 0,
      timeSpentSeconds: 0,
      lastActivityAt: daysAfter(START, 3),
    });
  });

  it('keeps the baseline’s last activity when it is later than every interaction', () => {
    const sut = engagementAtOutcome(
      makeOutcome({
        at: AT,
        baseline: {
          emailOpens: 0,
          websiteVisits: 0,
          timeSpentSeconds: 0,
          lastActivityAt: daysAfter(START, 9),
        },
        interactions: [makeInteraction({ occurredAt: daysAfter(START, 5), visit: 1 })],
      }),
    );
    expect(sut.lastActivityAt).toEqual(daysAfter(START, 9));
  });

  it('has no activity when nothing happened before the outcome', () => {
    const sut = engagementAtOutcome(
      makeOutcome({ at: AT, interactions: [makeInteraction({ occurredAt: daysAfter(AT, 1) })] }),
    );
    expect(sut).toEqual({
      emailOpens: 0,
      websiteVisits: 0,
      timeSpentSeconds: 0,
      lastActivityAt: null,
    });
  });

  it('refuses invalid times and a baseline active after the outcome', () => {
    expect(() => engagementAtOutcome(makeOutcome({ at: new Date(NaN) }))).toThrow(
      'outcome time of lead L-1 is not a valid date',
    );
    // A date that arrived as text (JSON) is not a date either.
    expect(() => engagementAtOutcome(makeOutcome({ at: '2026-01-01' as unknown as Date }))).toThrow(
      'outcome time of lead L-1 is not a valid date',
    );
    expect(() =>
      engagementAtOutcome(
        makeOutcome({ interactions: [makeInteraction({ occurredAt: new Date('nope') })] }),
      ),
    ).toThrow('interaction time of lead L-1 is not a valid date');
    expect(() =>
      engagementAtOutcome(
        makeOutcome({
          at: AT,
          baseline: {
            emailOpens: 1,
            websiteVisits: 0,
            timeSpentSeconds: 0,
            lastActivityAt: daysAfter(AT, 1),
          },
        }),
      ),
    ).toThrow('baseline of lead L-1 is active after its outcome');
  });
});
