import { Args, Mutation, Query, Resolver, Subscription } from '@nestjs/graphql';

import type { AuthUser } from '@/auth/auth-user';
import { CurrentUser } from '@/auth/decorators/current-user.decorator';
import { Roles } from '@/auth/decorators/roles.decorator';
import { Role } from '@/auth/role.enum';

import { toModelDriftReportModel } from './drift-report.mapper';
import { ModelDriftArgs } from './dto/drift.inputs';
import { ModelDriftDetectedEvent, ModelDriftService } from './model-drift.service';
import { ModelDriftReportModel } from './models/drift.models';
import { DriftCheckTrigger } from './schemas/drift-report.schema';

/** Drift of trained models: reports (managers too), checks on demand (admins), and the alert. */
@Roles(Role.ADMIN, Role.MANAGER)
@Resolver()
export class DriftResolver {
  constructor(private readonly drift: ModelDriftService) {}

  @Query(() => ModelDriftReportModel, {
    nullable: true,
    description:
      'The latest drift report of a trained model (default the deployed one): PSI per feature and of the score, its training rows against the open leads. Null before the first check; BAD_USER_INPUT for the weighted sum, which has no training data.',
  })
  async modelDrift(
    @CurrentUser() user: AuthUser,
    @Args() args: ModelDriftArgs,
  ): Promise<ModelDriftReportModel | null> {
    const report = await this.drift.latest(user.tenantId, args.modelId);
    return report ? toModelDriftReportModel(report) : null;
  }

  @Roles(Role.ADMIN)
  @Mutation(() => ModelDriftReportModel, {
    description:
      'Computes and stores a drift report now. For the deployed model a flagged drift is published (modelDriftDetected) and, when the tenant retrains on drift, starts a retraining.',
  })
  async checkModelDrift(
    @CurrentUser() user: AuthUser,
    @Args() args: ModelDriftArgs,
  ): Promise<ModelDriftReportModel> {
    const report = await this.drift.check({
      tenantId: user.tenantId,
      modelId: args.modelId,
      trigger: DriftCheckTrigger.MANUAL,
      requestedBy: user.userId,
    });
    return toModelDriftReportModel(report);
  }

  @Subscription(() => ModelDriftReportModel, {
    description: "A drift check of your tenant's deployed model flagged a feature or the score.",
    filter: (
      event: ModelDriftDetectedEvent,
      _args: unknown,
      context: { req?: { user?: AuthUser } },
    ) => event.tenantId === context.req?.user?.tenantId,
    resolve: (event: ModelDriftDetectedEvent): ModelDriftReportModel => ({
      ...event.report,
      computedAt: new Date(event.report.computedAt),
    }),
  })
  modelDriftDetected(): AsyncIterableIterator<ModelDriftDetectedEvent> {
    return this.drift.subscribe();
  }
}
