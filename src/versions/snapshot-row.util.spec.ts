import { matchesSnapshotFilter, SnapshotLead, snapshotRow } from './snapshot-row.util';

const closedAt = new Date('2026-03-10T12:00:00Z');

function makeClosedLead(overrides: Partial<SnapshotLead> = {}): SnapshotLead {
  return {
    leadId: 'L-1',
    ownerId: 'rep-1',
    attributes: { age: 41, job: 'admin.' },
    outcome: {
      outcome: 'CONVERTED',
      at: closedAt,
      emailOpens: 3,
      websiteVisits: 2,
      timeSpentSeconds: 90,
      lastActivityAt: new Date('2026-03-07T00:00:00Z'),
    },
    ...overrides,
  };
}

describe('snapshotRow', () => {
  it('labels the row from the outcome and takes features as of the outcome time', () => {
    expect(snapshotRow(makeClosedLead())).toEqual({
      leadId: 'L-1',
      label: 1,
      eventTime: closedAt.getTime(),
      features: {
        emailOpens: 3,
        websiteVisits: 2,
        timeSpentSeconds: 90,
        // 3 days and 12 hours between the last activity and the close.
        daysSinceLastActivity: 3.5,
        age: 41,
        job: 'admin.',
      },
    });
  });

  it('labels a lost lead 0 and a lead never active has no days since activity', () => {
    const row = snapshotRow(
      makeClosedLead({
        attributes: null,
        outcome: { ...makeClosedLead().outcome, outcome: 'LOST', lastActivityAt: null },
      }),
    );
    expect(row.label).toBe(0);
    expect(row.features).toEqual({
      emailOpens: 3,
      websiteVisits: 2,
      timeSpentSeconds: 90,
      daysSinceLastActivity: null,
    });
  });
});

describe('matchesSnapshotFilter', () => {
  const lead = makeClosedLead();
  it('keeps outcomes in [from, to) and of the owners named', () => {
    expect(matchesSnapshotFilter(lead, {})).toBe(true);
    expect(matchesSnapshotFilter(lead, { outcomeFrom: closedAt })).toBe(true);
    expect(matchesSnapshotFilter(lead, { outcomeTo: closedAt })).toBe(false);
    expect(matchesSnapshotFilter(lead, { outcomeFrom: new Date('2026-03-11T00:00:00Z') })).toBe(
      false,
    );
    expect(matchesSnapshotFilter(lead, { ownerIds: ['rep-2'] })).toBe(false);
    expect(matchesSnapshotFilter(lead, { ownerIds: ['rep-2', 'rep-1'] })).toBe(true);
    expect(matchesSnapshotFilter({ ...lead, ownerId: null }, { ownerIds: ['rep-1'] })).toBe(false);
  });
});
