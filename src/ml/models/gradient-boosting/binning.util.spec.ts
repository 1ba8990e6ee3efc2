import { binColumns, binOf, binThresholds } from './binning.util';

const sorted = (values: number[]) => Float64Array.from(values).sort();

describe('binThresholds', () => {
  it('puts an edge halfway between neighbours when the distinct values fit', () => {
    expect(Array.from(binThresholds(sorted([3, 1, 1, 2, 5, 3]), 255))).toEqual([1.5, 2.5, 4]);
    expect(Array.from(binThresholds(sorted([0, 1, 0, 0]), 2))).toEqual([0.5]);
  });

  it('has no edge for one value or none', () => {
    expect(binThresholds(sorted([4, 4, 4]), 255).length).toBe(0);
    expect(binThresholds(sorted([]), 255).length).toBe(0);
  });

  it('cuts at the k/maxBins quantiles (midpoint of the closest ranks) past maxBins values', () => {
    // 1..10, maxBins 4: quantiles 0.25, 0.5, 0.75 at ranks h = 9·q = 2.25, 4.5, 6.75, each the
    // midpoint of x[floor h] and x[ceil h]: (3+4)/2, (5+6)/2, (7+8)/2.
    const values = sorted([10, 9, 8, 7, 6, 5, 4, 3, 2, 1]);
    expect(Array.from(binThresholds(values, 4))).toEqual([3.5, 5.5, 7.5]);
  });

  it('drops repeated quantile edges instead of keeping empty bins', () => {
    // 4 distinct values > maxBins 3: ranks h = 9·1/3 = 3 and 9·2/3 = 6 are both 0s, so one edge.
    const values = sorted([0, 0, 0, 0, 0, 0, 0, 1, 2, 3]);
    expect(Array.from(binThresholds(values, 3))).toEqual([0]);
  });

  it('keeps edges finite for infinite values (JSON has no Infinity)', () => {
    const edges = binThresholds(sorted([-Infinity, 0, Infinity]), 255);
    expect(Array.from(edges)).toEqual([-Number.MAX_VALUE, Number.MAX_VALUE]);
  });
});

describe('binOf', () => {
  const edges = Float64Array.from([1.5, 2.5, 4]);
  it('is the first edge ≥ the value, the top bin above all, and the missing bin for NaN', () => {
    expect([0, 1.5, 1.6, 2.5, 3, 4, 4.1, 1e300].map((v) => binOf(edges, v))).toEqual([
      0, 0, 1, 1, 2, 2, 3, 3,
    ]);
    expect(binOf(edges, Number.NaN)).toBe(4);
  });
});

describe('binColumns', () => {
  // 5 rows × 3 columns, row-major; column 1 is constant, column 2 has one value and NaNs.
  const x = Float64Array.from([
    ...[3, 7, NaN],
    ...[1, 7, 2],
    ...[NaN, 7, NaN],
    ...[5, 7, 2],
    ...[1, 7, 2],
  ]);

  it('bins the chosen rows column by column, NaN in the bin after the values', () => {
    const binned = binColumns(x, 3, Uint32Array.from([0, 1, 2, 3, 4]), 255);
    expect(binned.thresholds.map((t) => Array.from(t))).toEqual([[2, 4], [], []]);
    expect(Array.from(binned.codes)).toEqual([
      ...[1, 0, 3, 2, 0],
      ...[0, 0, 0, 0, 0],
      ...[1, 0, 1, 0, 0],
    ]);
    expect(binned.constant).toEqual([false, true, false]);
  });

  it('learns edges from the chosen rows only', () => {
    const binned = binColumns(x, 3, Uint32Array.from([1, 4]), 255);
    expect(binned.thresholds.map((t) => t.length)).toEqual([0, 0, 0]);
    expect(binned.constant).toEqual([true, true, true]);
  });

  it('agrees with binOf on many values (the sorted path and the few-values path)', () => {
    const rows = 1000;
    const data = new Float64Array(rows * 2);
    for (let i = 0; i < rows; i++) {
      data[2 * i] = i % 13 === 0 ? NaN : Math.sin(i) * 100;
      data[2 * i + 1] = i % 3;
    }
    const all = Uint32Array.from({ length: rows }, (_, i) => i);
    const binned = binColumns(data, 2, all, 16);
    expect(binned.thresholds[0].length).toBe(15);
    expect(Array.from(binned.thresholds[1])).toEqual([0.5, 1.5]);
    for (let j = 0; j < 2; j++) {
      for (let i = 0; i < rows; i++) {
        expect(binned.codes[j * rows + i]).toBe(binOf(binned.thresholds[j], data[2 * i + j]));
      }
    }
  });
});
