import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { Model, Types } from 'mongoose';

import { AuditAction } from '@/audit/audit-action.enum';
import { AuditService } from '@/audit/audit.service';
import type { AuthUser } from '@/auth/auth-user';
import { derivedObjectId } from '@/common/ids/derived-object-id.util';
import { toObjectId } from '@/common/tenancy/tenant-repository';
import { DEFAULT_PROMOTION_RULE, PromotionRule } from '@/ml/lifecycle/promotion-rule.util';
import type { TrainedModelType } from '@/ml/models/trained-model';
import { modelParams } from '@/ml/train/model-params.util';
import { TrainingJobsService } from '@/training/jobs/training-jobs.service';

import type { UpdateModelLifecycleInput } from './dto/lifecycle.inputs';
import { LifecycleException } from './lifecycle.exception';
import type { ModelLifecycleModel } from './models/lifecycle.models';
import { ModelLifecycleSettings } from './schemas/model-lifecycle.schema';

/** A tenant's lifecycle settings with the defaults filled in. */
export interface EffectiveLifecycle {
  readonly retrainingEnabled: boolean;
  readonly cadenceDays: number;
  readonly modelType: TrainedModelType;
  readonly params: Record<string, unknown>;
  readonly transformation: Record<string, unknown> | null;
  readonly promotion: PromotionRule;
  readonly driftThreshold: number;
  readonly retrainOnDrift: boolean;
  readonly custom: boolean;
  readonly revision: number;
  readonly updatedBy: string | null;
  readonly updatedAt: Date | null;
}

export const DEFAULT_LIFECYCLE: Omit<
  EffectiveLifecycle,
  'custom' | 'revision' | 'updatedBy' | 'updatedAt'
> = {
  retrainingEnabled: false,
  cadenceDays: 7,
  modelType: 'GRADIENT_BOOSTING',
  params: modelParams('GRADIENT_BOOSTING', {}).params,
  transformation: null,
  promotion: DEFAULT_PROMOTION_RULE,
  driftThreshold: 0.2,
  retrainOnDrift: false,
};

function settingsIdFor(tenantId: string): Types.ObjectId {
  return derivedObjectId('model-lifecycle', tenantId);
}

/**
 * Per-tenant lifecycle settings: the scheduled retraining (on/off, cadence, model type and
 * params), the promotion rule, the drift threshold, and the minimum data (kept with the training
 * settings, which `trainModel` checks). Every change is audited.
 */
@Injectable()
export class LifecycleSettingsService {
  constructor(
    @InjectModel(ModelLifecycleSettings.name)
    private readonly settings: Model<ModelLifecycleSettings>,
    private readonly training: TrainingJobsService,
    private readonly audit: AuditService,
  ) {}

  async get(tenantId: string): Promise<EffectiveLifecycle> {
    const own = await this.settings
      .findOne({ _id: settingsIdFor(tenantId), tenantId: toObjectId(tenantId) })
      .lean<ModelLifecycleSettings>()
      .exec();
    if (!own)
      return { ...DEFAULT_LIFECYCLE, custom: false, revision: 0, updatedBy: null, updatedAt: null };
    return {
      retrainingEnabled: own.retrainingEnabled,
      cadenceDays: own.cadenceDays,
      modelType: own.modelType as TrainedModelType,
      params: own.params,
      transformation: own.transformation,
      promotion: {
        maxAucDrop: own.maxAucDrop,
        maxBrierIncrease: own.maxBrierIncrease,
        maxChampionAgeDays: own.maxChampionAgeDays,
      },
      driftThreshold: own.driftThreshold,
      retrainOnDrift: own.retrainOnDrift,
      custom: true,
      revision: own.revision,
      updatedBy: own.updatedBy,
      updatedAt: own.updatedAt ?? null,
    };
  }

  /** The settings as the API shows them (the minimum data and the next run included). */
  async view(tenantId: string, nextRunAt: Date | null): Promise<ModelLifecycleModel> {
    const current = await this.get(tenantId);
    const minimum = await this.training.minimum(tenantId);
    return {
      retrainingEnabled: current.retrainingEnabled,
      cadenceDays: current.cadenceDays,
      modelType: current.modelType,
      params: current.params,
      transformation: current.transformation,
      promotion: { ...current.promotion },
      driftThreshold: current.driftThreshold,
      retrainOnDrift: current.retrainOnDrift,
      ...minimum,
      nextRunAt,
      custom: current.custom,
      updatedBy: current.updatedBy,
      updatedAt: current.updatedAt,
    };
  }

  /**
   * Applies the fields given (the rest keep their values). Params are checked for the model type
   * they will train (a new type without params gets that type's defaults); every bad field named.
   */
  async update(user: AuthUser, input: UpdateModelLifecycleInput): Promise<EffectiveLifecycle> {
    const { tenantId } = user;
    const current = await this.get(tenantId);
    const modelType = input.modelType ?? current.modelType;
    const typeChanged = modelType !== current.modelType;
    const rawParams = input.params ?? (typeChanged ? {} : current.params);
    const { params, problems } = modelParams(modelType, rawParams);
    const fields = problems.map((p) => ({ path: `input.params.${p.path}`, messages: [p.message] }));
    const minConverted = input.minConverted;
    const minLost = input.minLost;
    if ((minConverted === undefined) !== (minLost === undefined))
      fields.push({
        path: minConverted === undefined ? 'input.minConverted' : 'input.minLost',
        messages: ['minConverted and minLost are set together'],
      });
    if (fields.length > 0) throw LifecycleException.invalid(fields);

    const next = {
      retrainingEnabled: input.retrainingEnabled ?? current.retrainingEnabled,
      cadenceDays: input.cadenceDays ?? current.cadenceDays,
      modelType,
      params,
      transformation:
        input.transformation === undefined
          ? current.transformation
          : input.transformation === null
            ? null
            : (JSON.parse(JSON.stringify(input.transformation)) as Record<string, unknown>),
      maxAucDrop: input.promotion?.maxAucDrop ?? current.promotion.maxAucDrop,
      maxBrierIncrease: input.promotion?.maxBrierIncrease ?? current.promotion.maxBrierIncrease,
      maxChampionAgeDays:
        input.promotion?.maxChampionAgeDays ?? current.promotion.maxChampionAgeDays,
      driftThreshold: input.driftThreshold ?? current.driftThreshold,
      retrainOnDrift: input.retrainOnDrift ?? current.retrainOnDrift,
    };
    await this.settings
      .updateOne(
        { _id: settingsIdFor(tenantId), tenantId: toObjectId(tenantId) },
        { $set: { ...next, updatedBy: user.userId }, $inc: { revision: 1 } },
        { upsert: true },
      )
      .exec();
    if (minConverted !== undefined && minLost !== undefined)
      await this.training.updateSettings(user, { minConverted, minLost });
    const changed = Object.fromEntries(
      Object.entries(input).filter(([, value]) => value !== undefined),
    );
    await this.audit.record({
      action: AuditAction.MODEL_LIFECYCLE_UPDATED,
      tenantId,
      actorId: user.userId,
      details: { changed },
    });
    return this.get(tenantId);
  }
}
