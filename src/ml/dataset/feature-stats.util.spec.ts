import { RawValue } from '../features/raw-features.util';
import { tableFromRows } from './dataset-table.util';
import {
  categoryOf,
  describeFeature,
  describeTable,
  FeatureType,
  inferFeatureType,
} from './feature-stats.util';

const strings = (count: number, prefix = 'v') =>
  Array.from({ length: count }, (_, i) => `${prefix}${String(i).padStart(2, '0')}`);

describe('inferFeatureType', () => {
  it.each<[string, RawValue[], FeatureType]>([
    ['booleans (missing ignored)', [true, false, null], FeatureType.BOOLEAN],
    ['numbers (NaN is missing)', [1, 2.5, null, NaN], FeatureType.NUMERIC],
    ['nothing at all', [], FeatureType.CATEGORICAL],
    ['only missing values', [null, null], FeatureType.CATEGORICAL],
    ['a few repeated strings', ['a', 'b', 'a'], FeatureType.CATEGORICAL],
    ['numbers and booleans mixed', [true, 1], FeatureType.CATEGORICAL],
    ['strings mixed with a number', ['a', 1, true], FeatureType.CATEGORICAL],
    // 20 values, 20 distinct: 20 ≥ 20 and 20 > 20/2.
    ['20 distinct strings', strings(20), FeatureType.TEXT],
    // 19 values: too few to call free text however distinct.
    ['19 distinct strings', strings(19), FeatureType.CATEGORICAL],
    // 20 values, 10 distinct: 10 > 10 fails.
    ['20 strings, 10 distinct', [...strings(10), ...strings(10)], FeatureType.CATEGORICAL],
    // 20 values, 11 distinct: 11 > 10.
    ['20 strings, 11 distinct', [...strings(11), ...strings(9)], FeatureType.TEXT],
    // Mean length (100 + 1) / 2 = 50.5 > 50.
    ['long strings on average', ['x'.repeat(100), 'y'], FeatureType.TEXT],
    // Mean length (99 + 1) / 2 = 50, not > 50.
    ['strings of mean length 50', ['x'.repeat(99), 'y'], FeatureType.CATEGORICAL],
  ])('%s', (_label, values, type) => {
    expect(inferFeatureType(values)).toBe(type);
  });
});

describe('categoryOf', () => {
  it.each<[RawValue, string | null]>([
    ['x', 'x'],
    [' x', ' x'],
    [1.5, '1.5'],
    [-0, '0'],
    [true, 'true'],
    [false, 'false'],
    [null, null],
    [NaN, null],
  ])('%p → %p', (value, category) => {
    expect(categoryOf(value)).toBe(category);
  });
});

describe('describeFeature', () => {
  it('summarizes numbers: population std and numpy-linear quantiles', () => {
    const stats = describeFeature({ name: 'n', values: [3, null, 1, 4, 2] });
    expect(stats).toMatchObject({
      name: 'n',
      type: FeatureType.NUMERIC,
      count: 5,
      missing: 1,
      missingShare: 0.2,
      distinct: 4,
      topCategories: null,
    });
    // mean (1+2+3+4)/4 = 2.5; squared deviations 2.25 + 0.25 + 0.25 + 2.25 = 5; std √(5/4).
    const numeric = stats.numeric!;
    expect(numeric.mean).toBe(2.5);
    expect(numeric.std).toBeCloseTo(1.118033988749895, 12);
    expect(numeric.min).toBe(1);
    expect(numeric.max).toBe(4);
    // h = (n − 1)·p = 3p; value = x[⌊h⌋] + (h − ⌊h⌋)·(x[⌊h⌋+1] − x[⌊h⌋]).
    const expected = [
      [0, 1], // h 0
      [0.05, 1.15], // h 0.15
      [0.25, 1.75], // h 0.75
      [0.5, 2.5], // h 1.5
      [0.75, 3.25], // h 2.25
      [0.95, 3.85], // h 2.85
      [1, 4], // h 3
    ];
    expect(numeric.quantiles.map((q) => q.p)).toEqual(expected.map(([p]) => p));
    numeric.quantiles.forEach((q, i) => expect(q.value).toBeCloseTo(expected[i][1], 12));
  });

  it('summarizes a single value and counts repeated numbers once', () => {
    const single = describeFeature({ name: 'n', values: [5] }).numeric!;
    expect(single).toMatchObject({ mean: 5, std: 0, min: 5, max: 5 });
    expect(single.quantiles.every((q) => q.value === 5)).toBe(true);
    // [2, 2, 10]: h = 2p; p .25 → h .5 → 2; p .75 → h 1.5 → 2 + 0.5·8 = 6.
    const repeated = describeFeature({ name: 'n', values: [2, 10, 2] });
    expect(repeated.distinct).toBe(2);
    expect(repeated.numeric!.quantiles[2].value).toBe(2);
    expect(repeated.numeric!.quantiles[4].value).toBe(6);
  });

  it('ranks categories by count, then by value', () => {
    const stats = describeFeature({
      name: 'job',
      values: ['b', 'a', 'b', 'c', 'a', 'b', null, 'd', 1, 1],
    });
    expect(stats).toMatchObject({
      type: FeatureType.CATEGORICAL,
      count: 10,
      missing: 1,
      distinct: 5,
      numeric: null,
    });
    // b 3; a 2 and "1" 2 (the number counts as its string; "1" < "a"); c 1, d 1.
    expect(stats.topCategories).toEqual([
      { value: 'b', count: 3 },
      { value: '1', count: 2 },
      { value: 'a', count: 2 },
      { value: 'c', count: 1 },
      { value: 'd', count: 1 },
    ]);
  });

  it('lists at most 20 categories, also for BOOLEAN and TEXT', () => {
    // 25 distinct of 25: TEXT. All count 1, so the first 20 by value.
    const text = describeFeature({ name: 't', values: strings(25, 'c') });
    expect(text.type).toBe(FeatureType.TEXT);
    expect(text.distinct).toBe(25);
    expect(text.topCategories).toEqual(strings(20, 'c').map((value) => ({ value, count: 1 })));

    const flag = describeFeature({ name: 'f', values: [true, false, true, null] });
    expect(flag.type).toBe(FeatureType.BOOLEAN);
    expect(flag.topCategories).toEqual([
      { value: 'true', count: 2 },
      { value: 'false', count: 1 },
    ]);
  });

  it('describes an all-missing column as CATEGORICAL with nothing in it', () => {
    expect(describeFeature({ name: 'fax', values: [null, null] })).toEqual({
      name: 'fax',
      type: FeatureType.CATEGORICAL,
      count: 2,
      missing: 2,
      missingShare: 1,
      distinct: 0,
      numeric: null,
      topCategories: [],
    });
    expect(describeFeature({ name: 'e', values: [] }).missingShare).toBe(0);
  });
});

describe('describeTable', () => {
  it('describes every column in name order', () => {
    const table = tableFromRows([
      { leadId: 'a', label: 1, eventTime: 0, features: { x: 1, flag: true } },
      { leadId: 'b', label: 0, eventTime: 0, features: { x: 3 } },
    ]);
    const stats = describeTable(table);
    expect(stats.map((s) => [s.name, s.type, s.missing])).toEqual([
      ['flag', FeatureType.BOOLEAN, 1],
      ['x', FeatureType.NUMERIC, 0],
    ]);
    expect(stats[1].numeric!.mean).toBe(2);
  });
});
