import { engagementAtOutcome } from './outcome-engagement.util';
import {
  EngagementAtOutcomes,
  inSlices,
  newestOutcomes,
  StoredInteraction,
  StoredOutcome,
} from './outcome-examples.util';
import { daysAfter, START } from './__tests__/synthetic-outcomes.factory';

const ref = (hex: string) => ({ toHexString: () => hex.padStart(24, '0') });

function makeStoredOutcome(overrides: Partial<StoredOutcome> & { lead: string }): StoredOutcome {
  const { lead, ...rest } = overrides;
  return {
    leadRef: ref(lead),
    leadId: `L-${lead}`,
    outcome: 'CONVERTED',
    at: START,
    recordedAt: START,
    ...rest,
  };
}

function makeStoredInteraction(
  overrides: Partial<StoredInteraction> & { lead: string },
): StoredInteraction {
  const { lead, ...rest } = overrides;
  return {
    leadRef: ref(lead),
    occurredAt: START,
    emailOpen: 0,
    visit: 0,
    secondsSpent: 0,
    ...rest,
  };
}

describe('newestOutcomes', () => {
  it('keeps one outcome per lead, the one recorded last, in the order read', () => {
    const records = [
      makeStoredOutcome({ lead: 'a', at: daysAfter(START, 3), recordedAt: daysAfter(START, 3) }),
      makeStoredOutcome({ lead: 'b', at: daysAfter(START, 2) }),
      // Flagged current a moment longer than the record that replaced it, but recorded later.
      makeStoredOutcome({
        lead: 'a',
        outcome: 'LOST',
        at: daysAfter(START, 1),
        recordedAt: daysAfter(START, 4),
      }),
      makeStoredOutcome({ lead: 'b', at: daysAfter(START, 0), recordedAt: daysAfter(START, -1) }),
    ];
    const sut = newestOutcomes(records, 10);
    expect(sut.capped).toBe(false);
    expect(sut.outcomes.map((o) => [o.leadId, o.outcome])).toEqual([
      ['L-a', 'LOST'],
      ['L-b', 'CONVERTED'],
    ]);
  });

  it('keeps the first `max` and says when more were read', () => {
    const records = ['a', 'b', 'c'].map((lead) => makeStoredOutcome({ lead }));
    expect(newestOutcomes(records, 2)).toMatchObject({ capped: true });
    expect(newestOutcomes(records, 2).outcomes.map((o) => o.leadId)).toEqual(['L-a', 'L-b']);
    expect(newestOutcomes(records, 3).capped).toBe(false);
    expect(newestOutcomes([], 3)).toEqual({ outcomes: [], capped: false });
  });
});

describe('inSlices', () => {
  it('cuts in consecutive slices of at most the size', () => {
    expect(inSlices([1, 2, 3, 4, 5], 2)).toEqual([[1, 2], [3, 4], [5]]);
    expect(inSlices([1, 2], 2)).toEqual([[1, 2]]);
    expect(inSlices([], 2)).toEqual([]);
  });
});

describe('EngagementAtOutcomes', () => {
  const at = daysAfter(START, 10);
  const outcomes = [
    makeStoredOutcome({ lead: 'a', at }),
    makeStoredOutcome({ lead: 'b', at, outcome: 'LOST' }),
  ];

  it('sums each lead’s interactions up to its outcome, in any order and over several batches', () => {
    const sut = new EngagementAtOutcomes(outcomes);
    sut.add([
      makeStoredInteraction({ lead: 'a', occurredAt: daysAfter(START, 2), emailOpen: 1 }),
      // After the outcome: left out.
      makeStoredInteraction({ lead: 'a', occurredAt: daysAfter(START, 11), emailOpen: 5 }),
      // At the outcome instant: counted (it happened before the outcome was known).
      makeStoredInteraction({ lead: 'a', occurredAt: at, visit: 1, secondsSpent: 30 }),
      // A lead without an outcome here: ignored.
      makeStoredInteraction({ lead: 'z', occurredAt: START, emailOpen: 9 }),
    ]);
    sut.add([makeStoredInteraction({ lead: 'a', occurredAt: daysAfter(START, 5), emailOpen: 1 })]);
    const [a, b] = sut.examples();
    expect(a).toMatchObject({ leadId: 'L-a', at, converted: true });
    expect(engagementAtOutcome(a)).toEqual({
      emailOpens: 2,
      websiteVisits: 1,
      timeSpentSeconds: 30,
      lastActivityAt: at,
    });
    expect(b).toEqual({ leadId: 'L-b', at, converted: false, interactions: [] });
    expect(engagementAtOutcome(b).lastActivityAt).toBeNull();
  });

  it('gives what engagementAtOutcome gives from the raw interactions', () => {
    const raw = [
      makeStoredInteraction({ lead: 'a', occurredAt: daysAfter(START, 4), secondsSpent: 12.5 }),
      makeStoredInteraction({ lead: 'a', occurredAt: daysAfter(START, 1), visit: 1 }),
      makeStoredInteraction({ lead: 'a', occurredAt: daysAfter(START, 12), visit: 1 }),
    ];
    const sut = new EngagementAtOutcomes(outcomes.slice(0, 1));
    sut.add(raw);
    expect(engagementAtOutcome(sut.examples()[0])).toEqual(
      engagementAtOutcome({ leadId: 'L-a', at, converted: true, interactions: raw }),
    );
  });
});
