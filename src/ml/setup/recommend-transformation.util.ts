import { compareCodeUnits } from '../common/code-unit-order.util';
import {
  DEFAULT_TRANSFORMATION,
  NormalizedTransformation,
} from '../transform/transformation-config.util';
import { ColumnRole } from './column-role.util';
import { ColumnProfile, DatasetProfile } from './profile-dataset.util';
import { fixed, SetupFlag } from './screen-leakage.util';

/** One decision of the proposal, for people: the field, what it is set to, and why. */
export interface SetupChoice {
  readonly field: string;
  readonly value: unknown;
  readonly reason: string;
}

export interface FeatureDecision {
  readonly name: string;
  readonly role: ColumnRole;
  readonly reason: string;
}

export interface TransformationProposal {
  /** Null when no column is left to train on. */
  readonly config: NormalizedTransformation | null;
  readonly included: readonly FeatureDecision[];
  readonly excluded: readonly FeatureDecision[];
  readonly choices: readonly SetupChoice[];
}

/** A numeric feature this skewed, with this many values, goes through log1p. */
export const LOG1P_MIN_SKEWNESS = 2;
export const LOG1P_MIN_DISTINCT = 10;

const ROLE_EXCLUSIONS: Partial<Record<ColumnRole, string>> = {
  [ColumnRole.LABEL]: 'a copy of the label: the model would only learn the answer',
  [ColumnRole.IDENTIFIER]: 'an identifier: unique per row, nothing in it holds for a new lead',
  [ColumnRole.CONSTANT]: 'constant: it cannot tell one lead from another',
  [ColumnRole.FREE_TEXT]: 'free text: the transformation has no encoding for it',
  [ColumnRole.DATE]: 'a date, read as text: as a model input it would be a level per day',
};

/**
 * The transformation to propose: every NUMERIC and CATEGORICAL column that no POSSIBLE_LEAKAGE or
 * PROPOSE_REMOVAL flag names, listed in `features` (so a column added later is not taken in
 * unseen), every other column in `exclude`, each with its reason; log1p for long-tailed numbers;
 * the project's defaults elsewhere, each said why. Written normalized (the shape
 * `normalizeTransformation` returns, lists sorted), so it is stored and validated as it is.
 */
export function recommendTransformation(
  profile: DatasetProfile,
  flags: readonly SetupFlag[],
): TransformationProposal {
  const flagOf = new Map<string, SetupFlag>();
  for (const flag of flags) if (!flagOf.has(flag.column)) flagOf.set(flag.column, flag);
  const included: FeatureDecision[] = [];
  const excluded: FeatureDecision[] = [];
  const columns = profile.columns
    .filter((column) => column.kind === 'FEATURE')
    .sort((a, b) => compareCodeUnits(a.name, b.name));
  for (const column of columns) {
    const { name, role } = column;
    const flag = flagOf.get(name);
    const byRole = ROLE_EXCLUSIONS[role];
    if (flag) {
      excluded.push({ name, role, reason: `${flag.message} (${flag.reason})` });
    } else if (byRole) {
      excluded.push({ name, role, reason: `${byRole} (${column.roleReason})` });
    } else {
      included.push({ name, role, reason: inclusionReason(column) });
    }
  }
  if (included.length === 0) return { config: null, included, excluded, choices: [] };

  const byName = new Map(columns.map((column) => [column.name, column]));
  const numeric = included
    .filter((feature) => feature.role === ColumnRole.NUMERIC)
    .map((feature) => byName.get(feature.name)!);
  const categorical = included
    .filter((feature) => feature.role === ColumnRole.CATEGORICAL)
    .map((feature) => byName.get(feature.name)!);
  const choices: SetupChoice[] = [];

  const log1p = numeric.filter(
    (column) =>
      Math.abs(column.numeric!.skewness) >= LOG1P_MIN_SKEWNESS &&
      column.distinct >= LOG1P_MIN_DISTINCT,
  );
  choices.push({
    field: 'numeric.log1p',
    value: log1p.map((column) => column.name),
    reason:
      log1p.length === 0
        ? `no numeric feature has a long tail (|skewness| ≥ ${LOG1P_MIN_SKEWNESS} with ${LOG1P_MIN_DISTINCT}+ values)`
        : `long tails (|skewness| ≥ ${LOG1P_MIN_SKEWNESS}): ${log1p
            .map((column) => `${column.name} ${column.numeric!.skewness.toFixed(1)}`)
            .join(', ')}; sign(x)·log1p(|x|) keeps a few huge values from setting the scale`,
  });

  const withMissing = numeric.filter((column) => column.missingShare > 0);
  const defaults = DEFAULT_TRANSFORMATION;
  choices.push(
    {
      field: 'numeric.fill',
      value: defaults.numeric.fill,
      reason: 'the median: a long tail does not pull it, as it would the mean',
    },
    {
      field: 'numeric.missingIndicator',
      value: defaults.numeric.missingIndicator,
      reason:
        withMissing.length === 0
          ? 'no numeric feature has missing values here, but a live lead may lack one: the indicator costs nothing until then'
          : `missing values in ${withMissing.map((column) => column.name).join(', ')}: whether a value is missing can itself tell`,
    },
    {
      field: 'numeric.standardize',
      value: defaults.numeric.standardize,
      reason: 'one scale for every input, so the L2 penalty and the explanations weigh them alike',
    },
  );

  const widest = [...categorical].sort((a, b) => b.distinct - a.distinct)[0];
  const maxLevels = defaults.categorical.maxLevels;
  choices.push(
    {
      field: 'categorical.minFrequency',
      value: defaults.categorical.minFrequency,
      reason: `a level seen fewer than ${defaults.categorical.minFrequency} times in training has no rate to learn: it joins (other)`,
    },
    {
      field: 'categorical.maxLevels',
      value: maxLevels,
      reason: !widest
        ? 'no categorical feature'
        : widest.distinct <= maxLevels
          ? `the most levels of any feature is ${widest.distinct} (${widest.name}), within ${maxLevels}: every frequent level kept`
          : `${widest.name} has ${widest.distinctCapped ? 'over ' : ''}${widest.distinct} levels: the ${maxLevels} most frequent kept, the rest join (other)`,
    },
  );

  const config: NormalizedTransformation = {
    features: included.map((feature) => feature.name),
    exclude: excluded.map((feature) => feature.name),
    numeric: {
      fill: defaults.numeric.fill,
      missingIndicator: defaults.numeric.missingIndicator,
      log1p: log1p.map((column) => column.name),
      standardize: defaults.numeric.standardize,
    },
    categorical: { minFrequency: defaults.categorical.minFrequency, maxLevels },
  };
  return { config, included, excluded, choices };
}

function inclusionReason(column: ColumnProfile): string {
  const auc =
    column.singleFeatureAuc === null ? '' : `, AUC alone ${fixed(column.singleFeatureAuc)}`;
  const drop =
    column.dropColumnImportance === null
      ? ''
      : `, the quick model loses ${fixed(column.dropColumnImportance)} without it`;
  return `${column.role === ColumnRole.NUMERIC ? 'numeric' : 'categorical'} (${column.roleReason})${auc}${drop}`;
}
