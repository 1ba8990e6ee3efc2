import type { DatasetProfile } from '@/ml/setup/profile-dataset.util';
import type { ModelProposal } from '@/ml/setup/recommend-model.util';
import type { SetupRecommendation } from '@/ml/setup/recommend-setup.util';
import { modelParams } from '@/ml/train/model-params.util';

import type { SetupAdvice } from './setup-advice-schema.util';

/** A recommendation from either source, the same shape side by side. */
export type SourcedRecommendation = Omit<SetupRecommendation, 'source'> & {
  readonly source: 'DETERMINISTIC' | 'AI';
};

export type AdvisedRecommendation = Omit<SetupRecommendation, 'source'> & {
  readonly source: 'AI';
};

/**
 * The model's second opinion as a recommendation of the same shape as the deterministic one: its
 * transformation is the deterministic one without the columns the model would also leave out
 * (the model can add exclusions, never take back a flag), and its model type with that type's
 * params (the deterministic ones when it agrees on the type, else the trainer's defaults with the
 * profile's seed where the type has one).
 */
export function advisedRecommendation(
  profile: DatasetProfile,
  deterministic: SetupRecommendation,
  advice: SetupAdvice,
): AdvisedRecommendation {
  const config = deterministic.transformation;
  const dropped = new Map(
    advice.excludeColumns
      .filter((entry) => config?.features?.includes(entry.column))
      .map((entry) => [entry.column, entry]),
  );
  const notes = [...advice.notes];
  const alsoExcluded = advice.excludeColumns.filter((entry) => !dropped.has(entry.column));
  if (alsoExcluded.length > 0)
    notes.push(
      `also named by the model, already left out: ${alsoExcluded.map((entry) => entry.column).join(', ')}`,
    );
  const included = deterministic.included.filter((feature) => !dropped.has(feature.name));
  const excluded = [
    ...deterministic.excluded,
    ...deterministic.included
      .filter((feature) => dropped.has(feature.name))
      .map((feature) => {
        const entry = dropped.get(feature.name)!;
        return {
          name: feature.name,
          role: feature.role,
          reason: `${entry.concern}: ${entry.reason}`,
        };
      }),
  ].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  if (!config || included.length === 0) {
    return {
      source: 'AI',
      transformation: null,
      included,
      excluded,
      transformationChoices: deterministic.transformationChoices,
      model: null,
      notes: [...notes, 'no column is left to train on once the exclusions are made'],
    };
  }
  const features = included.map((feature) => feature.name);
  const log1p = config.numeric.log1p.filter((name) => features.includes(name));
  return {
    source: 'AI',
    transformation: {
      ...config,
      features,
      exclude: excluded.map((feature) => feature.name),
      numeric: { ...config.numeric, log1p },
    },
    included,
    excluded,
    transformationChoices: deterministic.transformationChoices.map((choice) =>
      choice.field === 'numeric.log1p' ? { ...choice, value: log1p } : choice,
    ),
    model: advisedModel(profile, deterministic.model, advice),
    notes,
  };
}

function advisedModel(
  profile: DatasetProfile,
  deterministic: ModelProposal | null,
  advice: SetupAdvice,
): ModelProposal {
  if (deterministic && deterministic.type === advice.modelType)
    return { ...deterministic, reason: advice.modelReason };
  const seeded = advice.modelType === 'GRADIENT_BOOSTING' ? { seed: profile.sample.seed } : {};
  return {
    type: advice.modelType,
    params: modelParams(advice.modelType, seeded).params,
    reason: advice.modelReason,
    choices: [],
  };
}
