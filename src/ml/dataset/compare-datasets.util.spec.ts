import { compareDatasets } from './compare-datasets.util';
import { DatasetRowInput, tableFromRows } from './dataset-table.util';
import { FeatureType } from './feature-stats.util';

const A = tableFromRows([
  { leadId: 'a1', label: 1, eventTime: 100, features: { x: 1, code: 'p', onlyA: 5 } },
  { leadId: 'a2', label: 0, eventTime: 200, features: { x: 2, code: null, onlyA: 6 } },
  { leadId: 'a3', label: 1, eventTime: 300, features: { x: 3, code: 'q', onlyA: 7 } },
]);
const B = tableFromRows([
  { leadId: 'a2', label: 0, eventTime: 200, features: { x: 2, code: null, onlyB: 'new' } },
  { leadId: 'a3', label: 1, eventTime: 300, features: { x: 30, code: 9, onlyB: 'n' } },
  { leadId: 'a4', label: 0, eventTime: 400, features: { x: 4, code: 8, onlyB: 'o' } },
]);

describe('compareDatasets', () => {
  it('matches rows by lead id', () => {
    const comparison = compareDatasets(A, B);
    // a1 only in A, a4 only in B; a3's x went 3 → 30; a2 differs only in onlyA/onlyB, which one
    // schema lacks, so it is unchanged.
    expect(comparison).toMatchObject({
      rowsA: 3,
      rowsB: 3,
      added: 1,
      removed: 1,
      changed: 1,
      unchanged: 1,
      sampleAdded: ['a4'],
      sampleRemoved: ['a1'],
      sampleChanged: ['a3'],
    });
  });

  it('compares label rates', () => {
    const comparison = compareDatasets(A, B);
    // A: 2 of 3 converted; B: 1 of 3.
    expect(comparison.labelRateA).toBeCloseTo(2 / 3, 15);
    expect(comparison.labelRateB).toBeCloseTo(1 / 3, 15);
    expect(comparison.labelRateChange).toBeCloseTo(-1 / 3, 15);
  });

  it('reports added, removed and retyped features', () => {
    expect(compareDatasets(A, B).schema).toEqual({
      added: [{ name: 'onlyB', type: FeatureType.CATEGORICAL }],
      removed: [{ name: 'onlyA', type: FeatureType.NUMERIC }],
      retyped: [{ name: 'code', from: FeatureType.CATEGORICAL, to: FeatureType.NUMERIC }],
    });
  });

  it('measures drift on the features both have', () => {
    const [code, x] = compareDatasets(A, B).features;
    // code is not NUMERIC in A: compared as categories. A: p q –, B: 8 9 –.
    expect(code.name).toBe('code');
    expect(code.type).toBe(FeatureType.NUMERIC);
    expect(code.newCategories).toEqual(['8', '9']);
    expect(code.vanishedCategories).toEqual(['p', 'q']);
    expect(code.bins.map((bin) => bin.label)).toEqual(['8', '9', 'p', 'q', '(missing)']);
    // x is NUMERIC in both: binned at A's deciles.
    expect(x.name).toBe('x');
    expect(x.bins[0].lower).toBeNull();
    expect(x.psi).toBeGreaterThan(0);
    expect(x.newCategories).toEqual([]);
  });

  it('counts a label or event time change as a change', () => {
    const rows: DatasetRowInput[] = [
      { leadId: 'k', label: 1, eventTime: 1, features: { x: 1 } },
      { leadId: 'l', label: 1, eventTime: 1, features: { x: 1 } },
    ];
    const other = rows.map((row) =>
      row.leadId === 'k' ? { ...row, label: 0 as const } : { ...row, eventTime: 2 },
    );
    const comparison = compareDatasets(tableFromRows(rows), tableFromRows(other));
    expect([comparison.changed, comparison.unchanged]).toEqual([2, 0]);
    expect(comparison.sampleChanged).toEqual(['k', 'l']);
  });

  it('finds nothing between a table and itself', () => {
    const comparison = compareDatasets(A, A);
    expect(comparison).toMatchObject({ added: 0, removed: 0, changed: 0, unchanged: 3 });
    expect(comparison.labelRateChange).toBe(0);
    expect(comparison.schema).toEqual({ added: [], removed: [], retyped: [] });
    expect(comparison.features.map((feature) => [feature.name, feature.psi])).toEqual([
      ['code', 0],
      ['onlyA', 0],
      ['x', 0],
    ]);
  });

  it('samples the first 20 ids of each kind, in order; no rows is a rate of 0', () => {
    const ids = Array.from({ length: 25 }, (_, i) => `id${String(i).padStart(2, '0')}`);
    const b = tableFromRows(
      [...ids].reverse().map((leadId) => ({ leadId, label: 1, eventTime: 0, features: {} })),
    );
    const comparison = compareDatasets(tableFromRows([]), b);
    expect(comparison.added).toBe(25);
    expect(comparison.sampleAdded).toEqual(ids.slice(0, 20));
    expect([comparison.labelRateA, comparison.labelRateB, comparison.labelRateChange]).toEqual([
      0, 1, 1,
    ]);
  });

  it('walks ids in code-unit order', () => {
    // 'Z' (90) < 'a' (97): a locale-aware order would put a first and mismatch the walk.
    const row = (leadId: string): DatasetRowInput => ({
      leadId,
      label: 0,
      eventTime: 0,
      features: {},
    });
    const comparison = compareDatasets(
      tableFromRows([row('Z'), row('a')]),
      tableFromRows([row('a'), row('b')]),
    );
    expect(comparison).toMatchObject({ added: 1, removed: 1, unchanged: 1 });
    expect(comparison.sampleRemoved).toEqual(['Z']);
  });
});
