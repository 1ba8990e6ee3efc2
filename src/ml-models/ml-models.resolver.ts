import { Args, Mutation, Query, Resolver } from '@nestjs/graphql';

import type { AuthUser } from '@/auth/auth-user';
import { CurrentUser } from '@/auth/decorators/current-user.decorator';
import { Roles } from '@/auth/decorators/roles.decorator';
import { Role } from '@/auth/role.enum';

import { MlModelIdArgs, MlModelsArgs } from './dto/ml-models.inputs';
import { toMetricsModel, toMlModelModel } from './ml-model.mapper';
import { MlModelsService } from './ml-models.service';
import { DeploymentChange, ModelDeploymentService } from './model-deployment.service';
import {
  MlModelModel,
  MlModelPageModel,
  ModelDeploymentResultModel,
  ModelPerformanceModel,
} from './models/ml-model.models';

function toResult(change: DeploymentChange): ModelDeploymentResultModel {
  return {
    deployed: toMlModelModel(change.deployed),
    previousModelId: change.previousModelId,
    rescoreJobId: change.rescoreJobId,
  };
}

/** The model registry: managers and admins read it, admins deploy and roll back. */
@Roles(Role.ADMIN, Role.MANAGER)
@Resolver()
export class MlModelsResolver {
  constructor(
    private readonly models: MlModelsService,
    private readonly deployments: ModelDeploymentService,
  ) {}

  @Query(() => MlModelPageModel, {
    description: 'Newest version first; version 1 is the weighted sum.',
  })
  mlModels(@CurrentUser() user: AuthUser, @Args() args: MlModelsArgs): Promise<MlModelPageModel> {
    return this.models.list(user.tenantId, args);
  }

  @Query(() => MlModelModel)
  async mlModel(@CurrentUser() user: AuthUser, @Args() args: MlModelIdArgs): Promise<MlModelModel> {
    return toMlModelModel(await this.models.get(user.tenantId, args.id));
  }

  @Query(() => ModelPerformanceModel, {
    description: 'Test-set metrics with the ROC curve and calibration table, for plots.',
  })
  async modelPerformance(
    @CurrentUser() user: AuthUser,
    @Args() args: MlModelIdArgs,
  ): Promise<ModelPerformanceModel> {
    const model = await this.models.get(user.tenantId, args.id);
    return {
      modelId: model.modelId,
      version: model.version,
      type: model.type,
      metrics: toMetricsModel(model.metrics),
      roc: model.metrics ? [...model.metrics.roc] : [],
      calibration: model.metrics ? [...model.metrics.calibration] : [],
      featureImportance: model.featureImportance,
      split: toMlModelModel(model).split,
    };
  }

  @Roles(Role.ADMIN)
  @Mutation(() => ModelDeploymentResultModel, {
    description:
      "Makes a READY model the tenant's scoring model and rescores its leads (history reason MODEL_DEPLOYED).",
  })
  async deployModel(
    @CurrentUser() user: AuthUser,
    @Args() args: MlModelIdArgs,
  ): Promise<ModelDeploymentResultModel> {
    return toResult(await this.deployments.deploy(user, args.id));
  }

  @Roles(Role.ADMIN)
  @Mutation(() => ModelDeploymentResultModel, {
    description:
      'Returns to the model deployed before the current one (the weighted sum included) and rescores.',
  })
  async rollbackModel(@CurrentUser() user: AuthUser): Promise<ModelDeploymentResultModel> {
    return toResult(await this.deployments.rollback(user));
  }
}
