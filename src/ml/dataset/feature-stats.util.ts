import { compareCodeUnits } from '../common/code-unit-order.util';
import { quantileSorted } from '../common/quantile.util';
import { isMissing, RawValue } from '../features/raw-features.util';
import { DatasetTable, FeatureColumn } from './dataset-table.util';

export enum FeatureType {
  NUMERIC = 'NUMERIC',
  CATEGORICAL = 'CATEGORICAL',
  BOOLEAN = 'BOOLEAN',
  TEXT = 'TEXT',
}

export interface NumericSummary {
  readonly mean: number;
  /** Population standard deviation. */
  readonly std: number;
  readonly min: number;
  readonly max: number;
  /** At QUANTILE_POINTS, by linear interpolation (numpy's default). */
  readonly quantiles: readonly { readonly p: number; readonly value: number }[];
}

export interface CategoryCount {
  readonly value: string;
  readonly count: number;
}

export interface FeatureStats {
  readonly name: string;
  readonly type: FeatureType;
  /** Rows. */
  readonly count: number;
  readonly missing: number;
  readonly missingShare: number;
  /** Distinct non-missing values. */
  readonly distinct: number;
  /** NUMERIC with at least one value; otherwise null. */
  readonly numeric: NumericSummary | null;
  /** CATEGORICAL, BOOLEAN and TEXT: up to TOP_CATEGORIES, count desc then value asc. */
  readonly topCategories: readonly CategoryCount[] | null;
}

export const QUANTILE_POINTS = [0, 0.05, 0.25, 0.5, 0.75, 0.95, 1] as const;
export const TOP_CATEGORIES = 20;
/** TEXT needs at least this many values before "mostly distinct" means free text, not ids. */
export const TEXT_MIN_VALUES = 20;
/** ...or values this long on average: nobody picks from a list of paragraphs. */
export const TEXT_MIN_MEAN_LENGTH = 50;

/**
 * The category a value counts as: strings as they are, numbers `String(n)`, booleans
 * 'true'/'false'; missing (null, NaN, ±Infinity) → null.
 */
export function categoryOf(value: RawValue): string | null {
  if (isMissing(value)) return null;
  return typeof value === 'string' ? value : String(value);
}

/**
 * The type of a column from its non-missing values: all booleans → BOOLEAN, all numbers →
 * NUMERIC; otherwise their category strings are free TEXT when mostly distinct (at least
 * TEXT_MIN_VALUES values and more distinct than half of them) or long on average, else
 * CATEGORICAL. A column with no values at all is CATEGORICAL: there is nothing to be numeric about,
 * and as a category it still encodes "missing" (and `describeFeature` reports distinct 0).
 */
export function inferFeatureType(values: readonly RawValue[]): FeatureType {
  let present = 0;
  let allBoolean = true;
  let allNumber = true;
  for (const value of values) {
    if (isMissing(value)) continue;
    present++;
    if (typeof value !== 'boolean') allBoolean = false;
    if (typeof value !== 'number') allNumber = false;
  }
  if (present === 0) return FeatureType.CATEGORICAL;
  if (allBoolean) return FeatureType.BOOLEAN;
  if (allNumber) return FeatureType.NUMERIC;

  const distinct = new Set<string>();
  let totalLength = 0;
  for (const value of values) {
    const category = categoryOf(value);
    if (category === null) continue;
    distinct.add(category);
    totalLength += category.length;
  }
  const mostlyDistinct = present >= TEXT_MIN_VALUES && distinct.size > present / 2;
  return mostlyDistinct || totalLength / present > TEXT_MIN_MEAN_LENGTH
    ? FeatureType.TEXT
    : FeatureType.CATEGORICAL;
}

export function describeFeature(column: FeatureColumn): FeatureStats {
  const { name, values } = column;
  const type = inferFeatureType(values);
  const count = values.length;
  let missing = 0;
  for (const value of values) if (isMissing(value)) missing++;
  const base = { name, type, count, missing, missingShare: count === 0 ? 0 : missing / count };

  if (type === FeatureType.NUMERIC) {
    const sorted = presentNumbers(values).sort();
    let distinct = 0;
    for (let i = 0; i < sorted.length; i++) if (i === 0 || sorted[i] !== sorted[i - 1]) distinct++;
    return { ...base, distinct, numeric: summarize(sorted), topCategories: null };
  }

  const counts = countCategories(values);
  return {
    ...base,
    distinct: counts.size,
    numeric: null,
    topCategories: rankCategories(counts).slice(0, TOP_CATEGORIES),
  };
}

export function describeTable(table: DatasetTable): FeatureStats[] {
  return table.columns.map(describeFeature);
}

/** How many times each category occurs (missing values not counted). */
export function countCategories(values: readonly RawValue[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const value of values) {
    const category = categoryOf(value);
    if (category !== null) counts.set(category, (counts.get(category) ?? 0) + 1);
  }
  return counts;
}

/** Categories by count descending, ties by value (code unit) ascending. */
export function rankCategories(counts: ReadonlyMap<string, number>): CategoryCount[] {
  return [...counts]
    .map(([value, count]) => ({ value, count }))
    .sort((a, b) => b.count - a.count || compareCodeUnits(a.value, b.value));
}

/** The finite numbers among `values`, in a Float64Array (whose `sort()` is numeric). */
export function presentNumbers(values: readonly RawValue[]): Float64Array {
  const out = new Float64Array(values.length);
  let n = 0;
  for (const value of values) {
    if (typeof value === 'number' && Number.isFinite(value)) out[n++] = value;
  }
  return out.subarray(0, n);
}

/** Ascending values → their summary; null when there are none. */
export function summarize(sorted: Float64Array): NumericSummary | null {
  const n = sorted.length;
  if (n === 0) return null;
  let sum = 0;
  for (let i = 0; i < n; i++) sum += sorted[i];
  const mean = sum / n;
  // Two passes: summing squares about the mean avoids the cancellation of E[x²] − E[x]².
  let squares = 0;
  for (let i = 0; i < n; i++) squares += (sorted[i] - mean) ** 2;
  return {
    mean,
    std: Math.sqrt(squares / n),
    min: sorted[0],
    max: sorted[n - 1],
    quantiles: QUANTILE_POINTS.map((p) => ({ p, value: quantileSorted(sorted, p) })),
  };
}
