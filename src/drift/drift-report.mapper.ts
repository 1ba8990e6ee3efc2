import type { ModelDriftReportModel } from './models/drift.models';
import type { DriftReport } from './schemas/drift-report.schema';

export function toModelDriftReportModel(report: DriftReport): ModelDriftReportModel {
  return {
    id: report._id.toHexString(),
    modelId: report.modelId,
    modelVersion: report.modelVersion,
    modelType: report.modelType,
    deployed: report.deployed,
    datasetVersionId: report.datasetVersionId.toHexString(),
    trigger: report.trigger,
    requestedBy: report.requestedBy,
    threshold: report.threshold,
    flagged: report.flagged,
    flaggedFeatures: report.flaggedFeatures,
    maxFeaturePsi: report.maxFeaturePsi,
    features: report.features.map((feature) => ({ ...feature, bins: [...feature.bins] })),
    score: { ...report.score, bins: [...report.score.bins] },
    baselineRows: report.baselineRows,
    versionRows: report.versionRows,
    currentRows: report.currentRows,
    openLeads: report.openLeads,
    notes: report.notes,
    retraining: report.retraining ? { ...report.retraining } : null,
    computedAt: report.computedAt,
  };
}
