import { quantileSorted } from '../../common/quantile.util';
import { seededRandom } from '../../common/random.util';
import { binOf, columnEdges, selectRanks } from './naive-bayes-bins.util';

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

describe('selectRanks', () => {
  it('leaves each wanted rank holding what a sort would put there, ties and all', () => {
    const random = seededRandom(11);
    for (const [n, distinct] of [
      [1, 1],
      [2, 2],
      [50, 3],
      [1000, 7],
      [5000, 4000],
    ]) {
      const values = Float64Array.from({ length: n }, () => Math.floor(random() * distinct) - 2);
      const sorted = Float64Array.from(values).sort();
      const ranks = Int32Array.from(new Set([0, n - 1, n >> 1, n >> 2, (3 * n) >> 2])).sort();
      selectRanks(values, ranks);
      for (const r of ranks) expect(values[r]).toBe(sorted[r]);
      // Only reordered.
      expect(Float64Array.from(values).sort()).toEqual(sorted);
    }
  });

  it('gives columnEdges the quantiles of the sorted values', () => {
    const random = seededRandom(12);
    for (let round = 0; round < 20; round++) {
      const n = 100 + Math.floor(random() * 3000);
      const spread = 20 + Math.floor(random() * 5000);
      const values = Float64Array.from({ length: n }, () => Math.floor(random() * spread) / 7);
      const sorted = Float64Array.from(values).sort();
      const expected: number[] = [];
      for (let k = 1; k < 10; k++) {
        const edge = quantileSorted(sorted, k / 10);
        if (expected.length === 0 || edge > expected[expected.length - 1]) expected.push(edge);
      }
      expect(columnEdges(values, 10)).toEqual(expected);
    }
  });
});
