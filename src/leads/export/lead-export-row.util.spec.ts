import { parse } from 'csv-parse/sync';

import type { LeadModel } from '@/leads/models/lead.model';
import { PriorityTier } from '@/scoring/scorer/priority-tier.util';
import { ScoreTrend } from '@/scoring/trend/score-trend.util';

import {
  chooseFormat,
  csvChunk,
  CSV_COLUMNS,
  exportFileName,
  signed,
  toCsvRow,
  toExportRecord,
  toNdjsonLine,
  topFactorsText,
} from './lead-export-row.util';

function makeView(overrides: Partial<LeadModel> = {}): LeadModel {
  return {
    id: '65f1c0ffee0123456789abcd',
    leadId: 'CRM-1',
    name: 'Ada Lovelace',
    email: 'ada@example.com',
    ownerId: '65f1c0ffee0123456789abce',
    status: 'WORKING',
    score: 47.5,
    tier: PriorityTier.WARM,
    modelScore: 47.5,
    override: null,
    trend: ScoreTrend.STEADY,
    isStale: false,
    breakdown: {
      modelType: 'WEIGHTED_SUM',
      baseValue: null,
      logit: null,
      explanationMethod: null,
      factors: [],
      rawScore: 0.5,
      decayFactor: 0.95,
      daysSinceLastActivity: 0.5,
      terms: [
        {
          feature: 'emailOpens',
          value: 3,
          cap: 10,
          normalized: 0.3,
          weight: 0.4,
          contribution: 11.4,
        },
        {
          feature: 'websiteVisits',
          value: 10,
          cap: 20,
          normalized: 0.5,
          weight: 0.35,
          contribution: 16.63,
        },
        {
          feature: 'timeSpent',
          value: 480,
          cap: 600,
          normalized: 0.8,
          weight: 0.25,
          contribution: 19.47,
        },
      ],
      modelId: 'weighted-sum',
      modelVersion: 1,
      configVersion: 2,
      computedAt: new Date('2026-12-03T10:00:00Z'),
    },
    engagement: {
      emailOpens: 3,
      websiteVisits: 10,
      timeSpentSeconds: 480,
      lastActivityAt: new Date('2026-12-02T22:00:00Z'),
    },
    attributes: null,
    createdAt: null,
    ...overrides,
  };
}

function trainedView(): LeadModel {
  const view = makeView();
  return makeView({
    score: 81,
    tier: PriorityTier.HOT,
    breakdown: {
      ...view.breakdown,
      modelType: 'LOGISTIC_REGRESSION',
      baseValue: -1.2,
      logit: 1.45,
      terms: [],
      factors: [
        { feature: 'segment', value: 'A', contribution: 0.9 },
        { feature: 'size', value: '40', contribution: 0.35 },
        { feature: 'region', value: null, contribution: -1.6 },
        { feature: 'age', value: '33', contribution: 0.01 },
      ],
      modelId: 'm-7',
      modelVersion: 7,
    },
  });
}

describe('toExportRecord', () => {
  it('takes the lead view’s fields, with dates as ISO text and the terms largest first', () => {
    const sut = toExportRecord(makeView());
    expect(sut).toEqual({
      modelScore: 47.5,
      override: null,
      trend: 'STEADY',
      id: '65f1c0ffee0123456789abcd',
      leadId: 'CRM-1',
      name: 'Ada Lovelace',
      email: 'ada@example.com',
      ownerId: '65f1c0ffee0123456789abce',
      status: 'WORKING',
      score: 47.5,
      tier: 'WARM',
      modelType: 'WEIGHTED_SUM',
      modelId: 'weighted-sum',
      modelVersion: 1,
      configVersion: 2,
      scoredAt: '2026-12-03T10:00:00.000Z',
      stale: false,
      lastActivityAt: '2026-12-02T22:00:00.000Z',
      factorUnit: 'points',
      factors: [
        { feature: 'timeSpent', value: 480, contribution: 19.47 },
        { feature: 'websiteVisits', value: 10, contribution: 16.63 },
        { feature: 'emailOpens', value: 3, contribution: 11.4 },
      ],
    });
  });

  it('ranks a trained model’s factors by absolute contribution, in logit units', () => {
    const sut = toExportRecord(trainedView());
    expect(sut.factorUnit).toBe('logit');
    expect(sut.factors.map((f) => f.feature)).toEqual(['region', 'segment', 'size', 'age']);
    expect(topFactorsText(sut.factors)).toBe('region:-1.6; segment:+0.9; size:+0.35');
  });

  it('carries trend, modelScore and override from the view: objects as JSON in CSV', () => {
    const plain = toExportRecord(makeView());
    expect(plain).toMatchObject({ trend: 'STEADY', modelScore: 47.5, override: null });
    expect(toCsvRow(plain).slice(-3)).toEqual(['STEADY', 47.5, null]);
    const sut = toExportRecord(
      makeView({
        score: 90,
        trend: ScoreTrend.IMPROVING,
        override: {
          score: 90,
          reason: 'called back',
          setBy: 'u1',
          setAt: new Date('2026-12-01T00:00:00Z'),
          expiresAt: null,
        },
      }),
    );
    expect(sut).toMatchObject({ score: 90, modelScore: 47.5, trend: 'IMPROVING' });
    expect(toCsvRow(sut).slice(-3)).toEqual([
      'IMPROVING',
      47.5,
      '{"score":90,"reason":"called back","setBy":"u1","setAt":"2026-12-01T00:00:00.000Z","expiresAt":null}',
    ]);
  });

  it('leaves out a view field that is absent (views before trend and override)', () => {
    const { trend: _trend, ...older } = makeView();
    const sut = toExportRecord(older as LeadModel);
    expect('trend' in sut).toBe(false);
    expect(toCsvRow(sut)[CSV_COLUMNS.indexOf('trend')]).toBeNull();
  });

  it('leaves a lead never active without a last activity', () => {
    const view = makeView();
    const sut = toExportRecord(
      makeView({ engagement: { ...view.engagement, lastActivityAt: null } }),
    );
    expect(sut.lastActivityAt).toBeNull();
  });
});

describe('toCsvRow and the CSV text', () => {
  it('gives one cell per column, empty for nulls, factors as feature:+contribution', () => {
    const row = toCsvRow(toExportRecord(makeView({ name: null })));
    expect(row).toHaveLength(CSV_COLUMNS.length);
    const cells = Object.fromEntries(CSV_COLUMNS.map((column, i) => [column, row[i]]));
    expect(cells).toMatchObject({
      name: null,
      stale: 'false',
      score: 47.5,
      topFactors: 'timeSpent:+19.47; websiteVisits:+16.63; emailOpens:+11.4',
      trend: 'STEADY',
    });
  });

  it('quotes per RFC 4180 and reads back to the same values', () => {
    const name = 'Doe, "Jim"\r\nJunior';
    const text = csvChunk([toExportRecord(makeView({ name }))], true);
    expect(text.startsWith(`${CSV_COLUMNS.join(',')}\r\n`)).toBe(true);
    expect(text).toContain('"Doe, ""Jim""\r\nJunior"');
    expect(text.endsWith('\r\n')).toBe(true);
    const [parsed] = parse<Record<string, string>>(text, { columns: true });
    expect(parsed.name).toBe(name);
    expect(parsed.score).toBe('47.5');
  });

  it.each(['line\nbreak', 'carriage\rreturn', 'both\r\nends'])(
    'quotes a cell holding %j (a lone CR or LF too) and reads it back whole',
    (name) => {
      const text = csvChunk([toExportRecord(makeView({ name }))], false);
      expect(text).toContain(`"${name}"`);
      const [parsed] = parse<Record<string, string>>(text, { columns: [...CSV_COLUMNS] });
      expect(parsed.name).toBe(name);
    },
  );

  it.each([
    ['=1+2', "'=1+2"],
    ['+1 212', "'+1 212"],
    ['-2+3', "'-2+3"],
    ['@SUM(A1)', "'@SUM(A1)"],
    ['\tcmd', "'\tcmd"],
    ['\rcmd', "'\rcmd"],
    ['plain = text', 'plain = text'],
  ])('neutralises a cell starting %j as a formula', (name, expected) => {
    const text = csvChunk([toExportRecord(makeView({ name }))], false);
    const [parsed] = parse<Record<string, string>>(text, { columns: [...CSV_COLUMNS] });
    expect(parsed.name).toBe(expected);
  });

  it('neutralises a factor named like a formula, but not a negative number', () => {
    const view = trainedView();
    const text = csvChunk(
      [
        toExportRecord(
          makeView({
            breakdown: {
              ...view.breakdown,
              factors: [{ feature: '=cmd|x', value: null, contribution: 2 }],
            },
          }),
        ),
      ],
      false,
    );
    const [parsed] = parse<Record<string, string>>(text, { columns: [...CSV_COLUMNS] });
    expect(parsed.topFactors).toBe("'=cmd|x:+2");
  });

  it('writes the header alone for no leads', () => {
    expect(csvChunk([], true)).toBe(`${CSV_COLUMNS.join(',')}\r\n`);
    expect(csvChunk([], false)).toBe('');
  });
});

describe('toNdjsonLine', () => {
  it('is one JSON object and a newline, names unaltered', () => {
    const line = toNdjsonLine(toExportRecord(makeView({ name: '=1+2\nx' })));
    expect(line.endsWith('\n')).toBe(true);
    expect(line.slice(0, -1)).not.toContain('\n');
    expect(JSON.parse(line)).toMatchObject({ name: '=1+2\nx', factors: expect.any(Array) });
  });
});

describe('signed', () => {
  it.each([
    [12.345678, '+12.3457'],
    [0, '+0'],
    [-0.5, '-0.5'],
  ])('%p → %p', (value, expected) => expect(signed(value)).toBe(expected));
});

describe('chooseFormat', () => {
  it.each([
    ['ndjson', undefined, 'ndjson'],
    ['csv', 'application/x-ndjson', 'csv'],
    [undefined, 'application/x-ndjson', 'ndjson'],
    [undefined, 'application/ndjson', 'ndjson'],
    [undefined, 'text/csv', 'csv'],
    [undefined, 'text/csv;q=0.5, application/x-ndjson', 'ndjson'],
    [undefined, 'application/x-ndjson;q=0, text/csv', 'csv'],
    [undefined, '*/*', 'csv'],
    [undefined, undefined, 'csv'],
  ] as const)('format %p, Accept %p → %p', (format, accept, expected) =>
    expect(chooseFormat(format, accept)).toBe(expected),
  );
});

describe('exportFileName', () => {
  it('names the tenant and the UTC date', () => {
    expect(exportFileName('t1', new Date('2026-12-03T23:30:00-05:00'), 'csv')).toBe(
      'lead-scores-t1-2026-12-04.csv',
    );
  });
});
