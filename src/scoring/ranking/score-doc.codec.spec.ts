import { Types } from 'mongoose';

import {
  LEAD_DETAIL_FIELDS,
  LEAD_ROW_FIELDS,
  toLeadModel,
  toLeadRowModel,
} from '@/leads/lead-view.mapper';
import type { LeadModel } from '@/leads/models/lead.model';

import { LeadScoreSchema } from '../schemas/lead-score.schema';
import type { LeadScore, TrainedScoreExplanation } from '../schemas/lead-score.schema';
import { PriorityTier } from '../scorer/priority-tier.util';
import {
  decodeScoreDoc,
  encodeScoreDoc,
  readScoreDocOrdering,
  SCORE_DOC_FORMAT,
  SCORE_ROW_PROJECTION,
  ScoreRow,
} from './score-doc.codec';

const NOW = new Date('2026-11-22T12:00:00.000Z');

function makeDoc(overrides: Partial<LeadScore> = {}): LeadScore {
  const ref = new Types.ObjectId();
  return {
    _id: ref,
    tenantId: new Types.ObjectId(),
    leadRef: ref,
    leadId: 'L-1',
    name: 'Ada',
    email: 'ada@example.test',
    ownerId: 'rep-1',
    status: 'NEW',
    searchText: 'l-1 ada ada@example.test',
    emailOpens: 3,
    websiteVisits: 2,
    timeSpentSeconds: 120,
    lastActivityAt: new Date('2026-11-20T10:00:00.123Z'),
    score: 42.17,
    tier: PriorityTier.WARM,
    modelScore: 42.17,
    modelTier: PriorityTier.WARM,
    trendPoints: [
      { at: Date.parse('2026-11-21T06:00:00.000Z'), score: 40.5 },
      { at: Date.parse('2026-11-22T06:00:00.000Z'), score: 42.17 },
    ],
    breakdown: {
      rawScore: 45.5,
      decayFactor: 0.9270325912,
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
        {
          feature: 'websiteVisits',
          value: 2,
          cap: 20,
          normalized: 0.1,
          weight: 0.35,
          contribution: 3.5,
        },
        {
          feature: 'timeSpent',
          value: 120,
          cap: 600,
          normalized: 0.2,
          weight: 0.25,
          contribution: 26.67,
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

const FEATURES = ['age', 'job', 'marital', 'education', 'balance', 'housing', 'loan', 'contact'];

function trainedExplanation(method?: string): TrainedScoreExplanation {
  return {
    type: 'GRADIENT_BOOSTING',
    base: -2.1972245773362196,
    logit: -0.8754687373538999,
    ...(method !== undefined ? { method } : {}),
    factors: [...FEATURES, ...FEATURES.slice(0, 7).map((f) => `${f}_2`)].map((feature, i) => ({
      feature,
      value: i === 3 ? null : i % 2 === 0 ? String(30 + i) : `value ${i}`,
      contribution: (i % 2 === 0 ? 1 : -1) * 0.1 * (i + 0.123456789),
    })),
  };
}

function makeTrainedDoc(overrides: Partial<LeadScore> = {}): LeadScore {
  const base = makeDoc();
  return makeDoc({
    modelId: 'gbm-7f3a',
    modelVersion: 4,
    score: 88,
    tier: PriorityTier.HOT,
    modelScore: 29.42,
    modelTier: PriorityTier.COLD,
    attributesStamp: new Types.ObjectId().toHexString(),
    override: {
      score: 88,
      reason: 'Met at the fair, "budget" confirmed',
      setBy: 'user-7',
      setAt: new Date('2026-11-21T09:30:00.000Z'),
      expiresAt: new Date('2026-12-21T09:30:00.000Z'),
    },
    breakdown: { ...base.breakdown, terms: [], model: trainedExplanation('TREE_SHAP') },
    ...overrides,
  });
}

/** What the codec before format 1 wrote: the doc as a keyed object, less attributes and shadow. */
function encodeKeyed(doc: LeadScore): string {
  const { attributes: _attributes, shadow: _shadow, ...kept } = doc;
  return JSON.stringify(kept);
}

/** What a row keeps of a stored score (see the codec's comment). */
function rowOf(doc: LeadScore): ScoreRow {
  const row: ScoreRow = {
    _id: doc.leadRef,
    tenantId: doc.tenantId,
    leadRef: doc.leadRef,
    leadId: doc.leadId,
    name: doc.name,
    email: doc.email,
    ownerId: doc.ownerId,
    status: doc.status,
    emailOpens: doc.emailOpens,
    websiteVisits: doc.websiteVisits,
    timeSpentSeconds: doc.timeSpentSeconds,
    lastActivityAt: doc.lastActivityAt,
    score: doc.score,
    tier: doc.tier,
    leadVersion: doc.leadVersion,
    computedAt: doc.computedAt,
  };
  // The model's score and tier are kept when they differ from those shown (absent: the same).
  if (doc.modelScore !== undefined && doc.modelScore !== doc.score) row.modelScore = doc.modelScore;
  if (doc.modelTier !== undefined && doc.modelTier !== doc.tier) row.modelTier = doc.modelTier;
  if (doc.override) row.override = { expiresAt: doc.override.expiresAt };
  return row;
}

function roundTrip(doc: LeadScore): ScoreRow | null {
  return decodeScoreDoc(encodeScoreDoc(doc), doc.tenantId, doc.leadRef.toHexString());
}

/** A lead view without the fields only the whole score gives (a page of rows never reads them). */
function withoutDetail(view: LeadModel): Partial<LeadModel> {
  const { override: _o, trend: _t, breakdown: _b, ...rest } = view;
  return rest;
}

describe('score doc codec', () => {
  it('knows every field a stored score has: a new one must be kept in the row or left out on purpose', () => {
    const kept = [
      '_id',
      'tenantId',
      'leadRef',
      'leadId',
      'name',
      'email',
      'ownerId',
      'status',
      'emailOpens',
      'websiteVisits',
      'timeSpentSeconds',
      'lastActivityAt',
      'score',
      'tier',
      'modelScore',
      'modelTier',
      'override', // its expiry only
      'computedAt',
      'leadVersion',
    ];
    // What a row does not show (read from MongoDB when a page asks for it), or no page reads.
    const leftOut = [
      'searchText',
      'attributes',
      'shadow',
      'attributesStamp',
      'trendPoints',
      'breakdown',
      'configVersion',
      'modelId',
      'modelVersion',
      'historyCount',
      'writeId', // the write guard's token
    ];
    const fields = Object.keys(LeadScoreSchema.paths).filter((path) => path !== '__v');
    expect(fields.sort()).toEqual([...kept, ...leftOut].sort());
  });

  it('lists as row fields exactly the lead view fields a row can give', () => {
    const view = toLeadModel(makeTrainedDoc(), { stale: false, now: NOW });
    expect([...LEAD_ROW_FIELDS, ...LEAD_DETAIL_FIELDS].sort()).toEqual(Object.keys(view).sort());
  });

  it('round-trips the row of a weighted-sum score, ids as ObjectIds and dates as Dates', () => {
    const doc = makeDoc({ attributes: { industry: 'retail' } });
    const decoded = roundTrip(doc);
    expect(decoded).toStrictEqual(rowOf(doc));
    expect(decoded?.leadRef).toBeInstanceOf(Types.ObjectId);
    expect(decoded?._id).toBe(decoded?.leadRef);
    expect(decoded?.tenantId).toBe(doc.tenantId);
    expect(decoded?.computedAt).toBeInstanceOf(Date);
    expect(decoded?.lastActivityAt).toBeInstanceOf(Date);
  });

  it('writes a versioned positional array of the same small size whatever the model', () => {
    const weighted = encodeScoreDoc(makeDoc());
    const trained = encodeScoreDoc(makeTrainedDoc());
    expect(weighted.startsWith(`[${SCORE_DOC_FORMAT},"`)).toBe(true);
    expect(weighted).not.toContain('emailOpens');
    // Neither the tenant nor the lead ref (the key and the field say them), nor the model's score
    // when it is the one shown.
    expect(weighted).not.toContain(makeDoc().tenantId.toHexString());
    expect(weighted.split('42.17')).toHaveLength(2);
    expect(weighted.length).toBeLessThan(110);
    // The breakdown and its explanation stay in MongoDB.
    expect(trained).not.toContain('TREE_SHAP');
    expect(trained).not.toContain('fair');
    expect(weighted.length).toBeLessThan(encodeKeyed(makeDoc()).length / 4);
    expect(trained.length).toBeLessThan(weighted.length + 30);
    expect(trained.length).toBeLessThan(140);
  });

  it("round-trips a trained model's row, and an override's expiry with and without one", () => {
    const until = makeTrainedDoc({
      shadow: { modelId: 's', modelVersion: 1, score: 1, probability: 0 },
    });
    const decoded = roundTrip(until);
    expect(decoded).toStrictEqual(rowOf(until));
    expect(decoded?.override).toStrictEqual({ expiresAt: until.override!.expiresAt });
    expect(decoded?.override?.expiresAt).toBeInstanceOf(Date);
    expect(decoded?.modelScore).toBe(29.42);
    expect(decoded?.modelTier).toBe(PriorityTier.COLD);
    const open = makeTrainedDoc({ override: { ...until.override!, expiresAt: null } });
    expect(roundTrip(open)).toStrictEqual(rowOf(open));
    expect(roundTrip(open)?.override).toStrictEqual({ expiresAt: null });
  });

  it('writes the ordering part after a newline, whatever the name and the owner hold', () => {
    const doc = makeDoc({ name: 'Ada | "Lovelace"\nthe first', ownerId: 'rep|1' });
    const text = encodeScoreDoc(doc);
    const [row, meta, ...rest] = text.split('\n');
    expect(rest).toEqual([]);
    expect(JSON.parse(row)).toEqual(expect.arrayContaining(['Ada | "Lovelace"\nthe first']));
    const active = doc.lastActivityAt!.getTime().toString(36);
    expect(meta).toBe(`3:${doc.computedAt.getTime().toString(36)}|rep|1|42.17|${active}`);
    expect(roundTrip(doc)).toStrictEqual(rowOf(doc));
  });

  it('writes a score of 0 as "0" (never "-0"), never active as nothing, and reads them back', () => {
    const doc = makeDoc({ score: 0, modelScore: 0, lastActivityAt: null });
    expect(encodeScoreDoc(doc).endsWith('|rep-1|0|')).toBe(true);
    expect(Object.is(roundTrip(doc)!.score, 0)).toBe(true);
    expect(roundTrip(doc)!.lastActivityAt).toBeNull();
    // Before 1970: a negative time in base 36.
    const old = makeDoc({ lastActivityAt: new Date(-86_400_123) });
    expect(encodeScoreDoc(old).endsWith(`|${(-86_400_123).toString(36)}`)).toBe(true);
    expect(roundTrip(old)!.lastActivityAt).toEqual(new Date(-86_400_123));
  });

  it("keeps the model's score and tier only where they differ from those shown", () => {
    const same = roundTrip(makeDoc())!;
    expect(same).not.toHaveProperty('modelScore');
    expect(same).not.toHaveProperty('modelTier');
    const differs = roundTrip(makeDoc({ modelScore: 40, modelTier: PriorityTier.WARM }))!;
    expect([differs.modelScore, differs.modelTier]).toEqual([40, undefined]);
  });

  it('keeps nulls as nulls: never active, no owner, no email, no name', () => {
    const doc = makeDoc({ lastActivityAt: null, ownerId: null, email: null, name: null });
    const decoded = roundTrip(doc)!;
    expect(decoded).toStrictEqual(rowOf(doc));
    expect(decoded.lastActivityAt).toBeNull();
    expect(decoded.ownerId).toBeNull();
    expect(decoded.email).toBeNull();
  });

  it('leaves absent fields absent: no model score, no override', () => {
    const { modelScore: _s, modelTier: _m, ...doc } = makeDoc();
    const text = encodeScoreDoc(doc);
    const decoded = decodeScoreDoc(text, doc.tenantId, doc.leadRef.toHexString());
    expect(decoded).toStrictEqual(rowOf(doc));
    for (const key of ['modelScore', 'modelTier', 'override'])
      expect(decoded).not.toHaveProperty(key);
    // Trailing absent fields take no room: the row ends with the tier.
    expect(text.split('\n')[0].endsWith(',"WARM"]')).toBe(true);
  });

  it('takes the lead ref as its 12 bytes as well as hex (the refs of a page), copying them', () => {
    const doc = makeDoc();
    const text = encodeScoreDoc(doc);
    const bytes = Buffer.from(doc.leadRef.id);
    const decoded = decodeScoreDoc(text, doc.tenantId, bytes)!;
    expect(decoded).toStrictEqual(rowOf(doc));
    // The reply's buffer may be reused: the row's ObjectId must not share its memory.
    bytes.fill(0);
    expect(decoded.leadRef.toHexString()).toBe(doc.leadRef.toHexString());
  });

  it('refuses docs of another format (formats 1 and 2, keyed objects, no ordering part)', () => {
    const doc = makeDoc();
    const ref = doc.leadRef.toHexString();
    const text = encodeScoreDoc(doc);
    expect(decodeScoreDoc(text, doc.tenantId, ref)).not.toBeNull();
    expect(decodeScoreDoc(encodeKeyed(doc), doc.tenantId, ref)).toBeNull();
    for (const format of [1, 2, 4])
      expect(decodeScoreDoc(text.replace(/^\[3,/, `[${format},`), doc.tenantId, ref)).toBeNull();
    expect(decodeScoreDoc(text.split('\n')[0], doc.tenantId, ref)).toBeNull();
    // Format 2's version part: "leadVersion:computedAt|owner".
    const two = `${text.split('\n')[0]}\n3:${doc.computedAt.getTime()}|rep-1`;
    expect(decodeScoreDoc(two.replace(/^\[3,/, '[2,'), doc.tenantId, ref)).toBeNull();
    expect(decodeScoreDoc(two, doc.tenantId, ref)).toBeNull();
  });

  it('refuses a score that is not a finite number, and a last activity that is a sign alone', () => {
    const doc = makeDoc();
    const ref = doc.leadRef.toHexString();
    const [row, ordering] = encodeScoreDoc(doc).split('\n');
    const parts = ordering.split('|'); // version:computedAt, owner, score, last activity
    const withPart = (index: number, value: string) =>
      `${row}\n${parts.map((part, i) => (i === index ? value : part)).join('|')}`;
    expect(readScoreDocOrdering(withPart(2, parts[2]))).not.toBeNull();

    for (const bad of [
      ...['', 'five', 'NaN', 'Infinity', '-Infinity'].map((score) => withPart(2, score)),
      withPart(3, '-'),
    ]) {
      expect(readScoreDocOrdering(bad)).toBeNull();
      expect(decodeScoreDoc(bad, doc.tenantId, ref)).toBeNull();
    }
    // Before 1970: a sign and digits.
    expect(readScoreDocOrdering(withPart(3, '-1z'))?.lastActivityAt).toBe(-parseInt('1z', 36));
  });

  it('gives generated scores the row view the whole score gives, but for its detail fields', () => {
    const random = mulberry32(16);
    for (let n = 0; n < 300; n++) {
      const doc = generateDoc(random);
      const decoded = roundTrip(doc)!;
      expect(decoded).toStrictEqual(rowOf(doc));
      const row = toLeadRowModel(decoded, { stale: n % 2 === 0, now: NOW });
      expect({ ...row }).toStrictEqual(
        withoutDetail(toLeadModel(doc, { stale: n % 2 === 0, now: NOW })),
      );
    }
  });

  it('encodes the same row from a score read with SCORE_ROW_PROJECTION as from the whole score', () => {
    /** What MongoDB answers with the projection: its fields, `override` reduced to its expiry. */
    const project = (doc: LeadScore): ScoreRow => {
      const read: Record<string, unknown> = {};
      for (const path of Object.keys(SCORE_ROW_PROJECTION)) {
        const [field, sub] = path.split('.');
        const value = (doc as unknown as Record<string, unknown>)[field];
        if (value === undefined) continue;
        read[field] = sub ? { [sub]: (value as Record<string, unknown>)[sub] } : value;
      }
      return read as unknown as ScoreRow;
    };
    const random = mulberry32(7);
    for (let n = 0; n < 200; n++) {
      const doc = generateDoc(random);
      expect(encodeScoreDoc(project(doc))).toBe(encodeScoreDoc(doc));
    }
  });

  it('encodes a score write (no _id, no tenantId yet) as the stored score', () => {
    const doc = makeTrainedDoc();
    const { _id: _unused, tenantId: _tenant, ...write } = doc;
    expect(encodeScoreDoc(write)).toBe(encodeScoreDoc(doc));
  });

  it('a row view refuses to make up the fields it does not have', () => {
    const row = toLeadRowModel(roundTrip(makeTrainedDoc())!, { stale: false, now: NOW });
    expect(row.score).toBe(88);
    for (const field of LEAD_DETAIL_FIELDS)
      expect(() => row[field]).toThrow(`${field} is not read for a page of rows`);
  });

  it('a row view shows the model score once an override has lapsed, as the whole view does', () => {
    const lapsed = makeTrainedDoc({
      override: { ...makeTrainedDoc().override!, expiresAt: new Date(NOW.getTime() - 1) },
    });
    const row = toLeadRowModel(roundTrip(lapsed)!, { stale: false, now: NOW });
    expect([row.score, row.tier]).toEqual([29.42, PriorityTier.COLD]);
    const whole = toLeadModel(lapsed, { stale: false, now: NOW });
    expect([whole.score, whole.tier]).toEqual([29.42, PriorityTier.COLD]);
  });
});

/** A small seeded generator (mulberry32): the same 300 scores every run. */
function mulberry32(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function generateDoc(random: () => number): LeadScore {
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)];
  const chance = (p: number): boolean => random() < p;
  const text = (): string =>
    pick([
      'Ada',
      'Zoë "Z" Ørsted',
      '李雷',
      '',
      'a\\b\nc',
      'Émile 🚀',
      `L-${Math.floor(random() * 1e6)}`,
    ]);
  const num = (): number =>
    pick([0, 1, -1, 0.1 + 0.2, 1e-7, 123456789.123, Number.MAX_SAFE_INTEGER, -0.5]) * random();
  const date = (): Date => new Date(Date.UTC(2026, 0, 1) + Math.floor(random() * 3e10));
  const ref = new Types.ObjectId();
  const explained: TrainedScoreExplanation | undefined = chance(0.5)
    ? {
        type: pick(['GRADIENT_BOOSTING', 'LOGISTIC_REGRESSION']),
        base: num(),
        logit: num(),
        ...(chance(0.5) ? { method: pick(['TREE_SHAP', 'SAABAS']) } : {}),
        factors: Array.from({ length: Math.floor(random() * 20) }, () => ({
          feature: text(),
          value: chance(0.2) ? null : text(),
          contribution: num(),
        })),
      }
    : undefined;
  const tier = (): PriorityTier => pick([PriorityTier.HOT, PriorityTier.WARM, PriorityTier.COLD]);
  const score = Math.round(random() * 10000) / 100;
  return {
    _id: ref,
    tenantId: new Types.ObjectId(),
    leadRef: ref,
    leadId: text(),
    name: chance(0.3) ? null : text(),
    email: chance(0.3) ? null : text(),
    // An owner is a user id (never empty: the index reads an empty owner as none).
    ownerId: chance(0.4) ? null : `rep-${text()}`,
    status: pick(['NEW', 'CONTACTED', 'QUALIFIED']),
    searchText: text(),
    emailOpens: Math.floor(random() * 50),
    websiteVisits: Math.floor(random() * 50),
    timeSpentSeconds: Math.floor(random() * 5000),
    lastActivityAt: chance(0.2) ? null : date(),
    ...(chance(0.3) ? { attributes: { industry: text() } } : {}),
    ...(chance(0.3) ? { attributesStamp: new Types.ObjectId().toHexString() } : {}),
    score,
    tier: tier(),
    ...(chance(0.8) ? { modelScore: num(), modelTier: tier() } : {}),
    ...(chance(0.3)
      ? {
          override: {
            score,
            reason: text(),
            setBy: text(),
            setAt: date(),
            // Some lapsed by NOW: the page then shows the model's score.
            expiresAt: chance(0.5) ? null : date(),
          },
        }
      : {}),
    ...(chance(0.8)
      ? {
          trendPoints: Array.from({ length: Math.floor(random() * 8) }, () => ({
            at: date().getTime(),
            score: num(),
          })),
        }
      : {}),
    breakdown: {
      rawScore: num(),
      decayFactor: random(),
      daysSinceLastActivity: chance(0.2) ? null : num(),
      terms: Array.from({ length: Math.floor(random() * 5) }, () => ({
        feature: text(),
        value: num(),
        cap: num(),
        normalized: random(),
        weight: random(),
        contribution: num(),
      })),
      ...(explained ? { model: explained } : {}),
    },
    leadVersion: Math.floor(random() * 100),
    configVersion: Math.floor(random() * 10),
    modelId: text(),
    modelVersion: Math.floor(random() * 10),
    computedAt: date(),
    historyCount: Math.floor(random() * 100),
  };
}
