import { signedLog1p } from '../common/signed-log1p.util';
import { DatasetTable } from '../dataset/dataset-table.util';
import { categoryOf } from '../dataset/feature-stats.util';
import { RawFeatures, RawValue } from '../features/raw-features.util';
import type {
  FittedCategoricalFeature,
  FittedNumericFeature,
  FittedTransformation,
} from './fit-transformation.util';

/**
 * Serving and training share these encoders value by value: `transformFeatures` (one lead) and
 * `transformTable` (a matrix) differ only in where the values come from, so a model never sees at
 * serve time an encoding it was not trained on.
 */

interface NumericStep {
  readonly feature: FittedNumericFeature;
  readonly offset: number;
}

interface CategoricalStep {
  readonly feature: FittedCategoricalFeature;
  readonly offset: number;
  readonly width: number;
  readonly levelAt: ReadonlyMap<string, number>;
  /** Position of the (other) / (missing) output within the feature's outputs; −1 for none. */
  readonly otherAt: number;
  readonly missingAt: number;
}

type Step = NumericStep | CategoricalStep;

interface Plan {
  readonly width: number;
  readonly steps: readonly Step[];
}

// The fitted object is plain JSON (no Maps), so level lookups are built once per object here.
const plans = new WeakMap<FittedTransformation, Plan>();

function planOf(fitted: FittedTransformation): Plan {
  let plan = plans.get(fitted);
  if (plan) return plan;
  let offset = 0;
  const steps: Step[] = fitted.features.map((feature) => {
    const at = offset;
    if (feature.kind === 'numeric') {
      offset += feature.missingIndicator ? 2 : 1;
      return { feature, offset: at };
    }
    const levels = feature.levels.length;
    const width = levels + (feature.other ? 1 : 0) + (feature.missing ? 1 : 0);
    offset += width;
    return {
      feature,
      offset: at,
      width,
      levelAt: new Map(feature.levels.map((level, i) => [level, i])),
      otherAt: feature.other ? levels : -1,
      missingAt: feature.missing ? width - 1 : -1,
    };
  });
  if (offset !== fitted.outputNames.length) {
    throw new Error(
      `fitted transformation is inconsistent: ${offset} outputs, ${fitted.outputNames.length} names`,
    );
  }
  plan = { width: offset, steps };
  plans.set(fitted, plan);
  return plan;
}

function encode(step: Step, value: RawValue, out: Float64Array, at: number): void {
  if ('levelAt' in step) encodeCategorical(step, value, out, at + step.offset);
  else encodeNumeric(step.feature, value, out, at + step.offset);
}

/** Anything but a finite number is missing: a "42" at serve time is not silently parsed. */
function encodeNumeric(
  feature: FittedNumericFeature,
  value: RawValue,
  out: Float64Array,
  at: number,
): void {
  const present = typeof value === 'number' && Number.isFinite(value);
  const x = present ? (feature.log1p ? signedLog1p(value) : value) : feature.fill;
  out[at] = (x - feature.center) / feature.scale;
  if (feature.missingIndicator) out[at + 1] = present ? 0 : 1;
}

/**
 * One-hot. A category not kept goes to (other) when there is one, else nowhere (all zeros); a
 * missing value goes to (missing) when training had missing values, else nowhere.
 */
function encodeCategorical(
  step: CategoricalStep,
  value: RawValue,
  out: Float64Array,
  at: number,
): void {
  out.fill(0, at, at + step.width);
  const category = categoryOf(value);
  const index = category === null ? step.missingAt : (step.levelAt.get(category) ?? step.otherAt);
  if (index >= 0) out[at + index] = 1;
}

/** THE serving path: one lead's raw features → its vector. Missing keys count as null. */
export function transformFeatures(
  fitted: FittedTransformation,
  raw: RawFeatures,
  out?: Float64Array,
): Float64Array {
  const plan = planOf(fitted);
  const vector = out ?? new Float64Array(plan.width);
  if (vector.length !== plan.width) {
    throw new RangeError(`out has ${vector.length} slots; the transformation has ${plan.width}`);
  }
  for (const step of plan.steps) {
    const name = step.feature.name;
    // Own keys only: a feature called `constructor` must not read Object.prototype's.
    encode(step, Object.hasOwn(raw, name) ? (raw[name] ?? null) : null, vector, 0);
  }
  return vector;
}

/**
 * The training path: the rows given (default all) as a row-major matrix rows × cols. Row i is
 * exactly `transformFeatures(fitted, rowFeatures(table, rows[i]))`; a column the table lacks is
 * missing on every row.
 */
export function transformTable(
  fitted: FittedTransformation,
  table: DatasetTable,
  rows?: readonly number[],
): { readonly matrix: Float64Array; readonly rows: number; readonly cols: number } {
  const plan = planOf(fitted);
  const rowCount = rows ? rows.length : table.leadIds.length;
  const cols = plan.width;
  const matrix = new Float64Array(rowCount * cols);
  for (const row of rows ?? []) {
    if (!Number.isInteger(row) || row < 0 || row >= table.leadIds.length) {
      throw new RangeError(`row ${row} is not in a table of ${table.leadIds.length} rows`);
    }
  }
  const columns = new Map(table.columns.map((column) => [column.name, column.values]));
  for (const step of plan.steps) {
    const values = columns.get(step.feature.name);
    for (let r = 0; r < rowCount; r++) {
      const row = rows ? rows[r] : r;
      encode(step, values ? (values[row] ?? null) : null, matrix, r * cols);
    }
  }
  return { matrix, rows: rowCount, cols };
}
