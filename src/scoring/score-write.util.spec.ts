import { Types } from 'mongoose';

import type { LeadSnapshot } from './lead-score.types';
import { ScoreChangeReason } from './schemas/score-history.schema';
import { SCORE_WRITE_GUARD_INDEX } from './schemas/lead-score.schema';
import {
  buildScoreWrite,
  copiedAttributes,
  keepsLeadCopy,
  PreviousScore,
  SCORE_OWNED_FIELDS,
  scoreFieldsUpdate,
} from './score-write.util';
import { WEIGHTED_SUM_CHOICE } from './scoring-model.registry';
import { PriorityTier } from './scorer/priority-tier.util';
import type { ScoringParameters } from './scorer/score-engagement.util';

const PARAMETERS: ScoringParameters = {
  weights: [0.4, 0.35, 0.25],
  caps: [10, 20, 600],
  halfLifeDays: 7,
};

const tenantId = new Types.ObjectId();
const leadRef = new Types.ObjectId();
const now = new Date('2026-12-03T00:00:00Z');

function snapshot(extra: Partial<LeadSnapshot> = {}): LeadSnapshot {
  return {
    leadRef,
    leadId: 'L-1',
    name: null,
    email: null,
    ownerId: null,
    status: 'NEW',
    emailOpens: 2,
    websiteVisits: 1,
    timeSpentSeconds: 60,
    lastActivityAt: now,
    version: 3,
    ...extra,
  };
}

function before(extra: Partial<PreviousScore> = {}): PreviousScore {
  return {
    _id: leadRef,
    leadRef,
    score: 10,
    tier: PriorityTier.COLD,
    configVersion: 1,
    modelId: 'weighted-sum',
    modelVersion: 1,
    historyCount: 1,
    leadVersion: 2,
    attributes: { size: 37 },
    attributesStamp: 'stamp-1',
    ...extra,
  };
}

function write(lead: LeadSnapshot, previous: PreviousScore | undefined) {
  return buildScoreWrite({
    tenantId,
    snapshot: lead,
    before: previous,
    model: WEIGHTED_SUM_CHOICE,
    config: {
      version: 1,
      parameters: PARAMETERS,
      thresholds: { hot: 70, warm: 40 },
    },
    reason: ScoreChangeReason.INTERACTION,
    now,
  });
}

describe('the attributes copy a score keeps', () => {
  it('is carried over by an engagement write of the same attributes (same stamp)', () => {
    const { doc } = write(snapshot({ attributesStamp: 'stamp-1' }), before());
    expect(doc.attributes).toEqual({ size: 37 });
    expect(doc.attributesStamp).toBe('stamp-1');
  });

  it('is dropped, not carried over, when the lead has newer attributes (another stamp)', () => {
    expect(copiedAttributes(snapshot({ attributesStamp: 'stamp-2' }), before())).toBeUndefined();
    const { doc } = write(snapshot({ attributesStamp: 'stamp-2' }), before());
    expect(doc.attributes).toBeUndefined();
    expect(doc.attributesStamp).toBeUndefined();
  });

  it('is replaced by the attributes the snapshot read, with their stamp', () => {
    const { doc } = write(
      snapshot({ attributes: { size: 99 }, attributesStamp: 'stamp-2' }),
      before(),
    );
    expect(doc.attributes).toEqual({ size: 99 });
    expect(doc.attributesStamp).toBe('stamp-2');
  });

  it('of leads written before stamps (neither has one) is carried over', () => {
    const { doc } = write(snapshot(), before({ attributesStamp: undefined }));
    expect(doc.attributes).toEqual({ size: 37 });
    expect(doc.attributesStamp).toBeUndefined();
  });

  it('is absent when nothing knows the attributes', () => {
    const { doc } = write(snapshot(), undefined);
    expect(doc.attributes).toBeUndefined();
  });
});

describe('the conditional write filter', () => {
  // With the tenant the repository adds, the filter names exactly the guard index's fields:
  // mongo-java-server serves a filter from an index only then (else it scans every score).
  const guardFields = Object.keys(SCORE_WRITE_GUARD_INDEX).sort();

  it('of a first score names the guard index fields: this version, no override', () => {
    const { filter } = write(snapshot(), undefined);
    expect(Object.keys({ ...filter, tenantId }).sort()).toEqual(guardFields);
    expect(filter).toEqual({ _id: leadRef, leadVersion: 3, 'override.setAt': null });
  });

  it('of a rescore names the same fields: the version and override read before', () => {
    const setAt = new Date('2026-12-02T00:00:00Z');
    const overridden = before({
      override: { score: 90, reason: 'met them', setAt, setBy: 'u-1', expiresAt: null },
    });
    const { filter } = write(snapshot(), overridden);
    expect(Object.keys({ ...filter, tenantId }).sort()).toEqual(guardFields);
    expect(filter).toEqual({ _id: leadRef, leadVersion: 2, 'override.setAt': setAt });
    expect(write(snapshot(), before()).filter['override.setAt']).toBeNull();
  });
});

describe('scoreFieldsUpdate (a rescoring of stored scores, in place)', () => {
  /** What the score keeps of its lead: a rescoring from the score's own copy leaves it as it is. */
  const LEAD_FIELDS = [
    'leadRef',
    'leadId',
    'name',
    'email',
    'ownerId',
    'status',
    'searchText',
    'emailOpens',
    'websiteVisits',
    'timeSpentSeconds',
    'lastActivityAt',
    'leadVersion',
    'attributes',
    'attributesStamp',
  ];

  it('sets every score-owned field of the write and none of the lead copy', () => {
    const { doc } = write(snapshot({ attributesStamp: 'stamp-1' }), before());
    const update = scoreFieldsUpdate(doc);

    expect(update.$set).toEqual({
      score: doc.score,
      tier: doc.tier,
      modelScore: doc.modelScore,
      modelTier: doc.modelTier,
      trendPoints: doc.trendPoints,
      breakdown: doc.breakdown,
      configVersion: 1,
      modelId: 'weighted-sum',
      modelVersion: doc.modelVersion,
      computedAt: now,
      historyCount: doc.historyCount,
    });
    // What the write does not have is removed, as a whole replacement would leave it.
    expect(update.$unset).toEqual({ override: '', shadow: '' });
  });

  it('unsets an override that lapsed', () => {
    const lapsed = before({
      override: {
        score: 90,
        reason: 'met them',
        setAt: new Date('2026-11-01T00:00:00Z'),
        setBy: 'u-1',
        expiresAt: new Date('2026-11-02T00:00:00Z'),
      },
    });
    const { doc } = write(snapshot(), lapsed);

    expect(doc.override).toBeUndefined();
    expect(scoreFieldsUpdate(doc).$unset).toMatchObject({ override: '' });
  });

  it("covers every field of a write: each one is the score's own or the lead's copy", () => {
    const { doc } = write(snapshot({ attributes: { size: 1 }, attributesStamp: 's' }), before());
    const owned = new Set<string>(SCORE_OWNED_FIELDS);
    const unaccounted = Object.keys(doc).filter(
      (field) => !owned.has(field) && !LEAD_FIELDS.includes(field),
    );

    expect(unaccounted).toEqual([]);
    expect(LEAD_FIELDS.filter((field) => owned.has(field))).toEqual([]);
  });
});

describe('keepsLeadCopy (whether a rescoring may update in place)', () => {
  it('is true for a rescoring from the stored copy itself', () => {
    const stored = before({ leadVersion: 3, attributesStamp: 'stamp-1' });
    const { doc } = write(snapshot({ attributesStamp: 'stamp-1' }), stored);
    expect(keepsLeadCopy(stored, doc)).toBe(true);
  });

  it('is false when the write brings an attributes copy the stored score lacks', () => {
    const stored = before({ leadVersion: 3, attributes: undefined, attributesStamp: undefined });
    const { doc } = write(
      snapshot({ attributes: { size: 5 }, attributesStamp: 'stamp-2' }),
      stored,
    );
    expect(keepsLeadCopy(stored, doc)).toBe(false);
  });

  it('is false for another lead version or another attributes stamp', () => {
    const stored = before({ leadVersion: 3, attributesStamp: 'stamp-1' });
    expect(
      keepsLeadCopy(
        stored,
        write(snapshot({ version: 4, attributesStamp: 'stamp-1' }), stored).doc,
      ),
    ).toBe(false);
    expect(
      keepsLeadCopy(
        stored,
        write(snapshot({ attributes: { size: 37 }, attributesStamp: 'stamp-9' }), stored).doc,
      ),
    ).toBe(false);
  });
});
