import { Injectable } from '@nestjs/common';

import { AuditAction } from '@/audit/audit-action.enum';
import { AuditService } from '@/audit/audit.service';
import type { AuthUser } from '@/auth/auth-user';
import type { DatasetProfile } from '@/ml/setup/profile-dataset.util';
import { recommendSetup } from '@/ml/setup/recommend-setup.util';
import type { SetupFlag } from '@/ml/setup/screen-leakage.util';
import { validateTransformation } from '@/ml/transform/transformation.util';
import { DatasetVersionsService } from '@/versions/dataset-versions.service';

import type { SourcedRecommendation } from './advice/advised-recommendation.util';
import { chooseSetup } from './apply-setup.util';
import { DatasetProfilesService } from './dataset-profiles.service';
import { ApplySetupInput } from './dto/model-setup.inputs';
import { toAppliedModel, toFlagModel, toRecommendationModel } from './model-setup.mapper';
import { ModelSetupException } from './model-setup.exception';
import type {
  AppliedSetupModel,
  SetupRecommendationsModel,
} from './models/setup-recommendation.models';
import {
  AppliedSetup,
  DatasetProfileRecord,
  DatasetProfileStatus,
  SetupSource,
} from './schemas/dataset-profile.schema';
import { SetupAdvisor } from './setup-advisor.service';

/**
 * recommendSetup and applySetup: the deterministic recommendation from the stored profile, the
 * model's second opinion beside it, and the setup an admin chooses to train with.
 */
@Injectable()
export class ModelSetupService {
  constructor(
    private readonly profiles: DatasetProfilesService,
    private readonly advisor: SetupAdvisor,
    private readonly versions: DatasetVersionsService,
    private readonly audit: AuditService,
  ) {}

  async recommend(tenantId: string, versionId: string): Promise<SetupRecommendationsModel> {
    const record = await this.profiles.ensure(tenantId, versionId);
    const view = {
      versionId,
      status: record.status,
      flags: (record.flags ?? []).map(toFlagModel),
      applied: record.applied && toAppliedModel(versionId, record.applied),
    };
    const ready = readyProfile(record);
    if (!ready)
      return {
        ...view,
        deterministic: null,
        ai: null,
        aiModel: null,
        aiUnavailableReason: `the profile is ${record.status}: recommendations come once it is READY`,
      };
    const deterministic = recommendSetup(ready.profile, ready.flags);
    const opinion = await this.advisor.advise({ ...ready, deterministic, stored: record.advice });
    if (opinion.toStore)
      await this.profiles.write(tenantId, versionId, { $set: { advice: opinion.toStore } });
    return {
      ...view,
      deterministic: toRecommendationModel(deterministic),
      ai: opinion.recommendation && toRecommendationModel(opinion.recommendation),
      aiModel: opinion.model,
      aiUnavailableReason: opinion.unavailableReason,
    };
  }

  async apply(
    user: AuthUser,
    versionId: string,
    input: ApplySetupInput,
  ): Promise<AppliedSetupModel> {
    const { tenantId } = user;
    const version = await this.versions.get(tenantId, versionId, 'versionId');
    const record = await this.profiles.ensure(tenantId, versionId);
    const ready = readyProfile(record);
    if (!ready) throw ModelSetupException.profileNotReady(versionId, record.status);
    const base: SourcedRecommendation | null =
      input.source === SetupSource.AI
        ? (record.advice?.recommendation ?? null)
        : recommendSetup(ready.profile, ready.flags);
    if (!base) throw ModelSetupException.noAiRecommendation(versionId);
    const chosen = chooseSetup({ ...ready, base, adjustments: input });
    if (!chosen.ok) throw ModelSetupException.invalid(chosen.problems);
    const problems = validateTransformation(chosen.value.transformation, version.featureStats);
    if (problems.length > 0)
      throw ModelSetupException.invalid(
        problems.map((p) => ({ path: `transformation.${p.path}`, messages: [p.message] })),
      );

    const applied: AppliedSetup = {
      ...chosen.value,
      source: input.source,
      appliedBy: user.userId,
      appliedAt: new Date(),
    };
    await this.profiles.write(tenantId, versionId, { $set: { applied } });
    await this.audit.record({
      action: AuditAction.MODEL_SETUP_APPLIED,
      tenantId,
      actorId: user.userId,
      targetId: versionId,
      details: {
        datasetVersionId: versionId,
        source: applied.source,
        modelType: applied.modelType,
        features: applied.transformation.features,
        exclude: applied.transformation.exclude,
        keptFlagged: applied.keptFlagged,
      },
    });
    return toAppliedModel(versionId, applied);
  }
}

function readyProfile(
  record: DatasetProfileRecord,
): { profile: DatasetProfile; flags: SetupFlag[] } | null {
  if (record.status !== DatasetProfileStatus.READY || !record.profile) return null;
  return { profile: record.profile, flags: record.flags ?? [] };
}
