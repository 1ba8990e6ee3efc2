import { compareCodeUnits } from '../common/code-unit-order.util';
import { quantileSorted } from '../common/quantile.util';
import { signedLog1p } from '../common/signed-log1p.util';
import { DatasetTable, FeatureColumn } from '../dataset/dataset-table.util';
import {
  countCategories,
  describeFeature,
  FeatureStats,
  FeatureType,
  rankCategories,
} from '../dataset/feature-stats.util';
import { isMissing, RawValue } from '../features/raw-features.util';
import { NormalizedTransformation } from './transformation-config.util';
import {
  selectedFeatures,
  TransformationProblem,
  validateTransformation,
} from './validate-transformation.util';

export interface FittedNumericFeature {
  kind: 'numeric';
  name: string;
  log1p: boolean;
  /** Stands in for a missing value, after log1p and before scaling. */
  fill: number;
  /** Whether a `<name>:missing` output follows the value. */
  missingIndicator: boolean;
  center: number;
  scale: number;
}

export interface FittedCategoricalFeature {
  kind: 'categorical';
  name: string;
  /** Kept levels, sorted by code unit: one output each. */
  levels: string[];
  /** Whether a `<name>=(other)` output follows them. */
  other: boolean;
  /** Whether a `<name>=(missing)` output comes last. */
  missing: boolean;
}

export type FittedFeature = FittedNumericFeature | FittedCategoricalFeature;

/**
 * A transformation with everything it learned from the training rows. Plain JSON all through (no
 * Maps, no class instances, no NaN), so it is stored as is and works the same once reloaded.
 */
export interface FittedTransformation {
  readonly config: NormalizedTransformation;
  /** In raw feature name order; their outputs are laid out in this order. */
  readonly features: readonly FittedFeature[];
  readonly outputNames: readonly string[];
  readonly warnings: readonly string[];
}

export const OTHER_LEVEL = '(other)';
export const MISSING_LEVEL = '(missing)';

export class TransformationError extends Error {
  constructor(readonly problems: readonly TransformationProblem[]) {
    super(`invalid transformation: ${problems.map((p) => `${p.path}: ${p.message}`).join('; ')}`);
    this.name = 'TransformationError';
  }
}

/**
 * Learns the statistics (fill values, mean/std for scaling, kept categories) on the rows given —
 * the training rows — and nothing else, so no held-out row leaks into what the model sees. Feature
 * types are inferred on those rows too. Throws a TransformationError when the config does not fit
 * the table (unknown names, a TEXT feature asked for, bad numbers); `validateTransformation` says
 * the same beforehand.
 *
 * `(other)` exists only when some training category was not kept: with every category kept, a
 * level unseen in training gets all zeros, the same as "none of the known levels".
 */
export function fitTransformation(
  config: NormalizedTransformation,
  table: DatasetTable,
  rows?: readonly number[],
): FittedTransformation {
  const rowCount = table.leadIds.length;
  if (rows) {
    for (const row of rows) {
      if (!Number.isInteger(row) || row < 0 || row >= rowCount) {
        throw new RangeError(`row ${row} is not in a table of ${rowCount} rows`);
      }
    }
  }
  if ((rows ?? table.leadIds).length === 0) {
    throw new TransformationError([{ path: 'rows', message: 'no training rows to fit on' }]);
  }

  const training: FeatureColumn[] = table.columns.map((column) => ({
    name: column.name,
    values: rows ? rows.map((row) => column.values[row]) : column.values,
  }));
  const stats = training.map(describeFeature);
  const problems = validateTransformation(config, stats);
  if (problems.length > 0) throw new TransformationError(problems);

  const byName = new Map(training.map((column, c) => [column.name, { column, stats: stats[c] }]));
  const warnings: string[] = [];
  const features = selectedFeatures(config, stats).map((name) => {
    const { column, stats: featureStats } = byName.get(name)!;
    return featureStats.type === FeatureType.NUMERIC
      ? fitNumeric(config, column.values, featureStats, warnings)
      : fitCategorical(config, column.values, featureStats, warnings);
  });

  const outputNames = features.flatMap(outputNamesOf);
  const seen = new Set<string>();
  for (const name of outputNames) {
    if (seen.has(name)) warnings.push(`output name ${JSON.stringify(name)} is used twice`);
    seen.add(name);
  }
  // A copy: the fitted object is stored with its config, and must not change if the caller's does.
  return { config: structuredClone(config), features, outputNames, warnings };
}

export function outputNamesOf(feature: FittedFeature): string[] {
  const { name } = feature;
  if (feature.kind === 'numeric') {
    return feature.missingIndicator ? [name, `${name}:missing`] : [name];
  }
  return [
    ...feature.levels.map((level) => `${name}=${level}`),
    ...(feature.other ? [`${name}=${OTHER_LEVEL}`] : []),
    ...(feature.missing ? [`${name}=${MISSING_LEVEL}`] : []),
  ];
}

function fitNumeric(
  config: NormalizedTransformation,
  values: readonly RawValue[],
  stats: FeatureStats,
  warnings: string[],
): FittedNumericFeature {
  const { name } = stats;
  const log1p = config.numeric.log1p.includes(name);
  const present: number[] = [];
  for (const value of values) {
    if (typeof value === 'number' && Number.isFinite(value)) {
      present.push(log1p ? signedLog1p(value) : value);
    }
  }
  const sorted = Float64Array.from(present).sort();
  const missing = values.length - sorted.length;
  let sum = 0;
  for (const x of sorted) sum += x;

  let fill = 0;
  if (sorted.length > 0 && config.numeric.fill === 'MEDIAN') fill = quantileSorted(sorted, 0.5);
  if (sorted.length > 0 && config.numeric.fill === 'MEAN') fill = sum / sorted.length;

  // Scaling is learned on the values the model will see: the present ones plus the fills.
  const n = values.length;
  const mean = (sum + missing * fill) / n;
  let squares = missing * (fill - mean) ** 2;
  for (const x of sorted) squares += (x - mean) ** 2;
  const std = Math.sqrt(squares / n);
  const constant = sorted[0] === sorted[sorted.length - 1] && (missing === 0 || fill === sorted[0]);
  if (constant) warnings.push(`${name} is constant on the training rows`);

  let center = 0;
  let scale = 1;
  if (config.numeric.standardize) {
    // A constant is centred on itself (exactly 0 out, not float dust) and left unscaled.
    center = constant ? sorted[0] : mean;
    scale = constant || !(std > 0) ? 1 : std;
  }
  return {
    kind: 'numeric',
    name,
    log1p,
    fill,
    missingIndicator: config.numeric.missingIndicator && missing > 0,
    center,
    scale,
  };
}

function fitCategorical(
  config: NormalizedTransformation,
  values: readonly RawValue[],
  stats: FeatureStats,
  warnings: string[],
): FittedCategoricalFeature {
  const { name } = stats;
  const { minFrequency, maxLevels } = config.categorical;
  const counts = countCategories(values);
  const levels = rankCategories(counts)
    .filter((category) => category.count >= minFrequency)
    .slice(0, maxLevels)
    .map((category) => category.value)
    .sort(compareCodeUnits);
  const missing = values.some(isMissing);

  if (counts.size === 0) warnings.push(`${name} has no values on the training rows`);
  else if (counts.size + (missing ? 1 : 0) === 1) {
    warnings.push(`${name} is constant on the training rows`);
  }
  if (levels.length === 0 && counts.size > 0) {
    warnings.push(
      `${name}: no category occurs ${minFrequency} times on the training rows; all are ${OTHER_LEVEL}`,
    );
  }
  return {
    kind: 'categorical',
    name,
    levels,
    other: levels.length < counts.size,
    missing,
  };
}
