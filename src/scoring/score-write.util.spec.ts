import { Types } from 'mongoose';

import type { LeadSnapshot } from './lead-score.types';
import { ScoreChangeReason } from './schemas/score-history.schema';
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
    writeId: new Types.ObjectId('656565656565656565656565'),
    computedAt: new Date('2026-12-02T12:00:00Z'),
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
  it("of a first score: this version, and the write's own new id, which no stored score has", () => {
    const { filter, doc } = write(snapshot(), undefined);
    expect(filter).toEqual({ _id: leadRef, leadVersion: 3, writeId: doc.writeId });
    expect(doc.writeId).toBeInstanceOf(Types.ObjectId);
  });

  it('of a rescore names the same fields: the score as read, its version and write id', () => {
    const read = before({
      override: {
        score: 90,
        reason: 'met them',
        setAt: new Date('2026-12-02T00:00:00Z'),
        setBy: 'u-1',
        expiresAt: null,
      },
    });
    const { filter, doc } = write(snapshot(), read);
    expect(filter).toEqual({ _id: leadRef, leadVersion: 2, writeId: read.writeId });
    // Every write stores a new token for the next one to compare (a write in between is seen).
    expect(doc.writeId!.equals(read.writeId)).toBe(false);
    expect(doc.computedAt).toEqual(now);
  });

  it('of a rescore of a score stored before write ids: null, which matches a missing one', () => {
    const { filter, doc } = write(snapshot(), before({ writeId: undefined }));
    expect(filter).toEqual({ _id: leadRef, leadVersion: 2, writeId: null });
    expect(doc.writeId).toBeInstanceOf(Types.ObjectId);
  });

  it('stores a time past the score it replaces, even when the clock is behind it or on it', () => {
    // Another process's clock, or a retry keeping its first time: the ranking index keeps the
    // entry of the latest time, so the new score must not look older than the one it replaced.
    for (const storedAt of [now, new Date(now.getTime() + 5_000)]) {
      const { doc } = write(snapshot(), before({ computedAt: storedAt }));
      expect(doc.computedAt).toEqual(new Date(storedAt.getTime() + 1));
    }
    expect(write(snapshot(), before()).doc.computedAt).toEqual(now);
    expect(write(snapshot(), undefined).doc.computedAt).toEqual(now);
  });

  it('gives every write its own id, however close in time', () => {
    const ids = new Set(
      Array.from({ length: 1_000 }, () => write(snapshot(), before()).doc.writeId!.toHexString()),
    );
    expect(ids.size).toBe(1_000);
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
      writeId: doc.writeId,
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

  describe('given the stored score it was computed from', () => {
    /** A deep copy, as decoding a stored document gives (structuredClone's are of another realm here). */
    const copy = (value: unknown): unknown =>
      Array.isArray(value)
        ? value.map(copy)
        : value instanceof Date
          ? new Date(value)
          : value instanceof Types.ObjectId
            ? new Types.ObjectId(value.toHexString())
            : value !== null && typeof value === 'object'
              ? Object.fromEntries(Object.entries(value).map(([key, item]) => [key, copy(item)]))
              : value;

    /**
     * The stored score as a rescoring reads it: the write's own values, some of them moved, and the
     * write id of the write that stored it (always another).
     */
    function storedAs(doc: ReturnType<typeof write>['doc'], moved: Record<string, unknown> = {}) {
      return copy({ ...doc, writeId: new Types.ObjectId(), ...moved }) as typeof doc;
    }

    it('leaves out every compared field whose stored value is equal (copies, not the same objects)', () => {
      const { doc } = write(snapshot(), before());
      const update = scoreFieldsUpdate(doc, storedAs(doc, { computedAt: new Date(0) }));

      // The breakdown is not read by a rescoring on MongoDB: always written.
      expect(update).toEqual({
        $set: { breakdown: doc.breakdown, computedAt: now, writeId: doc.writeId },
      });
    });

    it('sets a field whose value moved, nested values included', () => {
      const { doc } = write(snapshot(), before());
      const trendPoints = doc.trendPoints!.map((point) => ({ ...point, score: point.score + 1 }));
      const update = scoreFieldsUpdate(doc, storedAs(doc, { score: doc.score - 1, trendPoints }));

      expect(Object.keys(update.$set).sort()).toEqual(
        ['breakdown', 'score', 'trendPoints', 'writeId'].sort(),
      );
      expect(update.$set.trendPoints).toBe(doc.trendPoints);
    });

    it('unsets a field the write lacks only where it is stored', () => {
      const setAt = new Date('2026-11-01T00:00:00Z');
      const lapsed = {
        score: 90,
        reason: 'met them',
        setAt,
        setBy: 'u-1',
        expiresAt: new Date('2026-11-02T00:00:00Z'),
      };
      const { doc } = write(snapshot(), before({ override: lapsed }));
      expect(doc.override).toBeUndefined();

      expect(scoreFieldsUpdate(doc, storedAs(doc, { override: lapsed })).$unset).toEqual({
        override: '',
      });
      // A shadow test that ended, and a value stored as null: both there, both removed.
      const shadow = { modelId: 'm-1', modelVersion: 2, score: 40, probability: 0.4 };
      expect(scoreFieldsUpdate(doc, storedAs(doc, { shadow, override: null })).$unset).toEqual({
        shadow: '',
        override: '',
      });
      expect(scoreFieldsUpdate(doc, storedAs(doc)).$unset).toBeUndefined();
    });

    it('writes a value stored as null or of another type, which only looks equal', () => {
      const { doc } = write(snapshot(), before());
      const update = scoreFieldsUpdate(
        doc,
        storedAs(doc, { historyCount: String(doc.historyCount), configVersion: null }),
      );

      expect(update.$set).toMatchObject({
        historyCount: doc.historyCount,
        configVersion: doc.configVersion,
      });
    });
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
