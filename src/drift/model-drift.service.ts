import { Injectable, Logger } from '@nestjs/common';

import { ErrorCode } from '@/common/errors/error-code';
import { EventBus } from '@/common/redis/event-bus.service';
import { LifecycleException } from '@/lifecycle/lifecycle.exception';
import { LifecycleSettingsService } from '@/lifecycle/lifecycle-settings.service';
import { RetrainingService } from '@/lifecycle/retraining.service';
import { RetrainingTrigger } from '@/lifecycle/schemas/model-lifecycle.schema';
import type { PsiBin } from '@/ml/drift/psi.util';
import { MlModelsService } from '@/ml-models/ml-models.service';
import { MlModel, MlModelStatus, MlModelType } from '@/ml-models/schemas/ml-model.schema';

import { DriftComputation } from './drift-computation.service';
import { DriftException } from './drift.exception';
import { DriftMetrics } from './drift-metrics.service';
import { toModelDriftReportModel } from './drift-report.mapper';
import { DriftReportsService } from './drift-reports.service';
import { MODEL_DRIFT_DETECTED_TOPIC } from './jobs/drift-queue.constants';
import type { ModelDriftReportModel } from './models/drift.models';
import {
  DriftCheckTrigger,
  DriftFeatureKind,
  DriftReport,
  DriftRetrainingAction,
  StoredDriftBin,
  StoredDriftRetraining,
} from './schemas/drift-report.schema';

/** What travels on MODEL_DRIFT_DETECTED_TOPIC (as JSON: `computedAt` arrives as a string). */
export interface ModelDriftDetectedEvent {
  readonly tenantId: string;
  readonly report: ModelDriftReportModel;
}

/** Statuses of a model with fitted parameters. */
const TRAINED = new Set([MlModelStatus.READY, MlModelStatus.DEPLOYED, MlModelStatus.RETIRED]);

/**
 * Drift checks of a tenant's trained models: computed, stored, and — for the deployed model —
 * told to Prometheus; when flagged, published (`modelDriftDetected`) and, if the tenant retrains
 * on drift, answered with a retraining (trigger DRIFT; skipped while one runs).
 */
@Injectable()
export class ModelDriftService {
  private readonly logger = new Logger(ModelDriftService.name);

  constructor(
    private readonly computation: DriftComputation,
    private readonly reports: DriftReportsService,
    private readonly models: MlModelsService,
    private readonly settings: LifecycleSettingsService,
    private readonly retraining: RetrainingService,
    private readonly metrics: DriftMetrics,
    private readonly events: EventBus,
  ) {}

  /** The latest stored report of the model (default the deployed one); null before any check. */
  async latest(tenantId: string, modelId?: string): Promise<DriftReport | null> {
    const model = await this.trainedModel(
      tenantId,
      modelId ?? (await this.models.deployedId(tenantId)),
    );
    return this.reports.latest(tenantId, model.modelId);
  }

  async check({
    tenantId,
    modelId,
    trigger,
    requestedBy,
  }: {
    tenantId: string;
    modelId?: string;
    trigger: DriftCheckTrigger;
    requestedBy: string | null;
  }): Promise<DriftReport> {
    const deployedId = await this.models.deployedId(tenantId);
    const model = await this.trainedModel(tenantId, modelId ?? deployedId);
    const deployed = model.modelId === deployedId;
    const settings = await this.settings.get(tenantId);
    const computed = await this.computation.compute({
      tenantId,
      model,
      threshold: settings.driftThreshold,
    });
    const { result } = computed;
    const retraining =
      deployed && result.flagged && settings.retrainOnDrift ? await this.retrain(tenantId) : null;
    const report = await this.reports.save(tenantId, {
      modelId: model.modelId,
      modelVersion: model.version,
      modelType: model.type,
      deployed,
      datasetVersionId: model.datasetVersionId!,
      trigger,
      requestedBy,
      threshold: settings.driftThreshold,
      flagged: result.flagged,
      flaggedFeatures: [...result.flaggedFeatures],
      maxFeaturePsi: result.maxFeaturePsi,
      features: result.features.map((feature) => ({
        name: feature.name,
        kind: feature.kind === 'numeric' ? DriftFeatureKind.NUMERIC : DriftFeatureKind.CATEGORICAL,
        psi: feature.psi,
        flagged: feature.flagged,
        bins: feature.bins.map(storedBin),
      })),
      score: {
        psi: result.score.psi,
        flagged: result.score.flagged,
        bins: result.score.bins.map(storedBin),
      },
      baselineRows: computed.baselineRows,
      versionRows: computed.versionRows,
      currentRows: computed.currentRows,
      openLeads: computed.openLeads,
      notes: computed.notes,
      retraining,
      computedAt: new Date(),
    });
    this.logger.log({
      msg: 'model drift checked',
      tenantId,
      modelId: model.modelId,
      reportId: report._id.toHexString(),
      flagged: report.flagged,
      flaggedFeatures: report.flaggedFeatures,
      scorePsi: report.score.psi,
      retraining: report.retraining?.action ?? null,
    });
    if (deployed) {
      this.metrics.record(report);
      if (report.flagged)
        await this.events.publish<ModelDriftDetectedEvent>(MODEL_DRIFT_DETECTED_TOPIC, {
          tenantId,
          report: toModelDriftReportModel(report),
        });
    }
    return report;
  }

  subscribe(): AsyncIterableIterator<ModelDriftDetectedEvent> {
    return this.events.iterator<ModelDriftDetectedEvent>(MODEL_DRIFT_DETECTED_TOPIC);
  }

  /** NOT_FOUND for another tenant's; BAD_USER_INPUT for the weighted sum or an unfitted model. */
  private async trainedModel(tenantId: string, modelId: string): Promise<MlModel> {
    const model = await this.models.get(tenantId, modelId);
    if (model.type === MlModelType.WEIGHTED_SUM) throw DriftException.weightedSum();
    if (!TRAINED.has(model.status) || !model.datasetVersionId || model.paramChunks < 1)
      throw DriftException.notTrained(model.modelId, model.status);
    return model;
  }

  /** Starts a retraining on drift; one already running is recorded as the reason to skip. */
  private async retrain(tenantId: string): Promise<StoredDriftRetraining> {
    try {
      const decision = await this.retraining.requestFor({
        tenantId,
        trigger: RetrainingTrigger.DRIFT,
        requestedBy: null,
      });
      return {
        action: DriftRetrainingAction.STARTED,
        decisionId: decision._id.toHexString(),
        reason: null,
      };
    } catch (error) {
      if (!(error instanceof LifecycleException)) throw error;
      const decisionId =
        typeof error.details.decisionId === 'string' ? error.details.decisionId : null;
      return {
        action:
          error.code === ErrorCode.CONFLICT
            ? DriftRetrainingAction.SKIPPED
            : DriftRetrainingAction.FAILED,
        decisionId,
        reason: error.message,
      };
    }
  }
}

function storedBin(bin: PsiBin): StoredDriftBin {
  return {
    label: bin.label,
    lower: bin.lower,
    upper: bin.upper,
    expectedShare: bin.expectedShare,
    actualShare: bin.actualShare,
  };
}
