import {
  buildHistogram,
  buildRootHistogram,
  histogramLayout,
  subtractHistogram,
} from './histogram.util';

// 6 rows, column-major codes. Column 0: value bins 0..2 and missing bin 3; column 1: value bins
// 0..1 and missing bin 2 (empty).
const codes = Uint8Array.from([...[0, 1, 1, 2, 3, 1], ...[0, 0, 1, 0, 0, 1]]);
const g = Float64Array.from([1, 2, 3, 4, 5, 6]);
const h = Float64Array.from([0.1, 0.2, 0.3, 0.4, 0.5, 0.6]);
const sum = (values: Float64Array, rows: number[]) => rows.reduce((s, r) => s + values[r], 0);

function expectHistogram(actual: Float64Array, expected: number[][]): void {
  expect(actual.length).toBe(expected.length * 3);
  expected.forEach(([eg, eh, ec], bin) => {
    expect(actual[3 * bin]).toBeCloseTo(eg, 12);
    expect(actual[3 * bin + 1]).toBeCloseTo(eh, 12);
    expect(actual[3 * bin + 2]).toBe(ec);
  });
}

describe('histogramLayout', () => {
  it('leaves out each feature’s most frequent bin from the rows’ entries', () => {
    const layout = histogramLayout(codes, 6, [0, 1], [4, 3]);
    expect(Array.from(layout.offsets)).toEqual([0, 12, 21]);
    // Defaults: column 0's bin 1 (3 rows), column 1's bin 0 (4 rows).
    expect(Array.from(layout.defaults)).toEqual([3, 12]);
    // Rows' non-default bins, as histogram indexes (offset + 3·bin).
    expect(Array.from(layout.rowStart)).toEqual([0, 1, 1, 2, 3, 4, 5]);
    expect(Array.from(layout.entries)).toEqual([0, 15, 6, 9, 15]);
  });

  it('reads only the listed columns', () => {
    const layout = histogramLayout(codes, 6, [1], [3]);
    expect(layout.length).toBe(9);
    expect(Array.from(layout.entries)).toEqual([3, 3]);
  });
});

describe('building histograms', () => {
  const layout = histogramLayout(codes, 6, [0, 1], [4, 3]);

  it('sums gradient, hessian and rows per bin at the root', () => {
    const hist = new Float64Array(layout.length);
    buildRootHistogram(layout, g, h, 21, 2.1, hist);
    expectHistogram(hist, [
      [1, 0.1, 1], // column 0, bin 0: row 0
      [11, 1.1, 3], // bin 1: rows 1, 2, 5 (the default: totals − the other bins)
      [4, 0.4, 1], // bin 2: row 3
      [5, 0.5, 1], // missing: row 4
      [12, 1.2, 4], // column 1, bin 0: rows 0, 1, 3, 4
      [9, 0.9, 2], // bin 1: rows 2, 5
      [0, 0, 0], // missing: none
    ]);
  });

  it('sums a node’s rows only, and the sibling is the parent minus the node', () => {
    const partition = Uint32Array.from([0, 1, 2, 4, 3, 5]);
    const node = new Float64Array(layout.length);
    buildHistogram(layout, g, h, partition, 1, 3, sum(g, [1, 2, 4]), sum(h, [1, 2, 4]), node);
    expectHistogram(node, [
      [0, 0, 0],
      [5, 0.5, 2],
      [0, 0, 0],
      [5, 0.5, 1],
      [7, 0.7, 2],
      [3, 0.3, 1],
      [0, 0, 0],
    ]);
    const parent = new Float64Array(layout.length);
    buildRootHistogram(layout, g, h, 21, 2.1, parent);
    subtractHistogram(parent, node);
    const sibling = new Float64Array(layout.length);
    const rest = [0, 3, 5];
    buildHistogram(layout, g, h, Uint32Array.from(rest), 0, 3, sum(g, rest), sum(h, rest), sibling);
    for (let i = 0; i < sibling.length; i++) expect(parent[i]).toBeCloseTo(sibling[i], 12);
  });
});
