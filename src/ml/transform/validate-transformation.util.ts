import { FeatureStats, FeatureType } from '../dataset/feature-stats.util';
import { NormalizedTransformation, NUMERIC_FILLS } from './transformation-config.util';

export interface TransformationProblem {
  /** The field, dotted: `features.2`, `numeric.log1p.0`, `categorical.minFrequency`. */
  readonly path: string;
  readonly message: string;
}

export const MIN_FREQUENCY_RANGE = [1, 1e9] as const;
export const MAX_LEVELS_RANGE = [1, 1000] as const;

/**
 * The raw features a transformation uses: those named (or, when none are, every feature that is
 * not TEXT) minus the excluded ones, in name order. Names the stats do not know are left out.
 */
export function selectedFeatures(
  config: NormalizedTransformation,
  stats: readonly FeatureStats[],
): string[] {
  const known = new Map(stats.map((feature) => [feature.name, feature]));
  const excluded = new Set(config.exclude);
  const base =
    config.features ??
    stats.filter((feature) => feature.type !== FeatureType.TEXT).map((feature) => feature.name);
  return [...new Set(base)].filter((name) => known.has(name) && !excluded.has(name)).sort();
}

/**
 * Every bad field of `config` against the dataset described by `stats`, each named by its path.
 * List indexes are positions in the normalized (de-duplicated, sorted) lists; every message also
 * names the feature, so it reads right whatever order the tenant wrote the list in.
 */
export function validateTransformation(
  config: NormalizedTransformation,
  stats: readonly FeatureStats[],
): TransformationProblem[] {
  const problems: TransformationProblem[] = [];
  const known = new Map(stats.map((feature) => [feature.name, feature]));
  const report = (path: string, message: string) => problems.push({ path, message });
  const unknown = (name: string) => `unknown feature ${JSON.stringify(name)}: not in the dataset`;

  config.features?.forEach((name, i) => {
    const feature = known.get(name);
    if (!feature) report(`features.${i}`, unknown(name));
    else if (feature.type === FeatureType.TEXT) {
      report(
        `features.${i}`,
        `${JSON.stringify(name)} is TEXT (free text) and cannot be encoded as a model input`,
      );
    }
  });
  config.exclude.forEach((name, i) => {
    if (!known.has(name)) report(`exclude.${i}`, unknown(name));
  });

  const { numeric, categorical } = config;
  if (!NUMERIC_FILLS.includes(numeric.fill)) {
    report('numeric.fill', `must be one of ${NUMERIC_FILLS.join(', ')}`);
  }
  if (typeof numeric.missingIndicator !== 'boolean') {
    report('numeric.missingIndicator', 'must be true or false');
  }
  if (typeof numeric.standardize !== 'boolean') {
    report('numeric.standardize', 'must be true or false');
  }
  numeric.log1p.forEach((name, i) => {
    const feature = known.get(name);
    if (!feature) report(`numeric.log1p.${i}`, unknown(name));
    // A feature with no values at all has no type to speak of (it is read as CATEGORICAL):
    // asking for its log is harmless, and refusing would fail a config over an empty column.
    else if (feature.type !== FeatureType.NUMERIC && feature.distinct > 0) {
      report(
        `numeric.log1p.${i}`,
        `${JSON.stringify(name)} is ${feature.type}; log1p applies to NUMERIC features only`,
      );
    }
  });

  checkInteger(report, 'categorical.minFrequency', categorical.minFrequency, MIN_FREQUENCY_RANGE);
  checkInteger(report, 'categorical.maxLevels', categorical.maxLevels, MAX_LEVELS_RANGE);

  const usable = selectedFeatures(config, stats).filter(
    (name) => known.get(name)!.type !== FeatureType.TEXT,
  );
  if (usable.length === 0) {
    report('features', 'no feature left to use: every feature is unknown, TEXT or excluded');
  }
  return problems;
}

function checkInteger(
  report: (path: string, message: string) => void,
  path: string,
  value: number,
  [min, max]: readonly [number, number],
): void {
  if (!Number.isInteger(value) || value < min || value > max) {
    report(path, `must be an integer from ${min} to ${max}`);
  }
}
