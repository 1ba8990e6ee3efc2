import { DatasetRowInput, rowFeatures, tableFromRows } from '../dataset/dataset-table.util';
import { describeTable } from '../dataset/feature-stats.util';
import { RawFeatures } from '../features/raw-features.util';
import {
  DEFAULT_TRANSFORMATION,
  fitTransformation,
  FittedTransformation,
  normalizeTransformation,
  NumericFill,
  TransformationConfig,
  TransformationError,
  transformFeatures,
  transformTable,
  validateTransformation,
} from './transformation.util';

const NOTE = 'n'.repeat(60); // 60 characters a value: `notes` is TEXT (mean length > 50).
const row = (leadId: string, features: RawFeatures): DatasetRowInput => ({
  leadId,
  label: 0,
  eventTime: 0,
  features,
});

// l1–l4 are the training rows; l5 is held out and unlike them on purpose.
const TABLE = tableFromRows([
  row('l1', {
    age: 20,
    fax: null,
    job: 'admin.',
    notes: NOTE,
    plan: 7,
    region: 'EU',
    vip: true,
    visits: 0,
  }),
  row('l2', { age: 30, job: 'admin.', plan: 7, region: 'EU', vip: false, visits: 9 }),
  row('l3', { age: null, job: 'tech', plan: 7, region: 'EU', vip: null, visits: 99 }),
  row('l4', { age: 50, job: 'admin.', plan: 7, region: 'EU', vip: true, visits: null }),
  row('l5', { age: 1000, job: 'retired', plan: 9, region: 'US', vip: false, visits: 999 }),
]);
const TRAIN = [0, 1, 2, 3];
const STATS = describeTable(TABLE);

const fitWith = (config: TransformationConfig, rows: readonly number[] = TRAIN) =>
  fitTransformation(normalizeTransformation(config), TABLE, rows);

function expectVector(actual: ArrayLike<number>, expected: readonly number[]): void {
  expect(actual.length).toBe(expected.length);
  expected.forEach((value, i) => expect(actual[i]).toBeCloseTo(value, 9));
}

describe('normalizeTransformation', () => {
  it('fills the defaults', () => {
    expect(normalizeTransformation()).toEqual({
      features: null,
      exclude: [],
      numeric: { fill: 'MEDIAN', missingIndicator: true, log1p: [], standardize: true },
      categorical: { minFrequency: 5, maxLevels: 50 },
    });
    expect(normalizeTransformation(null)).toEqual(DEFAULT_TRANSFORMATION);
    expect(Object.isFrozen(DEFAULT_TRANSFORMATION.exclude)).toBe(true);
  });

  it('de-duplicates and sorts the lists, so equal configs serialise equally', () => {
    const one = normalizeTransformation({
      features: ['b', 'a', 'b'],
      exclude: ['z', 'Z'],
      numeric: { log1p: ['y', 'x', 'y'], fill: 'MEAN' },
    });
    const other = normalizeTransformation({
      numeric: { fill: 'MEAN', log1p: ['x', 'y'] },
      exclude: ['Z', 'z'],
      features: ['a', 'b'],
    });
    expect(one.features).toEqual(['a', 'b']);
    expect(one.exclude).toEqual(['Z', 'z']);
    expect(one.numeric.log1p).toEqual(['x', 'y']);
    expect(JSON.stringify(one)).toBe(JSON.stringify(other));
  });

  it('keeps bad values for validation to report', () => {
    expect(normalizeTransformation({ categorical: { minFrequency: 0 } }).categorical).toEqual({
      minFrequency: 0,
      maxLevels: 50,
    });
  });
});

describe('validateTransformation', () => {
  it('accepts the defaults', () => {
    expect(validateTransformation(DEFAULT_TRANSFORMATION, STATS)).toEqual([]);
  });

  it('names every bad field by its path', () => {
    const config = normalizeTransformation({
      features: ['zzz', 'age', 'notes', 'age'], // → age, notes, zzz
      exclude: ['nope', 'age'], // → age, nope
      numeric: { fill: 'MODE' as NumericFill, log1p: ['job', 'ghost', 'visits', 'fax'] }, // → fax, ghost, job, visits
      categorical: { minFrequency: 0, maxLevels: 1001 },
    });
    expect(validateTransformation(config, STATS)).toEqual([
      {
        path: 'features.1',
        message: '"notes" is TEXT (free text) and cannot be encoded as a model input',
      },
      { path: 'features.2', message: 'unknown feature "zzz": not in the dataset' },
      { path: 'exclude.1', message: 'unknown feature "nope": not in the dataset' },
      { path: 'numeric.fill', message: 'must be one of MEDIAN, MEAN, ZERO' },
      // fax (numeric.log1p.0) has no values at all: its log is harmless, not a problem.
      { path: 'numeric.log1p.1', message: 'unknown feature "ghost": not in the dataset' },
      {
        path: 'numeric.log1p.2',
        message: '"job" is CATEGORICAL; log1p applies to NUMERIC features only',
      },
      { path: 'categorical.minFrequency', message: 'must be an integer from 1 to 1000000000' },
      { path: 'categorical.maxLevels', message: 'must be an integer from 1 to 1000' },
      // age, notes minus age leaves notes, which is TEXT.
      {
        path: 'features',
        message: 'no feature left to use: every feature is unknown, TEXT or excluded',
      },
    ]);
  });

  it.each([
    [{ minFrequency: 1 }, []],
    [{ minFrequency: 1e9 }, []],
    [{ minFrequency: 1e9 + 1 }, ['categorical.minFrequency']],
    [{ minFrequency: 2.5 }, ['categorical.minFrequency']],
    [{ minFrequency: NaN }, ['categorical.minFrequency']],
    [{ maxLevels: 1000 }, []],
    [{ maxLevels: 0 }, ['categorical.maxLevels']],
    [{ maxLevels: 1.5 }, ['categorical.maxLevels']],
  ])('checks the categorical numbers: %p', (categorical, paths) => {
    const problems = validateTransformation(normalizeTransformation({ categorical }), STATS);
    expect(problems.map((problem) => problem.path)).toEqual(paths);
  });

  it('reports excluding every usable feature', () => {
    const config = normalizeTransformation({
      exclude: ['age', 'fax', 'job', 'plan', 'region', 'vip', 'visits'],
    });
    expect(validateTransformation(config, STATS).map((problem) => problem.path)).toEqual([
      'features',
    ]);
  });
});

describe('fitTransformation and the encoders', () => {
  // minFrequency 2 on l1–l4: job admin. ×3 kept, tech ×1 → (other); vip true ×2 kept, false ×1
  // → (other), plus (missing) for l3.
  const fitted = fitWith({ numeric: { log1p: ['visits'] }, categorical: { minFrequency: 2 } });
  // age on l1–l4: 20, 30, –, 50. Median fill 30 → 20, 30, 30, 50; mean 130/4 = 32.5; squared
  // deviations 156.25 + 6.25 + 6.25 + 306.25 = 475; std √(475/4) = √118.75 = 10.897247358851684.
  const AGE_STD = 10.897247358851684;
  // visits on l1–l4 through log1p: 0, ln 10, ln 100, –. Median fill ln 10 → 0, L, 2L, L with
  // L = ln 10; mean L; squared deviations L² + 0 + L² + 0 → std √(L²/2) = L/√2. So a value
  // log1p(x) encodes as (log1p(x) − L)/(L/√2): 0 → −√2, 9 → 0, 99 → √2, 999 (3L) → 2√2.
  const R2 = Math.SQRT2;

  it('lays out the outputs and learns the statistics', () => {
    expect(fitted.outputNames).toEqual([
      'age',
      'age:missing',
      'fax=(missing)',
      'job=admin.',
      'job=(other)',
      'plan',
      'region=EU',
      'vip=true',
      'vip=(other)',
      'vip=(missing)',
      'visits',
      'visits:missing',
    ]);
    const [age, fax, job, plan, region, vip, visits] = fitted.features;
    expect(age).toEqual({
      kind: 'numeric',
      name: 'age',
      log1p: false,
      fill: 30,
      missingIndicator: true,
      center: 32.5,
      scale: expect.closeTo(AGE_STD, 12) as number,
    });
    expect(fax).toEqual({
      kind: 'categorical',
      name: 'fax',
      levels: [],
      other: false,
      missing: true,
    });
    expect(job).toEqual({
      kind: 'categorical',
      name: 'job',
      levels: ['admin.'],
      other: true,
      missing: false,
    });
    // Constant 7: centred on itself, scale 1, no indicator (nothing missing).
    expect(plan).toEqual({
      kind: 'numeric',
      name: 'plan',
      log1p: false,
      fill: 7,
      missingIndicator: false,
      center: 7,
      scale: 1,
    });
    expect(region).toMatchObject({ levels: ['EU'], other: false, missing: false });
    expect(vip).toMatchObject({ levels: ['true'], other: true, missing: true });
    expect(visits).toMatchObject({ kind: 'numeric', log1p: true, missingIndicator: true });
    if (visits.kind !== 'numeric') throw new Error('visits is numeric');
    expect(visits.fill).toBeCloseTo(Math.LN10, 12);
    expect(visits.center).toBeCloseTo(Math.LN10, 12);
    expect(visits.scale).toBeCloseTo(Math.LN10 / R2, 12);
    // notes is TEXT: not used when features are not named.
    expect(fitted.features.map((feature) => feature.name)).not.toContain('notes');
  });

  it('warns about all-missing and constant features instead of failing', () => {
    expect(fitted.warnings).toEqual([
      'fax has no values on the training rows',
      'plan is constant on the training rows',
      'region is constant on the training rows',
    ]);
  });

  it('encodes the training rows by hand', () => {
    const { matrix, rows, cols } = transformTable(fitted, TABLE, TRAIN);
    expect([rows, cols]).toEqual([4, 12]);
    // age, age:missing, fax=(missing), job=admin., job=(other), plan, region=EU,
    // vip=true, vip=(other), vip=(missing), visits, visits:missing
    const expected = [
      // age (20 − 32.5)/10.8972… = −1.1470786693528088
      [-1.1470786693528088, 0, 1, 1, 0, 0, 1, 1, 0, 0, -R2, 0],
      // age (30 − 32.5)/10.8972… = −0.22941573387056174; vip false → (other)
      [-0.22941573387056174, 0, 1, 1, 0, 0, 1, 0, 1, 0, 0, 0],
      // age missing → fill 30; job tech → (other); vip missing
      [-0.22941573387056174, 1, 1, 0, 1, 0, 1, 0, 0, 1, R2, 0],
      // age (50 − 32.5)/10.8972… = 1.6059101370939324; visits missing → fill L → 0
      [1.6059101370939324, 0, 1, 1, 0, 0, 1, 1, 0, 0, 0, 1],
    ];
    expected.forEach((values, r) =>
      expectVector(matrix.subarray(r * cols, (r + 1) * cols), values),
    );
  });

  it('serves the held-out row: unseen categories go to (other), or nowhere without one', () => {
    // age (1000 − 32.5)/10.8972… = 88.7838890079074; job retired → (other); plan (9 − 7)/1;
    // region US: no (other) for region, so all zeros; vip false → (other); visits 999 → 2√2.
    expectVector(transformFeatures(fitted, rowFeatures(TABLE, 4)), [
      88.7838890079074,
      0,
      1,
      0,
      1,
      2,
      0,
      0,
      1,
      0,
      2 * R2,
      0,
    ]);
  });

  it('takes missing keys, and non-numbers for numeric features, as missing', () => {
    // Everything missing: age fill 30 → −0.2294…, 1; fax (missing); job and region have no
    // (missing) level → zeros; plan fill 7 → 0; vip (missing); visits fill L → 0, 1.
    const empty = [-0.22941573387056174, 1, 1, 0, 0, 0, 0, 0, 0, 1, 0, 1];
    expectVector(transformFeatures(fitted, {}), empty);
    expectVector(transformFeatures(fitted, { age: '41', visits: true, plan: null }), empty);
  });

  it('applies log1p to negative values with their sign', () => {
    // sign(−9)·log1p(9) = −L → (−L − L)/(L/√2) = −2√2.
    const vector = transformFeatures(fitted, { visits: -9 });
    expect(vector[10]).toBeCloseTo(-2 * R2, 9);
  });

  it('gives exactly what transformTable gives, row by row', () => {
    for (const config of [
      { numeric: { log1p: ['visits'] }, categorical: { minFrequency: 2 } },
      { categorical: { minFrequency: 1, maxLevels: 1 } },
      { numeric: { fill: 'ZERO' as const, missingIndicator: false, standardize: false } },
    ]) {
      const model = fitWith(config);
      const order = [4, 0, 2, 3, 1];
      const { matrix, cols } = transformTable(model, TABLE, order);
      order.forEach((index, r) => {
        const served = transformFeatures(model, rowFeatures(TABLE, index));
        expect([...served]).toEqual([...matrix.subarray(r * cols, (r + 1) * cols)]);
      });
      expect(transformTable(model, TABLE).rows).toBe(5);
    }
  });

  it('still transforms the same after a JSON round trip', () => {
    const reloaded = JSON.parse(JSON.stringify(fitted)) as FittedTransformation;
    expect(reloaded).toEqual(fitted);
    for (let i = 0; i < 5; i++) {
      const raw = rowFeatures(TABLE, i);
      expect([...transformFeatures(reloaded, raw)]).toEqual([...transformFeatures(fitted, raw)]);
    }
  });

  it('writes into a given vector, clearing what a previous lead left there', () => {
    const out = new Float64Array(12);
    transformFeatures(fitted, rowFeatures(TABLE, 0), out);
    const again = transformFeatures(fitted, rowFeatures(TABLE, 2), out);
    expect(again).toBe(out);
    expect([...out]).toEqual([...transformFeatures(fitted, rowFeatures(TABLE, 2))]);
    expect(() => transformFeatures(fitted, {}, new Float64Array(3))).toThrow(RangeError);
  });

  it('takes a column the table lacks as missing on every row', () => {
    const other = tableFromRows([row('x', { job: 'admin.' })]);
    const { matrix } = transformTable(fitted, other);
    expect([...matrix]).toEqual([...transformFeatures(fitted, { job: 'admin.' })]);
  });
});

describe('fitting learns from the training rows only', () => {
  it('ignores the held-out rows', () => {
    const onTraining = fitWith({}, TRAIN).features[0];
    // With l5 too: age 20, 30, –, 50, 1000 → median (30 + 50)/2 = 40 → 20, 30, 40, 50, 1000,
    // mean 1140/5 = 228. So l5 would move the fill from 30 to 40 and the centre from 32.5 to 228.
    const onAll = fitTransformation(DEFAULT_TRANSFORMATION, TABLE).features[0];
    expect(onTraining).toMatchObject({ name: 'age', fill: 30, center: 32.5 });
    expect(onAll).toMatchObject({ name: 'age', fill: 40, center: 228 });
    // plan is constant on l1–l4 only.
    expect(fitTransformation(DEFAULT_TRANSFORMATION, TABLE).warnings).not.toContain(
      'plan is constant on the training rows',
    );
  });
});

describe('fitting options', () => {
  const age = (config: TransformationConfig) => fitWith(config).features[0];

  it.each<[string, TransformationConfig, object]>([
    // Fill MEAN: (20 + 30 + 50)/3 = 33.33…; the mean of 20, 30, 33.33…, 50 is 33.33… too.
    [
      'MEAN',
      { numeric: { fill: 'MEAN' } },
      { fill: expect.closeTo(100 / 3, 12), center: expect.closeTo(100 / 3, 12) },
    ],
    // Fill ZERO: 20, 30, 0, 50 → mean 100/4 = 25; squared deviations 25 + 25 + 625 + 625 =
    // 1300 → std √325.
    ['ZERO', { numeric: { fill: 'ZERO' } }, { fill: 0, center: 25, scale: Math.sqrt(325) }],
    ['no standardizing', { numeric: { standardize: false } }, { fill: 30, center: 0, scale: 1 }],
    ['no indicator', { numeric: { missingIndicator: false } }, { missingIndicator: false }],
  ])('numeric fill and scaling: %s', (_label, config, expected) => {
    expect(age(config)).toMatchObject(expected);
  });

  it('does not standardize when told not to', () => {
    const fitted = fitWith({ numeric: { standardize: false }, features: ['age'] });
    expect(fitted.outputNames).toEqual(['age', 'age:missing']);
    expectVector(transformFeatures(fitted, { age: 20 }), [20, 0]);
    expectVector(transformFeatures(fitted, { age: null }), [30, 1]);
  });

  it('keeps every category at minFrequency 1: an unseen one is all zeros', () => {
    const fitted = fitWith({ features: ['job'], categorical: { minFrequency: 1 } });
    expect(fitted.outputNames).toEqual(['job=admin.', 'job=tech']);
    expectVector(transformFeatures(fitted, { job: 'tech' }), [0, 1]);
    expectVector(transformFeatures(fitted, { job: 'retired' }), [0, 0]);
  });

  it('keeps at most maxLevels, most frequent first, ties by value, output sorted', () => {
    // b ×3, a ×3, c ×2, d ×1 → a and b (tie on 3, a first) kept; c and d → (other).
    const values = ['b', 'd', 'a', 'c', 'b', 'a', 'c', 'b', 'a'];
    const table = tableFromRows(values.map((g, i) => row(`r${i}`, { g })));
    const config = normalizeTransformation({ categorical: { minFrequency: 1, maxLevels: 2 } });
    const fitted = fitTransformation(config, table);
    expect(fitted.outputNames).toEqual(['g=a', 'g=b', 'g=(other)']);
    expectVector(transformFeatures(fitted, { g: 'd' }), [0, 0, 1]);
  });

  it('warns when no category is frequent enough', () => {
    const fitted = fitWith({ features: ['job'], categorical: { minFrequency: 4 } });
    expect(fitted.outputNames).toEqual(['job=(other)']);
    expect(fitted.warnings).toEqual([
      'job: no category occurs 4 times on the training rows; all are (other)',
    ]);
  });

  it('reads only own keys of the raw features', () => {
    const table = tableFromRows([row('a', { constructor: 1 }), row('b', { constructor: 3 })]);
    const fitted = fitTransformation(DEFAULT_TRANSFORMATION, table);
    // constructor: 1, 3 → mean 2, std 1; missing at serve time → fill (median 2) → 0.
    expectVector(transformFeatures(fitted, {}), [0]);
    expectVector(transformFeatures(fitted, { constructor: 3 }), [1]);
  });

  it('refuses a config that does not fit the table, and bad rows', () => {
    const text = () => fitWith({ features: ['notes', 'age'] });
    expect(text).toThrow(TransformationError);
    expect(text).toThrow('features.1: "notes" is TEXT');
    expect(() => fitWith({}, [])).toThrow('no training rows');
    expect(() => fitWith({}, [0, 7])).toThrow(RangeError);
    expect(() => transformTable(fitWith({}), TABLE, [1.5])).toThrow(RangeError);
  });
});
