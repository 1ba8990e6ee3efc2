import type { ModelProposal } from '@/ml/setup/recommend-model.util';
import type { SetupChoice } from '@/ml/setup/recommend-transformation.util';
import type { SetupFlag } from '@/ml/setup/screen-leakage.util';
import type { TrainableModelType } from '@/training/dto/training.inputs';

import type { SourcedRecommendation } from './advice/advised-recommendation.util';
import type {
  AucMethod,
  AucOrientation,
  ColumnKind,
  DatasetProfileResultModel,
  SetupFlagKind,
  SetupFlagModel,
} from './models/dataset-profile.models';
import type {
  AppliedSetupModel,
  ModelProposalModel,
  SetupChoiceModel,
  SetupRecommendationModel,
} from './models/setup-recommendation.models';
import { AppliedSetup, DatasetProfileRecord, SetupSource } from './schemas/dataset-profile.schema';

export function toProfileResult(record: DatasetProfileRecord): DatasetProfileResultModel {
  const profile = record.profile;
  return {
    versionId: record.versionId.toHexString(),
    status: record.status,
    queued: record.queued,
    profile: profile && {
      rows: profile.rows,
      positives: profile.positives,
      sampleRows: profile.sample.rows,
      sampled: profile.sample.sampled,
      seed: profile.sample.seed,
      split: profile.split && { ...profile.split },
      quickModel: { ...profile.quickModel, features: [...profile.quickModel.features] },
      columns: profile.columns.map((column) => ({
        ...column,
        kind: column.kind as ColumnKind,
        aucMethod: column.aucMethod as AucMethod | null,
        orientation: column.orientation as AucOrientation | null,
        numeric: column.numeric && { ...column.numeric },
      })),
      notes: [...profile.notes],
    },
    flags: (record.flags ?? []).map(toFlagModel),
    error: record.error,
    durationMs: record.durationMs,
    requestedAt: record.createdAt,
    finishedAt: record.finishedAt,
  };
}

export function toFlagModel(flag: SetupFlag): SetupFlagModel {
  return {
    ...flag,
    kind: flag.kind as SetupFlagKind,
    evidence: flag.evidence && { ...flag.evidence },
  };
}

export function toRecommendationModel(
  recommendation: SourcedRecommendation,
): SetupRecommendationModel {
  return {
    source: recommendation.source as SetupSource,
    transformation: recommendation.transformation && {
      ...recommendation.transformation,
      features: recommendation.transformation.features && [
        ...recommendation.transformation.features,
      ],
    },
    included: recommendation.included.map((feature) => ({ ...feature })),
    excluded: recommendation.excluded.map((feature) => ({ ...feature })),
    transformationChoices: recommendation.transformationChoices.map(toChoiceModel),
    model: recommendation.model && toModelProposal(recommendation.model),
    notes: [...recommendation.notes],
  };
}

function toModelProposal(model: ModelProposal): ModelProposalModel {
  return {
    type: model.type as TrainableModelType,
    params: { ...model.params },
    reason: model.reason,
    choices: model.choices.map(toChoiceModel),
  };
}

function toChoiceModel(choice: SetupChoice): SetupChoiceModel {
  return { field: choice.field, value: JSON.stringify(choice.value), reason: choice.reason };
}

export function toAppliedModel(versionId: string, applied: AppliedSetup): AppliedSetupModel {
  return {
    versionId,
    source: applied.source,
    transformation: applied.transformation,
    modelType: applied.modelType as TrainableModelType,
    params: applied.params,
    seed: applied.seed,
    keptFlagged: applied.keptFlagged,
    trainInput: {
      datasetVersionId: versionId,
      modelType: applied.modelType,
      params: applied.params,
      transformation: applied.transformation,
      seed: applied.seed,
    },
    appliedBy: applied.appliedBy,
    appliedAt: applied.appliedAt,
  };
}
