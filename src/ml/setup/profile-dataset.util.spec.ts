import { ColumnRole } from './column-role.util';
import { profileDataset } from './profile-dataset.util';
import { makeTable } from './__tests__/setup-fixtures.factory';

// 40 leads, every fourth converted; each column one role.
const labels = Array.from({ length: 40 }, (_, i): 0 | 1 => (i % 4 === 0 ? 1 : 0));
const table = makeTable(labels, (i) => ({
  email: `lead${i}@example.com`,
  country: 'PT',
  notes: `called on day ${i}`,
  closedAt: `2026-02-${String((i % 28) + 1).padStart(2, '0')}`,
  visits: (i % 4 === 0 ? 10 : 0) + (i % 7),
  industry: ['retail', 'banking'][i % 2],
  won: labels[i] === 1 ? 'yes' : 'no',
}));

describe('profileDataset', () => {
  const sut = profileDataset(table, { labelName: 'converted', distinctCap: 30 });
  const byName = new Map(sut.columns.map((column) => [column.name, column]));

  it('puts the label first, then every column with its guessed role', () => {
    expect(sut.columns.map((column) => [column.name, column.kind, column.role])).toEqual([
      ['converted', 'LABEL', ColumnRole.LABEL],
      ['closedAt', 'FEATURE', ColumnRole.DATE],
      ['country', 'FEATURE', ColumnRole.CONSTANT],
      ['email', 'FEATURE', ColumnRole.IDENTIFIER],
      ['industry', 'FEATURE', ColumnRole.CATEGORICAL],
      ['notes', 'FEATURE', ColumnRole.FREE_TEXT],
      ['visits', 'FEATURE', ColumnRole.NUMERIC],
      ['won', 'FEATURE', ColumnRole.LABEL],
    ]);
    expect(byName.get('converted')).toMatchObject({
      roleReason: 'the outcome: 10 positives in 40 rows (25 %)',
      distinct: 2,
      singleFeatureAuc: null,
    });
    expect(sut).toMatchObject({ rows: 40, positives: 10, sample: { rows: 40, sampled: false } });
  });

  it('caps the distinct count it reports', () => {
    expect(byName.get('email')).toMatchObject({ distinct: 30, distinctCapped: true });
    expect(byName.get('industry')).toMatchObject({ distinct: 2, distinctCapped: false });
  });

  it('ranks numbers and dates, and rates levels on held-out rows', () => {
    expect(byName.get('visits')).toMatchObject({
      aucMethod: 'RANK',
      orientation: 'HIGHER_IS_POSITIVE',
      numeric: { min: 0, max: 16 },
    });
    // Visits of converted leads are 10 + (i mod 7) ≥ 10, of the rest at most 6.
    expect(byName.get('visits')!.singleFeatureAuc).toBe(1);
    expect(byName.get('closedAt')).toMatchObject({ aucMethod: 'RANK', numeric: null });
    expect(byName.get('won')).toMatchObject({ aucMethod: 'LEVEL_RATE', singleFeatureAuc: 1 });
    // Every test row's email is new: the prior for all, 0.5.
    expect(byName.get('email')).toMatchObject({ aucMethod: 'LEVEL_RATE', singleFeatureAuc: 0.5 });
  });

  it('trains the quick model on the numeric and categorical columns only', () => {
    expect(sut.quickModel.features).toEqual(['industry', 'visits']);
    expect(sut.quickModel.auc).toBe(1);
    // Without visits the model has industry alone (converted leads are all retail): 5/6 held out.
    expect(byName.get('visits')!.dropColumnImportance).toBeCloseTo(1 / 6, 12);
    expect(byName.get('email')!.dropColumnImportance).toBeNull();
    expect(sut.split).toMatchObject({ method: 'STRATIFIED', trainRows: 32, testRows: 8 });
  });

  it('is deterministic', () => {
    expect(JSON.stringify(profileDataset(table, { labelName: 'converted', distinctCap: 30 }))).toBe(
      JSON.stringify(sut),
    );
  });

  it('profiles a seeded sample above the row cap, and says so', () => {
    const sampled = profileDataset(table, { maxRows: 20 });
    expect(sampled.sample).toEqual({ rows: 20, seed: 42, sampled: true });
    expect(sampled.rows).toBe(40);
    expect(sampled.notes).toContain('profiled on a seeded sample of 20 of 40 rows (seed 42)');
  });

  it('skips the drop-column loop past its feature cap, and still measures the quick model', () => {
    const capped = profileDataset(table, { maxDropColumnFeatures: 1 });
    expect(capped.quickModel.auc).toBe(1);
    expect(capped.columns.every((column) => column.dropColumnImportance === null)).toBe(true);
    expect(capped.notes).toEqual([
      'no drop-column importance: 2 features is more than the 1 quick models allowed',
    ]);
  });

  it('measures no AUC with fewer than 2 rows of a class', () => {
    const oneClass = makeTable([1, 0, 0, 0], (i) => ({ x: i, tag: ['a', 'b'][i % 2] }));
    const result = profileDataset(oneClass);
    expect(result.split).toBeNull();
    expect(result.quickModel.auc).toBeNull();
    expect(result.columns.map((column) => column.singleFeatureAuc)).toEqual([null, null, null]);
    expect(result.notes).toEqual([
      'no AUC measured: 1 positive and 3 negative rows (at least 2 of each needed)',
    ]);
  });

  it('reports skewness 0 for a constant number and the label of an empty table', () => {
    const flat = profileDataset(makeTable([0, 1, 0, 1], () => ({ x: 3 })));
    expect(flat.columns[1].numeric).toEqual({ min: 3, median: 3, max: 3, skewness: 0 });
    expect(profileDataset(makeTable([], () => ({}))).columns[0]).toMatchObject({
      roleReason: 'the outcome: 0 positives in 0 rows (0 %)',
      distinct: 0,
    });
  });
});
