/**
 * A node's histograms, all features in one Float64Array: feature a's bins are the indexes
 * offsets[a] .. offsets[a + 1], three numbers per bin: Σ gradient, Σ hessian, row count.
 * Interleaved because the build loop touches all three of a bin at once.
 */
export const HISTOGRAM_STRIDE = 3;

/**
 * How rows feed histograms. Each feature's most frequent bin (its "default") is never summed row
 * by row: it is the node's totals minus the feature's other bins, as LightGBM does. Each row
 * keeps only the histogram indexes of its non-default bins (`entries`, row r's from
 * rowStart[r] to rowStart[r + 1]), so a one-hot column costs a row something only when the row
 * has the rarer value: on the bank data that is ~10 updates a row instead of ~50.
 */
export interface HistogramLayout {
  readonly rows: number;
  readonly rowStart: Uint32Array;
  readonly entries: Uint32Array;
  /** Feature a's bins start at offsets[a]; one more entry closes the last feature. */
  readonly offsets: Int32Array;
  /** Per feature, the index of its default bin. */
  readonly defaults: Int32Array;
  /** Doubles in one histogram. */
  readonly length: number;
  /** The root's row counts (gradients 0): the same every tree, so the root loop skips counting. */
  readonly rootCounts: Float64Array;
}

/**
 * The layout of histogram features read from column-major bin codes (`rows` per column): feature
 * a is column `columns[a]` with `bins[a]` bins, missing included.
 */
export function histogramLayout(
  codes: Uint8Array,
  rows: number,
  columns: readonly number[],
  bins: readonly number[],
): HistogramLayout {
  const nf = columns.length;
  const offsets = new Int32Array(nf + 1);
  for (let a = 0; a < nf; a++) offsets[a + 1] = offsets[a] + bins[a] * HISTOGRAM_STRIDE;
  const length = Math.max(1, offsets[nf]);
  const rootCounts = new Float64Array(length);
  const defaults = new Int32Array(nf);
  const rowStart = new Uint32Array(rows + 1);
  for (let a = 0; a < nf; a++) {
    const column = codes.subarray(columns[a] * rows, (columns[a] + 1) * rows);
    for (let i = 0; i < rows; i++) rootCounts[offsets[a] + column[i] * HISTOGRAM_STRIDE + 2] += 1;
    let best = 0;
    for (let b = 1; b < bins[a]; b++) {
      const count = rootCounts[offsets[a] + b * HISTOGRAM_STRIDE + 2];
      if (count > rootCounts[offsets[a] + best * HISTOGRAM_STRIDE + 2]) best = b;
    }
    defaults[a] = offsets[a] + best * HISTOGRAM_STRIDE;
    for (let i = 0; i < rows; i++) if (column[i] !== best) rowStart[i + 1]++;
  }
  for (let i = 0; i < rows; i++) rowStart[i + 1] += rowStart[i];
  const entries = new Uint32Array(rowStart[rows]);
  const filled = rowStart.slice(0, rows);
  // Features in order within a row, so a row's updates walk the histogram forwards.
  for (let a = 0; a < nf; a++) {
    const column = codes.subarray(columns[a] * rows, (columns[a] + 1) * rows);
    const best = (defaults[a] - offsets[a]) / HISTOGRAM_STRIDE;
    for (let i = 0; i < rows; i++) {
      if (column[i] !== best) entries[filled[i]++] = offsets[a] + column[i] * HISTOGRAM_STRIDE;
    }
  }
  return { rows, rowStart, entries, offsets, defaults, length, rootCounts };
}

/** The root's histograms: every row, in order; `sumG`/`sumH` are the gradients' totals. */
export function buildRootHistogram(
  layout: HistogramLayout,
  g: Float64Array,
  h: Float64Array,
  sumG: number,
  sumH: number,
  hist: Float64Array,
): void {
  const { rowStart, entries, rows } = layout;
  hist.set(layout.rootCounts);
  for (let i = 0; i < rows; i++) {
    const gi = g[i];
    const hi = h[i];
    for (let e = rowStart[i], end = rowStart[i + 1]; e < end; e++) {
      const k = entries[e];
      hist[k] += gi;
      hist[k + 1] += hi;
    }
  }
  fillDefaults(layout, hist, sumG, sumH, rows);
}

/** The histograms of the rows `partition[start .. start + count)`, whose totals are given. */
export function buildHistogram(
  layout: HistogramLayout,
  g: Float64Array,
  h: Float64Array,
  partition: Uint32Array,
  start: number,
  count: number,
  sumG: number,
  sumH: number,
  hist: Float64Array,
): void {
  const { rowStart, entries } = layout;
  hist.fill(0);
  for (let j = start, end = start + count; j < end; j++) {
    const r = partition[j];
    const gr = g[r];
    const hr = h[r];
    for (let e = rowStart[r], stop = rowStart[r + 1]; e < stop; e++) {
      const k = entries[e];
      hist[k] += gr;
      hist[k + 1] += hr;
      hist[k + 2] += 1;
    }
  }
  fillDefaults(layout, hist, sumG, sumH, count);
}

function fillDefaults(
  layout: HistogramLayout,
  hist: Float64Array,
  sumG: number,
  sumH: number,
  count: number,
): void {
  const { offsets, defaults } = layout;
  for (let a = 0; a < defaults.length; a++) {
    const d = defaults[a];
    hist[d] = 0;
    hist[d + 1] = 0;
    hist[d + 2] = 0;
    let g = 0;
    let h = 0;
    let c = 0;
    for (let k = offsets[a], end = offsets[a + 1]; k < end; k += HISTOGRAM_STRIDE) {
      g += hist[k];
      h += hist[k + 1];
      c += hist[k + 2];
    }
    hist[d] = sumG - g;
    hist[d + 1] = sumH - h;
    hist[d + 2] = count - c;
  }
}

/** parent − child, in place in `parent`: the sibling's histograms without reading its rows. */
export function subtractHistogram(parent: Float64Array, child: Float64Array): void {
  for (let i = 0; i < parent.length; i++) parent[i] -= child[i];
}
