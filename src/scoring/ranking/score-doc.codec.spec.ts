import { Types } from 'mongoose';

import type { LeadScore } from '../schemas/lead-score.schema';
import { PriorityTier } from '../scorer/priority-tier.util';
import { decodeScoreDoc, encodeScoreDoc } from './score-doc.codec';

function makeDoc(overrides: Partial<LeadScore> = {}): LeadScore {
  const ref = new Types.ObjectId();
  return {
    _id: ref,
    tenantId: new Types.ObjectId(),
    leadRef: ref,
    leadId: 'L-1',
    name: 'Ada',
    email: null,
    ownerId: null,
    status: 'NEW',
    searchText: 'l-1 ada',
    emailOpens: 3,
    websiteVisits: 2,
    timeSpentSeconds: 120,
    lastActivityAt: new Date('2026-11-20T10:00:00.123Z'),
    score: 42.17,
    tier: PriorityTier.WARM,
    breakdown: {
      rawScore: 45.5,
      decayFactor: 0.927,
      daysSinceLastActivity: 0.76,
      terms: [
        {
          feature: 'emailOpens',
          value: 3,
          cap: 10,
          normalized: 0.3,
          weight: 0.4,
          contribution: 12,
        },
      ],
    },
    leadVersion: 3,
    configVersion: 2,
    modelId: 'weighted-sum',
    modelVersion: 1,
    computedAt: new Date('2026-11-22T06:00:00.000Z'),
    historyCount: 4,
    ...overrides,
  };
}

describe('score doc codec', () => {
  it('round-trips a stored score with its ids and dates as ObjectIds and Dates', () => {
    const doc = makeDoc();
    const decoded = decodeScoreDoc(encodeScoreDoc(doc), doc.tenantId);
    expect(decoded).toEqual(doc);
    expect(decoded?.leadRef).toBeInstanceOf(Types.ObjectId);
    expect(decoded?.computedAt).toBeInstanceOf(Date);
  });

  it('keeps a lead that was never active as null', () => {
    const doc = makeDoc({ lastActivityAt: null });
    expect(decodeScoreDoc(encodeScoreDoc(doc), doc.tenantId)?.lastActivityAt).toBeNull();
  });

  it("refuses another tenant's score", () => {
    expect(decodeScoreDoc(encodeScoreDoc(makeDoc()), new Types.ObjectId())).toBeNull();
  });
});
