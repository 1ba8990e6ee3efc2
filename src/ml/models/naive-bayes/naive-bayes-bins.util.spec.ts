import { binOf, columnEdges } from './naive-bayes-bins.util';

describe('binOf', () => {
  it('counts the edges below the value: (e_{k−1}, e_k], edge values in the lower bin', () => {
    const edges = [0, 3.25];
    expect([-Infinity, -1, 0, 0.1, 3.25, 3.3, Infinity].map((v) => binOf(edges, v))).toEqual([
      0, 0, 0, 1, 1, 2, 2,
    ]);
  });

  it('puts NaN in the last bin, after the K + 1 value bins', () => {
    expect(binOf([0, 3.25], NaN)).toBe(3);
    expect(binOf([], NaN)).toBe(1);
    expect(binOf([], 42)).toBe(0);
  });
});

describe('columnEdges', () => {
  it('cuts few distinct values at the midpoints, whatever their order', () => {
    expect(columnEdges(Float64Array.from([5, 1, 2, 1, 5]), 3)).toEqual([1.5, 3.5]);
    expect(columnEdges(Float64Array.from([1, 0, 0]), 10)).toEqual([0.5]);
    expect(columnEdges(Float64Array.from([7, 7]), 10)).toEqual([]);
    expect(columnEdges(new Float64Array(0), 10)).toEqual([]);
  });

  it('never lets a midpoint round onto the upper of two neighbouring doubles', () => {
    // low = 1 + 2⁻⁵² and high = 1 + 2·2⁻⁵²: their midpoint 1 + 1.5·2⁻⁵² rounds (to even) to high.
    const low = 1 + Number.EPSILON;
    const high = 1 + 2 * Number.EPSILON;
    expect(low + (high - low) / 2).toBe(high);
    const edges = columnEdges(Float64Array.from([high, low]), 10);
    expect(edges).toEqual([low]);
    expect([binOf(edges, low), binOf(edges, high)]).toEqual([0, 1]);
  });

  it('takes the unique k/bins quantiles of more distinct values', () => {
    // 1 … 20 in 4 bins: h = 19·p → 4.75, 9.5, 14.25 → 5.75, 10.5, 15.25.
    const values = Float64Array.from({ length: 20 }, (_, i) => 20 - i);
    expect(columnEdges(values, 4)).toEqual([5.75, 10.5, 15.25]);
    // Three distinct values with bins = 2: quantile at h = 5·0.5 = 2.5 of 1 1 1 2 3 3 → 1 + 0.5.
    expect(columnEdges(Float64Array.from([3, 1, 2, 1, 3, 1]), 2)).toEqual([1.5]);
  });
});
