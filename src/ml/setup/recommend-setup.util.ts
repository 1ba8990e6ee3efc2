import { NormalizedTransformation } from '../transform/transformation-config.util';
import { ColumnRole } from './column-role.util';
import { count, DatasetProfile } from './profile-dataset.util';
import { ModelProposal, recommendModel } from './recommend-model.util';
import {
  FeatureDecision,
  recommendTransformation,
  SetupChoice,
} from './recommend-transformation.util';
import { SetupFlag } from './screen-leakage.util';

export interface SetupRecommendation {
  /** Where it comes from; an AI second opinion would carry another. */
  readonly source: 'DETERMINISTIC';
  /** Normalized and ready for `validateTransformation`; null when no column is left to use. */
  readonly transformation: NormalizedTransformation | null;
  readonly included: readonly FeatureDecision[];
  readonly excluded: readonly FeatureDecision[];
  readonly transformationChoices: readonly SetupChoice[];
  /** Null with the transformation. */
  readonly model: ModelProposal | null;
  readonly notes: readonly string[];
}

/**
 * A proposal to train with, from the profile and the screen's flags: the transformation
 * (`recommendTransformation`) and the model type with its params (`recommendModel`), every choice
 * with its reason. Pure: the same profile and flags give the same proposal, to the byte.
 */
export function recommendSetup(
  profile: DatasetProfile,
  flags: readonly SetupFlag[],
): SetupRecommendation {
  const transformation = recommendTransformation(profile, flags);
  const base = {
    source: 'DETERMINISTIC' as const,
    transformation: transformation.config,
    included: transformation.included,
    excluded: transformation.excluded,
    transformationChoices: transformation.choices,
  };
  if (transformation.config === null) {
    return {
      ...base,
      model: null,
      notes: [
        'no column is left to train on: every one is flagged, an identifier, a constant, free text or a date',
      ],
    };
  }
  const levels = new Map(
    profile.columns
      .filter((column) => column.kind === 'FEATURE')
      .map((column) => [column.name, column.distinct]),
  );
  const categoricalLevels = Math.max(
    0,
    ...transformation.included
      .filter((feature) => feature.role === ColumnRole.CATEGORICAL)
      .map((feature) => levels.get(feature.name)!),
  );
  const notes = profile.sample.sampled
    ? [
        `measured on a sample of ${count(profile.sample.rows)} of ${count(profile.rows)} rows; the counts behind each choice are the whole table's`,
      ]
    : [];
  return { ...base, model: recommendModel(profile, categoricalLevels), notes };
}
