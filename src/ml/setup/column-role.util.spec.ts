import { RawValue } from '../features/raw-features.util';
import {
  ColumnRole,
  copiesLabel,
  guessRole,
  looksLikeIdName,
  percent,
  summarizeValues,
} from './column-role.util';

const N = 24;
const labels = Uint8Array.from({ length: N }, (_, i) => (i % 3 === 0 ? 1 : 0));
const column = (make: (i: number) => RawValue) => Array.from({ length: N }, (_, i) => make(i));
const roleOf = (name: string, values: RawValue[], y = labels) => guessRole(name, values, y);

describe('guessRole on hand-made columns of 24 rows', () => {
  it.each<[string, string, RawValue[], ColumnRole, string]>([
    [
      'a constant',
      'country',
      column(() => 'PT'),
      ColumnRole.CONSTANT,
      'the same value ("PT") on all 24 rows',
    ],
    ['all missing', 'fax', column(() => null), ColumnRole.CONSTANT, 'missing on all 24 rows'],
    [
      'a copy of the label',
      'converted',
      column((i) => (labels[i] ? 'yes' : 'no')),
      ColumnRole.LABEL,
      'its 2 values match the label on every one of the 24 rows: a copy of the label',
    ],
    [
      'ISO dates',
      'closedAt',
      column((i) => `2026-01-${String(i + 1).padStart(2, '0')}T10:00:00.000Z`),
      ColumnRole.DATE,
      '100 % of its 24 values are ISO dates',
    ],
    [
      'unique codes',
      'email',
      column((i) => `lead${i}@example.com`),
      ColumnRole.IDENTIFIER,
      '24 distinct values on 24 of 24 rows, unique per row (text without spaces)',
    ],
    [
      'a numeric sequence',
      'rowNumber',
      column((i) => 1000 + i),
      ColumnRole.IDENTIFIER,
      '24 distinct values on 24 of 24 rows, unique per row (integers running from 1000 to 1023, a sequence)',
    ],
    [
      'sparse integers named like an id',
      'customer_id',
      column((i) => 7919 * i),
      ColumnRole.IDENTIFIER,
      '24 distinct values on 24 of 24 rows, unique per row (integers, named like an id)',
    ],
    [
      'unique sentences',
      'notes',
      column((i) => `called back on day ${i}`),
      ColumnRole.FREE_TEXT,
      'text with 24 distinct values in 24: too many (or too long) to be levels',
    ],
    ['numbers', 'age', column((i) => 20 + (i % 7)), ColumnRole.NUMERIC, 'numbers, 7 distinct'],
    // Unique, but neither dense nor named like an id: amounts, not identifiers.
    [
      'unique sparse integers',
      'revenue',
      column((i) => 7919 * i),
      ColumnRole.NUMERIC,
      'numbers, 24 distinct',
    ],
    [
      'unique decimals',
      'score',
      column((i) => i + 0.5),
      ColumnRole.NUMERIC,
      'numbers, 24 distinct',
    ],
    [
      'a few levels',
      'job',
      column((i) => ['a', 'b', 'c'][i % 3]),
      ColumnRole.CATEGORICAL,
      '3 levels in 24 values',
    ],
    ['booleans', 'optIn', column((i) => i % 2 === 0), ColumnRole.CATEGORICAL, 'true/false'],
    // One value and missing: whether it is there can tell, so not constant.
    [
      'a value or missing',
      'phone',
      column((i) => (i % 4 ? 'yes' : null)),
      ColumnRole.CATEGORICAL,
      '1 levels in 18 values',
    ],
  ])('%s → %s', (_label, name, values, role, reason) => {
    expect(roleOf(name, values)).toEqual({ role, reason });
  });

  it('needs 20 values before calling unique values an identifier', () => {
    const six = Uint8Array.from([0, 1, 0, 1, 0, 1]);
    expect(guessRole('email', ['a', 'b', 'c', 'd', 'e', 'f'], six).role).toBe(
      ColumnRole.CATEGORICAL,
    );
  });

  it('needs a value on 95 % of the rows for an identifier', () => {
    // 23 of 24 rows (95.8 %) → identifier; 22 (91.7 %) → free text.
    expect(
      roleOf(
        'code',
        column((i) => (i === 0 ? null : `c${i}`)),
      ).role,
    ).toBe(ColumnRole.IDENTIFIER);
    expect(
      roleOf(
        'code',
        column((i) => (i < 2 ? null : `c${i}`)),
      ).role,
    ).toBe(ColumnRole.FREE_TEXT);
  });

  it('reads mostly-dates text as DATE only from 95 % dates', () => {
    const mixed = column((i) => (i < 2 ? 'unknown' : `2026-02-${String(i).padStart(2, '0')}`));
    // 22 of 24 = 91.7 % dates: free text (mostly distinct), not a date.
    expect(roleOf('signedOn', mixed).role).toBe(ColumnRole.FREE_TEXT);
  });
});

describe('copiesLabel', () => {
  const y = Uint8Array.from([1, 0, 1, 0]);
  it.each<[string, RawValue[], boolean]>([
    ['the label spelled yes/no', ['yes', 'no', 'yes', 'no'], true],
    ['the label inverted', [0, 1, 0, 1], true],
    ['a missing value', ['yes', 'no', null, 'no'], false],
    ['one exception', ['yes', 'no', 'yes', 'yes'], false],
    ['three values', ['yes', 'no', 'maybe', 'no'], false],
    ['two values that do not follow the label', ['a', 'a', 'b', 'b'], false],
  ])('%s → %s', (_label, values, expected) => {
    expect(copiesLabel(values, y)).toBe(expected);
  });

  it('needs both labels: one value per class, and the classes different', () => {
    expect(copiesLabel(['a', 'b'], Uint8Array.from([1, 1]))).toBe(false);
  });
});

describe('looksLikeIdName', () => {
  it.each([
    ['id', true],
    ['lead_id', true],
    ['customer-ID', true],
    ['leadId', true],
    ['uuid', true],
    ['paid', false],
    ['idle', false],
    ['valid', false],
  ])('%s → %s', (name, expected) => {
    expect(looksLikeIdName(name)).toBe(expected);
  });
});

describe('summarizeValues', () => {
  it('counts present and distinct values, numbers, dates and spaces in one pass', () => {
    expect(summarizeValues([1, 2.5, null, 2.5, NaN])).toEqual({
      rows: 5,
      present: 3,
      distinct: 2,
      allNumbers: true,
      allIntegers: false,
      dateShare: 0,
      anyWhitespace: false,
      min: 1,
      max: 2.5,
    });
    expect(summarizeValues(['2026-01-01', 'a b', true])).toMatchObject({
      present: 3,
      allNumbers: false,
      dateShare: 1 / 3,
      anyWhitespace: true,
    });
    expect(summarizeValues([])).toMatchObject({
      allNumbers: false,
      allIntegers: false,
      dateShare: 0,
    });
  });

  it('does not count an impossible date as one', () => {
    expect(summarizeValues(['2026-13-45']).dateShare).toBe(0);
  });
});

describe('percent', () => {
  it('keeps one decimal', () => {
    expect(percent(5289 / 45211)).toBe('11.7 %');
  });
});
