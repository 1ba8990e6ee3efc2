import { compareCodeUnits } from '../common/code-unit-order.util';
import { quantileSorted } from '../common/quantile.util';
import { categoryOf } from '../dataset/feature-stats.util';
import { isMissing, RawValue } from '../features/raw-features.util';

/**
 * A share of 0 is taken as this: PSI has ln(a/e), and one empty bin on either side would make it
 * infinite (or NaN), drowning every other bin. 1e-4 (one row in 10,000) keeps an emptied or new
 * bin a large but finite contribution, about 0.25·ln(0.25/1e-4) ≈ 2 for a quarter of the rows.
 */
export const PSI_FLOOR = 1e-4;
export const MISSING_BIN = '(missing)';

/** Σ (a − e)·ln(a / e) over the bins, each share floored at PSI_FLOOR. */
export function psiFromShares(expected: readonly number[], actual: readonly number[]): number {
  if (expected.length !== actual.length) {
    throw new RangeError(`${expected.length} expected shares but ${actual.length} actual ones`);
  }
  let psi = 0;
  for (let i = 0; i < expected.length; i++) {
    const e = Math.max(expected[i], PSI_FLOOR);
    const a = Math.max(actual[i], PSI_FLOOR);
    psi += (a - e) * Math.log(a / e);
  }
  return psi;
}

export interface PsiBin {
  readonly label: string;
  /** Exclusive; null: open below (and for category and missing bins). */
  readonly lower: number | null;
  /** Inclusive; null: open above (and for category and missing bins). */
  readonly upper: number | null;
  readonly expectedShare: number;
  readonly actualShare: number;
}

/**
 * `psi` is 0 when either side has no rows at all: there is no distribution to compare, and a
 * number is easier on every consumer than NaN.
 */
export interface PsiResult {
  readonly psi: number;
  readonly bins: readonly PsiBin[];
}

/**
 * PSI of `current` against `baseline` over bins cut at the baseline's deciles (or `bins`-iles),
 * keeping unique edges only, so a baseline with repeated values gives fewer bins. Intervals are
 * (lower, upper]; the first is open below and the last open above, so every value lands in one.
 * Missing values (null, NaN, ±Infinity) have a bin of their own, "(missing)", when either side has
 * any. Shares are of all the side's values, missing included.
 */
export function numericPsi(
  baseline: readonly (number | null)[],
  current: readonly (number | null)[],
  bins = 10,
): PsiResult {
  if (!Number.isInteger(bins) || bins < 1) throw new RangeError(`bins must be a positive integer`);
  const sorted = finiteNumbers(baseline).sort();
  const edges: number[] = [];
  if (sorted.length > 0) {
    for (let k = 1; k < bins; k++) {
      const edge = quantileSorted(sorted, k / bins);
      if (edges.length === 0 || edge > edges[edges.length - 1]) edges.push(edge);
    }
  }

  const expected = binCounts(baseline, edges);
  const actual = binCounts(current, edges);
  const labels: PsiBinShape[] = [];
  for (let i = 0; i <= edges.length; i++) {
    const lower = i === 0 ? null : edges[i - 1];
    const upper = i === edges.length ? null : edges[i];
    const label = `(${lower === null ? '-inf' : lower}, ${upper === null ? '+inf)' : `${upper}]`}`;
    labels.push({ label, lower, upper });
  }
  const withMissing = expected.missing > 0 || actual.missing > 0;
  if (withMissing) labels.push({ label: MISSING_BIN, lower: null, upper: null });
  const expectedCounts = withMissing ? [...expected.counts, expected.missing] : expected.counts;
  const actualCounts = withMissing ? [...actual.counts, actual.missing] : actual.counts;
  return resultOf(labels, expectedCounts, baseline.length, actualCounts, current.length);
}

/**
 * PSI over categories (`categoryOf`) seen on either side, in code-unit order, "(missing)" last
 * when either side has a missing value. `newCategories` are in `current` only, `vanishedCategories`
 * in `baseline` only.
 */
export function categoricalPsi(
  baseline: readonly RawValue[],
  current: readonly RawValue[],
): PsiResult & { readonly newCategories: string[]; readonly vanishedCategories: string[] } {
  const expected = categoryCounts(baseline);
  const actual = categoryCounts(current);
  const categories = [...new Set([...expected.counts.keys(), ...actual.counts.keys()])].sort(
    compareCodeUnits,
  );
  const labels: PsiBinShape[] = categories.map((label) => ({ label, lower: null, upper: null }));
  const expectedCounts = categories.map((category) => expected.counts.get(category) ?? 0);
  const actualCounts = categories.map((category) => actual.counts.get(category) ?? 0);
  // Counted apart from the categories, so a real category spelled "(missing)" does not merge in.
  if (expected.missing > 0 || actual.missing > 0) {
    labels.push({ label: MISSING_BIN, lower: null, upper: null });
    expectedCounts.push(expected.missing);
    actualCounts.push(actual.missing);
  }
  return {
    ...resultOf(labels, expectedCounts, baseline.length, actualCounts, current.length),
    newCategories: categories.filter((c) => !expected.counts.has(c)),
    vanishedCategories: categories.filter((c) => !actual.counts.has(c)),
  };
}

type PsiBinShape = Pick<PsiBin, 'label' | 'lower' | 'upper'>;

function resultOf(
  shapes: readonly PsiBinShape[],
  expectedCounts: ArrayLike<number>,
  expectedTotal: number,
  actualCounts: ArrayLike<number>,
  actualTotal: number,
): PsiResult {
  const bins = shapes.map((shape, i) => ({
    ...shape,
    expectedShare: expectedTotal === 0 ? 0 : expectedCounts[i] / expectedTotal,
    actualShare: actualTotal === 0 ? 0 : actualCounts[i] / actualTotal,
  }));
  const psi =
    expectedTotal === 0 || actualTotal === 0
      ? 0
      : psiFromShares(
          bins.map((bin) => bin.expectedShare),
          bins.map((bin) => bin.actualShare),
        );
  return { psi, bins };
}

function finiteNumbers(values: readonly (number | null)[]): Float64Array {
  const out = new Float64Array(values.length);
  let n = 0;
  for (const value of values) if (!isMissing(value)) out[n++] = value;
  return out.subarray(0, n);
}

/** Counts per bin: bin i holds (edges[i−1], edges[i]], the last everything above the last edge. */
function binCounts(
  values: readonly (number | null)[],
  edges: readonly number[],
): { counts: number[]; missing: number } {
  const counts = new Array<number>(edges.length + 1).fill(0);
  let missing = 0;
  for (const value of values) {
    if (isMissing(value) || typeof value !== 'number') {
      missing++;
      continue;
    }
    // The first edge ≥ value, by bisection.
    let lo = 0;
    let hi = edges.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (edges[mid] < value) lo = mid + 1;
      else hi = mid;
    }
    counts[lo]++;
  }
  return { counts, missing };
}

function categoryCounts(values: readonly RawValue[]): {
  counts: Map<string, number>;
  missing: number;
} {
  const counts = new Map<string, number>();
  let missing = 0;
  for (const value of values) {
    const category = categoryOf(value);
    if (category === null) missing++;
    else counts.set(category, (counts.get(category) ?? 0) + 1);
  }
  return { counts, missing };
}
