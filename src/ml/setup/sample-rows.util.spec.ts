import { makeTable } from './__tests__/setup-fixtures.factory';
import { sampleRowIndexes, tableRows } from './sample-rows.util';

describe('sampleRowIndexes', () => {
  it('keeps every row, in order, up to the cap', () => {
    expect(sampleRowIndexes(5, 5, 1)).toEqual([0, 1, 2, 3, 4]);
  });

  it('draws the cap of distinct rows, ascending, the same for the same seed', () => {
    const sut = sampleRowIndexes(1000, 100, 42);
    expect(sut).toHaveLength(100);
    expect(new Set(sut).size).toBe(100);
    expect([...sut].sort((a, b) => a - b)).toEqual(sut);
    expect(sampleRowIndexes(1000, 100, 42)).toEqual(sut);
    expect(sampleRowIndexes(1000, 100, 43)).not.toEqual(sut);
  });

  it('refuses a cap under 2 or not an integer', () => {
    expect(() => sampleRowIndexes(10, 1, 0)).toThrow(RangeError);
    expect(() => sampleRowIndexes(10, 2.5, 0)).toThrow('maxRows must be an integer of at least 2');
  });
});

describe('tableRows', () => {
  it('takes the rows asked for, every column with them', () => {
    const table = makeTable([0, 1, 0, 1], (i) => ({ x: i, tag: `t${i}` }));
    const sut = tableRows(table, [1, 3]);
    expect(sut.leadIds).toEqual(['L-0001', 'L-0003']);
    expect([...sut.labels]).toEqual([1, 1]);
    expect(sut.eventTimes).toHaveLength(2);
    expect(sut.columns).toEqual([
      { name: 'tag', values: ['t1', 't3'] },
      { name: 'x', values: [1, 3] },
    ]);
  });
});
