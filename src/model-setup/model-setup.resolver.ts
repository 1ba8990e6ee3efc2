import { Args, Mutation, Query, Resolver } from '@nestjs/graphql';

import type { AuthUser } from '@/auth/auth-user';
import { CurrentUser } from '@/auth/decorators/current-user.decorator';
import { Roles } from '@/auth/decorators/roles.decorator';
import { Role } from '@/auth/role.enum';

import { DatasetProfilesService } from './dataset-profiles.service';
import { ApplySetupArgs, ApplySetupInput, SetupVersionArgs } from './dto/model-setup.inputs';
import { toProfileResult } from './model-setup.mapper';
import { ModelSetupService } from './model-setup.service';
import { DatasetProfileResultModel } from './models/dataset-profile.models';
import { AppliedSetupModel, SetupRecommendationsModel } from './models/setup-recommendation.models';

/** Guided model setup on a dataset version: its profile, leakage flags and recommendations. */
@Roles(Role.ADMIN)
@Resolver()
export class ModelSetupResolver {
  constructor(
    private readonly profiles: DatasetProfilesService,
    private readonly setup: ModelSetupService,
  ) {}

  @Query(() => DatasetProfileResultModel, {
    description:
      "Per column: guessed role, missing share, cardinality, AUC alone and the quick model's AUC lost without it; and the leakage screen's flags. Computed once per version: within the call up to DATASET_INLINE_MAX_ROWS rows, else PENDING and profiled by a worker (poll until READY).",
    complexity: 20,
  })
  async datasetProfile(
    @CurrentUser() user: AuthUser,
    @Args() args: SetupVersionArgs,
  ): Promise<DatasetProfileResultModel> {
    return toProfileResult(await this.profiles.ensure(user.tenantId, args.versionId));
  }

  @Query(() => SetupRecommendationsModel, {
    description:
      "The proposed transformation and model type with params, each choice with its reason (DETERMINISTIC), and beside it the OpenAI model's second opinion (AI) when a key is configured; it sees column names, roles and summary statistics, never row values.",
    complexity: 20,
  })
  recommendSetup(
    @CurrentUser() user: AuthUser,
    @Args() args: SetupVersionArgs,
  ): Promise<SetupRecommendationsModel> {
    return this.setup.recommend(user.tenantId, args.versionId);
  }

  @Mutation(() => AppliedSetupModel, {
    description:
      'Validates a recommendation (with the admin’s changes) against the version and records it; trainInput is the TrainModelInput to train with it.',
  })
  applySetup(
    @CurrentUser() user: AuthUser,
    @Args() args: ApplySetupArgs,
  ): Promise<AppliedSetupModel> {
    return this.setup.apply(user, args.versionId, args.input ?? new ApplySetupInput());
  }
}
