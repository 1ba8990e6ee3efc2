import type { MlModelModel, ModelMetricsModel } from './models/ml-model.models';
import type { MlModel } from './schemas/ml-model.schema';

export function toMetricsModel(metrics: MlModel['metrics']): ModelMetricsModel | null {
  if (!metrics) return null;
  return {
    rows: metrics.rows,
    positives: metrics.positives,
    negatives: metrics.negatives,
    auc: Number.isFinite(metrics.auc) ? metrics.auc : null,
    prAuc: metrics.prAuc,
    logLoss: metrics.logLoss,
    brier: metrics.brier,
    threshold: metrics.threshold,
    accuracy: metrics.accuracy,
    precision: metrics.precision,
    recall: metrics.recall,
    f1: metrics.f1,
    confusion: metrics.confusion,
    liftTopDecile: metrics.liftTopDecile,
  };
}

export function toMlModelModel(model: MlModel): MlModelModel {
  return {
    id: model.modelId,
    version: model.version,
    type: model.type,
    status: model.status,
    params: model.params ?? {},
    transformation: model.transformation,
    datasetVersionId: model.datasetVersionId?.toHexString() ?? null,
    trainingJobId: model.trainingJobId?.toHexString() ?? null,
    seed: model.seed,
    metrics: toMetricsModel(model.metrics),
    split: model.split
      ? {
          ...model.split,
          cutoff: model.split.cutoff === null ? null : new Date(model.split.cutoff),
        }
      : null,
    featureImportance: model.featureImportance,
    notes: model.notes,
    failure: model.failure,
    trainedBy: model.trainedBy,
    trainedAt: model.trainedAt,
    deployedBy: model.deployedBy,
    deployedAt: model.deployedAt,
    retiredAt: model.retiredAt,
  };
}
