import type { FeedbackModel, PastRatingModel } from '@/feedback/models/feedback.models';
import type { MlModelModel } from '@/ml-models/models/ml-model.models';

import type { FeedbackDto, PastRatingDto, ShownScoreDto } from '../dto/feedback.dto';
import type { MlModelDto } from '../dto/ml-model.dto';

/** As lead-score.mapper: the documented fields, named one by one. */
export function toMlModel(m: MlModelModel): MlModelDto {
  const t = m.transformation;
  return {
    id: m.id,
    version: m.version,
    type: m.type,
    status: m.status,
    params: m.params,
    transformation: t && {
      features: t.features,
      exclude: t.exclude,
      numeric: {
        fill: t.numeric.fill,
        missingIndicator: t.numeric.missingIndicator,
        log1p: t.numeric.log1p,
        standardize: t.numeric.standardize,
      },
      categorical: {
        minFrequency: t.categorical.minFrequency,
        maxLevels: t.categorical.maxLevels,
      },
    },
    datasetVersionId: m.datasetVersionId,
    trainingJobId: m.trainingJobId,
    seed: m.seed,
    metrics: m.metrics && {
      rows: m.metrics.rows,
      positives: m.metrics.positives,
      negatives: m.metrics.negatives,
      auc: m.metrics.auc,
      prAuc: m.metrics.prAuc,
      logLoss: m.metrics.logLoss,
      brier: m.metrics.brier,
      threshold: m.metrics.threshold,
      accuracy: m.metrics.accuracy,
      precision: m.metrics.precision,
      recall: m.metrics.recall,
      f1: m.metrics.f1,
      confusion: {
        tp: m.metrics.confusion.tp,
        fp: m.metrics.confusion.fp,
        tn: m.metrics.confusion.tn,
        fn: m.metrics.confusion.fn,
      },
      liftTopDecile: m.metrics.liftTopDecile,
    },
    split: m.split && {
      method: m.split.method,
      cutoff: m.split.cutoff,
      reason: m.split.reason,
      trainRows: m.split.trainRows,
      testRows: m.split.testRows,
    },
    featureImportance: m.featureImportance.map((f) => ({
      feature: f.feature,
      importance: f.importance,
    })),
    notes: m.notes,
    failure: m.failure,
    trainedBy: m.trainedBy,
    trainedAt: m.trainedAt,
    deployedBy: m.deployedBy,
    deployedAt: m.deployedAt,
    retiredAt: m.retiredAt,
  };
}

function toShown(shown: ShownScoreDto | null): ShownScoreDto | null {
  return (
    shown && {
      score: shown.score,
      tier: shown.tier,
      modelId: shown.modelId,
      modelVersion: shown.modelVersion,
      configVersion: shown.configVersion,
    }
  );
}

function toPastRating(r: PastRatingModel): PastRatingDto {
  return {
    rating: r.rating,
    comment: r.comment,
    shown: toShown(r.shown),
    submittedAt: r.submittedAt,
  };
}

export function toFeedback(f: FeedbackModel): FeedbackDto {
  return {
    id: f.id,
    leadId: f.leadId,
    userId: f.userId,
    ...toPastRating(f),
    history: f.history.map(toPastRating),
  };
}
