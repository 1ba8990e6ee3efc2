import { quantileSorted } from '../../common/quantile.util';

/**
 * How a column's values become bins, from its ascending cut points e_0 < e_1 < … < e_{K−1}:
 * bin k holds (e_{k−1}, e_k], so a value v falls in bin k = the number of edges < v (an edge
 * value goes to the bin below it; bin 0 is open below, bin K open above), and NaN in bin K + 1,
 * the last. A column has K + 2 bins.
 */
export function binOf(edges: readonly number[], value: number): number {
  if (value !== value) return edges.length + 1;
  let lo = 0;
  let hi = edges.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (edges[mid] < value) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * The edges for a column's non-missing training `values` (any order; reordered in place). At most
 * `bins` distinct values (a 0/1 one-hot or indicator, a small count): one bin each, cut at the
 * midpoints between neighbours. More: the k/bins quantiles (numpy's linear interpolation),
 * k = 1 … bins − 1, repeated values kept once, so a value held by many rows gets fewer, fuller bins.
 */
export function columnEdges(values: Float64Array, bins: number): number[] {
  // Most columns of the transformation are 0/1: spotting that in one pass saves the sort.
  const distinct: number[] = [];
  for (let i = 0; i < values.length && distinct.length <= bins; i++) {
    if (!distinct.includes(values[i])) distinct.push(values[i]);
  }
  const edges: number[] = [];
  if (distinct.length <= bins) {
    distinct.sort((a, b) => a - b);
    for (let k = 1; k < distinct.length; k++) {
      const low = distinct[k - 1];
      const high = distinct[k];
      // Between two neighbouring doubles the midpoint can round up onto the upper one, which
      // would put it in the lower bin; the lower value itself still separates them.
      const mid = low + (high - low) / 2;
      edges.push(mid < high ? mid : low);
    }
    return edges;
  }
  const sorted = values.sort();
  for (let k = 1; k < bins; k++) {
    const edge = quantileSorted(sorted, k / bins);
    if (edges.length === 0 || edge > edges[edges.length - 1]) edges.push(edge);
  }
  return edges;
}
