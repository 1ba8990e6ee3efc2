import { categoryOf } from '../dataset/feature-stats.util';
import { RawValue } from '../features/raw-features.util';
import { FittedTransformation, OTHER_LEVEL } from '../transform/transformation.util';
import { categoricalPsi, numericPsi, PsiBin } from './psi.util';

/**
 * Below this many rows on either side nothing is flagged (PSI is still reported): a handful of
 * open leads fills ten decile bins by chance, and a daily check would flag (and retrain) on noise.
 */
export const MIN_ROWS_TO_FLAG = 30;

/** A raw feature a model uses, as its fitted transformation sees it. */
export interface DriftFeature {
  readonly name: string;
  readonly kind: 'numeric' | 'categorical';
  /** Categorical: the levels the model kept (any other category is binned as `(other)`). */
  readonly levels: readonly string[];
}

export function driftFeaturesOf(fitted: Pick<FittedTransformation, 'features'>): DriftFeature[] {
  return fitted.features.map((feature) =>
    feature.kind === 'numeric'
      ? { name: feature.name, kind: 'numeric', levels: [] }
      : { name: feature.name, kind: 'categorical', levels: [...feature.levels] },
  );
}

export interface FeatureDriftResult {
  readonly name: string;
  readonly kind: DriftFeature['kind'];
  readonly psi: number;
  readonly bins: readonly PsiBin[];
  readonly flagged: boolean;
}

export interface ScoreDriftResult {
  readonly psi: number;
  readonly bins: readonly PsiBin[];
  readonly flagged: boolean;
}

export interface ModelDriftInput {
  readonly features: readonly DriftFeature[];
  /** The training rows' values, one column per feature in `features` order. */
  readonly baseline: readonly (readonly RawValue[])[];
  /** The open leads' values, likewise. */
  readonly current: readonly (readonly RawValue[])[];
  /** The model's scores (0–100) of the same rows. */
  readonly baselineScores: readonly number[];
  readonly currentScores: readonly number[];
  /** A PSI above this is flagged. */
  readonly threshold: number;
}

export interface ModelDriftResult {
  readonly features: readonly FeatureDriftResult[];
  readonly score: ScoreDriftResult;
  readonly flaggedFeatures: readonly string[];
  /** The largest feature PSI (0 without features). */
  readonly maxFeaturePsi: number;
  /** A feature or the score flagged. */
  readonly flagged: boolean;
  /** False when a side has fewer than MIN_ROWS_TO_FLAG rows: nothing is flagged then. */
  readonly flaggable: boolean;
}

/**
 * PSI per feature, training rows the baseline, binned as the model reads the feature: a numeric
 * one at the baseline's deciles (deciles are unchanged by log1p and standardizing, so raw values
 * bin as transformed ones would; a value that is not a number is missing, as the model takes it);
 * a categorical one by the levels the model kept, every other category in `(other)` — a category
 * the model never learnt is drift even when the model has no `(other)` input for it. The score
 * distribution the same way, as a numeric feature.
 */
export function computeModelDrift(input: ModelDriftInput): ModelDriftResult {
  const { features, baseline, current, threshold } = input;
  if (baseline.length !== features.length || current.length !== features.length)
    throw new RangeError(`expected one column per feature (${features.length})`);
  const flaggable =
    input.baselineScores.length >= MIN_ROWS_TO_FLAG &&
    input.currentScores.length >= MIN_ROWS_TO_FLAG;
  const isFlagged = (psi: number) => flaggable && psi > threshold;

  const results = features.map((feature, j): FeatureDriftResult => {
    const { psi, bins } = featurePsi(feature, baseline[j], current[j]);
    return { name: feature.name, kind: feature.kind, psi, bins, flagged: isFlagged(psi) };
  });
  const scorePsi = numericPsi(input.baselineScores, input.currentScores);
  const score = { psi: scorePsi.psi, bins: scorePsi.bins, flagged: isFlagged(scorePsi.psi) };
  const flaggedFeatures = results.filter((result) => result.flagged).map((result) => result.name);
  return {
    features: results,
    score,
    flaggedFeatures,
    maxFeaturePsi: results.reduce((max, result) => Math.max(max, result.psi), 0),
    flagged: flaggedFeatures.length > 0 || score.flagged,
    flaggable,
  };
}

function featurePsi(
  feature: DriftFeature,
  baseline: readonly RawValue[],
  current: readonly RawValue[],
): { psi: number; bins: readonly PsiBin[] } {
  if (feature.kind === 'numeric') return numericPsi(numbersOf(baseline), numbersOf(current));
  const levels = new Set(feature.levels);
  const level = (value: RawValue): string | null => {
    const category = categoryOf(value);
    return category === null || levels.has(category) ? category : OTHER_LEVEL;
  };
  const { psi, bins } = categoricalPsi(baseline.map(level), current.map(level));
  return { psi, bins };
}

function numbersOf(values: readonly RawValue[]): (number | null)[] {
  return values.map((value) =>
    typeof value === 'number' && Number.isFinite(value) ? value : null,
  );
}
