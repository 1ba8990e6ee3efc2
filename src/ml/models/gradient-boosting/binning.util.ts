/**
 * Stands for +∞ as the threshold of a split that sends every non-missing value left and only
 * missing ones right: Infinity would not survive JSON (it becomes null).
 */
export const ALL_VALUES_THRESHOLD = Number.MAX_VALUE;

/**
 * The upper edges of a column's bins, from its non-missing values sorted ascending. With at most
 * `maxBins` distinct values, one bin per value (edges halfway between neighbours); otherwise edges
 * at the k/maxBins quantiles (each the midpoint of the two closest ranks, numpy's `midpoint`),
 * repeats dropped, so a column heavy with one value gets fewer, not empty, bins. A value v falls in
 * the first bin whose edge is ≥ v, the last bin (no edge) holding what is above every edge.
 */
export function binThresholds(sorted: Float64Array, maxBins: number): Float64Array {
  const m = sorted.length;
  let distinct = 0;
  for (let i = 0; i < m; i++) if (i === 0 || sorted[i] !== sorted[i - 1]) distinct++;
  const edges: number[] = [];
  if (distinct <= maxBins) {
    for (let i = 1; i < m; i++) {
      if (sorted[i] !== sorted[i - 1]) edges.push(finiteEdge((sorted[i - 1] + sorted[i]) / 2));
    }
  } else {
    for (let k = 1; k < maxBins; k++) {
      const h = ((m - 1) * k) / maxBins;
      const edge = finiteEdge((sorted[Math.floor(h)] + sorted[Math.ceil(h)]) / 2);
      if (edges.length === 0 || edge > edges[edges.length - 1]) edges.push(edge);
    }
  }
  return Float64Array.from(edges);
}

// Infinite training values would give infinite edges (or NaN between −∞ and +∞); a finite edge
// keeps the model JSON-safe and still separates them from everything else.
function finiteEdge(edge: number): number {
  if (Number.isNaN(edge)) return 0;
  return Math.min(Math.max(edge, -Number.MAX_VALUE), Number.MAX_VALUE);
}

/** The bin of `value`: the first edge ≥ it; `thresholds.length` above them all; NaN → missing. */
export function binOf(thresholds: Float64Array, value: number): number {
  if (value !== value) return thresholds.length + 1;
  let lo = 0;
  let hi = thresholds.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (value <= thresholds[mid]) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

export interface BinnedColumns {
  /** Bin codes, column-major: column j's `rows` codes start at j·rows. */
  readonly codes: Uint8Array;
  readonly rows: number;
  readonly cols: number;
  /** Per column, its bin edges; bins 0..edges.length hold values, bin edges.length + 1 is missing. */
  readonly thresholds: readonly Float64Array[];
  /** Columns with one value (or none) and nothing else: nothing to split. */
  readonly constant: readonly boolean[];
}

/** Columns read from the row-major input at once: one or two cache lines of each row per pass. */
const COLUMN_BLOCK = 8;
/** Up to this many distinct values are found by a linear scan instead of a sort. */
const FEW_DISTINCT = 8;

/**
 * Bins the chosen rows (ascending indexes into the row-major `x`) of every column, edges learnt
 * from those rows alone, as scikit-learn bins its training part only.
 */
export function binColumns(
  x: Float64Array,
  cols: number,
  rowIndexes: Uint32Array,
  maxBins: number,
): BinnedColumns {
  const rows = rowIndexes.length;
  const codes = new Uint8Array(rows * cols);
  const thresholds: Float64Array[] = [];
  const constant: boolean[] = [];
  const block = new Float64Array(rows * Math.min(COLUMN_BLOCK, cols));
  const values = new Float64Array(rows);
  const few = new Float64Array(FEW_DISTINCT);
  // Edges padded with +∞ to a power of two for the branch-free search below.
  const padded = new Float64Array(256);
  for (let j0 = 0; j0 < cols; j0 += COLUMN_BLOCK) {
    const width = Math.min(COLUMN_BLOCK, cols - j0);
    for (let i = 0; i < rows; i++) {
      const at = rowIndexes[i] * cols + j0;
      for (let q = 0; q < width; q++) block[q * rows + i] = x[at + q];
    }
    for (let q = 0; q < width; q++) {
      const column = block.subarray(q * rows, (q + 1) * rows);
      let m = 0;
      let distinct = 0;
      for (let i = 0; i < rows; i++) {
        const v = column[i];
        if (v !== v) continue;
        values[m++] = v;
        if (distinct > FEW_DISTINCT) continue;
        let seen = false;
        for (let d = 0; d < distinct && !seen; d++) seen = few[d] === v;
        if (!seen) {
          if (distinct < FEW_DISTINCT) few[distinct] = v;
          distinct++;
        }
      }
      // Few distinct values (one-hot columns) need no sort of every row; quantile edges do.
      const sorted =
        distinct <= FEW_DISTINCT && distinct <= maxBins
          ? few.slice(0, distinct).sort()
          : values.subarray(0, m).sort();
      const edges = binThresholds(sorted, maxBins);
      thresholds.push(edges);
      constant.push(edges.length === 0 && (m === rows || m === 0));
      writeCodes(column, edges, padded, codes.subarray((j0 + q) * rows, (j0 + q + 1) * rows));
    }
  }
  return { codes, rows, cols, thresholds, constant };
}

/** binOf for a whole column, by a branch-free binary search (3× faster than branching). */
function writeCodes(
  column: Float64Array,
  edges: Float64Array,
  padded: Float64Array,
  out: Uint8Array,
): void {
  let size = 1;
  while (size < edges.length + 1) size *= 2;
  padded.fill(Infinity, 0, size);
  padded.set(edges);
  const missing = edges.length + 1;
  for (let i = 0; i < column.length; i++) {
    const v = column[i];
    if (v !== v) {
      out[i] = missing;
      continue;
    }
    // pos ends as the number of edges < v: the first edge ≥ v, as binOf.
    let pos = 0;
    for (let step = size >>> 1; step > 0; step >>>= 1)
      pos += step & -Number(padded[pos + step - 1] < v);
    out[i] = pos;
  }
}
