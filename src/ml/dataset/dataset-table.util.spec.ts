import {
  concatTables,
  DatasetRowInput,
  rowFeatures,
  sliceTable,
  tableFromRows,
} from './dataset-table.util';

// Arrival order b, B, a; code-unit order is 'B' (66) < 'a' (97) < 'b' (98), and for the column
// names 'Zip' (Z = 90) < 'age' — unlike a locale-aware sort.
const ROWS: DatasetRowInput[] = [
  { leadId: 'b', label: 1, eventTime: 2000, features: { age: 30, job: 'x', Zip: '4000' } },
  { leadId: 'B', label: 0, eventTime: 1000, features: { city: 'Porto' } },
  { leadId: 'a', label: 0, eventTime: 3000, features: { zeta: true, age: 25 } },
];

describe('tableFromRows', () => {
  it('sorts rows by lead id and takes the union of features, absent as null', () => {
    const table = tableFromRows(ROWS);
    expect(table.leadIds).toEqual(['B', 'a', 'b']);
    expect([...table.labels]).toEqual([0, 0, 1]);
    expect([...table.eventTimes]).toEqual([1000, 3000, 2000]);
    expect(table.columns).toEqual([
      { name: 'Zip', values: [null, null, '4000'] },
      { name: 'age', values: [null, 25, 30] },
      { name: 'city', values: ['Porto', null, null] },
      { name: 'job', values: [null, null, 'x'] },
      { name: 'zeta', values: [null, true, null] },
    ]);
  });

  it('is the same table whatever order the rows and keys came in', () => {
    const reordered = [...ROWS].reverse().map((row) => ({
      ...row,
      features: Object.fromEntries(Object.entries(row.features).reverse()),
    }));
    expect(tableFromRows(reordered)).toEqual(tableFromRows(ROWS));
  });

  it('stores undefined and non-finite values as null', () => {
    const table = tableFromRows([
      { leadId: 'a', label: 1, eventTime: 0, features: { x: NaN, y: Infinity } },
      { leadId: 'b', label: 1, eventTime: 0, features: { x: undefined as unknown as null, y: 1 } },
    ]);
    expect(table.columns).toEqual([
      { name: 'x', values: [null, null] },
      { name: 'y', values: [null, 1] },
    ]);
  });

  it('throws on a repeated lead id, a bad label or a bad event time', () => {
    const row = ROWS[0];
    expect(() => tableFromRows([row, ROWS[1], { ...row, label: 0 }])).toThrow(
      'lead "b" appears more than once',
    );
    expect(() => tableFromRows([{ ...row, label: 2 as 0 }])).toThrow('label must be 0 or 1');
    expect(() => tableFromRows([{ ...row, eventTime: NaN }])).toThrow('eventTime');
  });

  it('builds an empty table from no rows', () => {
    const table = tableFromRows([]);
    expect(table.leadIds).toEqual([]);
    expect(table.labels.length).toBe(0);
    expect(table.columns).toEqual([]);
  });
});

describe('sliceTable and concatTables', () => {
  const table = tableFromRows(ROWS);

  it('slices rows [start, end) with every column', () => {
    const slice = sliceTable(table, 1, 3);
    expect(slice.leadIds).toEqual(['a', 'b']);
    expect([...slice.labels]).toEqual([0, 1]);
    expect([...slice.eventTimes]).toEqual([3000, 2000]);
    expect(slice.columns.map((column) => column.name)).toEqual([
      'Zip',
      'age',
      'city',
      'job',
      'zeta',
    ]);
    expect(slice.columns[1].values).toEqual([25, 30]);
    expect(sliceTable(table, 3, 3).columns[0].values).toEqual([]);
  });

  it('concatenates slices back into the table', () => {
    const parts = [sliceTable(table, 0, 1), sliceTable(table, 1, 1), sliceTable(table, 1, 3)];
    expect(concatTables(parts)).toEqual(table);
  });

  it('refuses parts with different columns or out of lead id order', () => {
    const other = tableFromRows([{ leadId: 'c', label: 0, eventTime: 0, features: { q: 1 } }]);
    expect(() => concatTables([table, other])).toThrow('part 1 does not have the columns');
    expect(() => concatTables([sliceTable(table, 1, 3), sliceTable(table, 0, 1)])).toThrow(
      'out of order or repeated at "B"',
    );
    expect(() => concatTables([table, table])).toThrow('out of order or repeated');
  });

  it('concatenates nothing into an empty table', () => {
    expect(concatTables([]).leadIds).toEqual([]);
  });
});

describe('rowFeatures', () => {
  it('gives one row with every column, null included', () => {
    const table = tableFromRows(ROWS);
    expect(rowFeatures(table, 0)).toEqual({
      Zip: null,
      age: null,
      city: 'Porto',
      job: null,
      zeta: null,
    });
    expect(() => rowFeatures(table, 3)).toThrow(RangeError);
  });

  it('keeps a feature named __proto__ as an own key', () => {
    const features = JSON.parse('{"__proto__": "x"}') as Record<string, string>;
    const table = tableFromRows([{ leadId: 'a', label: 1, eventTime: 0, features }]);
    expect(table.columns[0].name).toBe('__proto__');
    const row = rowFeatures(table, 0);
    expect(Object.hasOwn(row, '__proto__')).toBe(true);
    expect(Object.getPrototypeOf(row)).toBe(Object.prototype);
  });
});
