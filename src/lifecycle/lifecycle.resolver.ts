import { Args, Mutation, Query, Resolver } from '@nestjs/graphql';

import type { AuthUser } from '@/auth/auth-user';
import { CurrentUser } from '@/auth/decorators/current-user.decorator';
import { Roles } from '@/auth/decorators/roles.decorator';
import { Role } from '@/auth/role.enum';

import {
  ModelDecisionIdArgs,
  ModelDecisionsArgs,
  UpdateModelLifecycleInput,
} from './dto/lifecycle.inputs';
import { LifecycleScheduler } from './lifecycle-scheduler.service';
import { LifecycleSettingsService } from './lifecycle-settings.service';
import {
  ModelDecisionModel,
  ModelDecisionPageModel,
  ModelLifecycleModel,
  TrainingReadinessModel,
} from './models/lifecycle.models';
import { RetrainingService, toModelDecisionModel } from './retraining.service';
import { RetrainingTrigger } from './schemas/model-lifecycle.schema';
import { TrainingReadinessService } from './training-readiness.service';

/** The model lifecycle: settings and schedule (admins), decisions and readiness (managers too). */
@Roles(Role.ADMIN, Role.MANAGER)
@Resolver()
export class LifecycleResolver {
  constructor(
    private readonly settings: LifecycleSettingsService,
    private readonly scheduler: LifecycleScheduler,
    private readonly retraining: RetrainingService,
    private readonly readiness: TrainingReadinessService,
  ) {}

  @Query(() => ModelLifecycleModel, {
    description: 'Scheduled retraining, the promotion rule, the drift threshold, the minimum data.',
  })
  async modelLifecycle(@CurrentUser() user: AuthUser): Promise<ModelLifecycleModel> {
    return this.settings.view(user.tenantId, await this.scheduler.nextRunAt(user.tenantId));
  }

  @Roles(Role.ADMIN)
  @Mutation(() => ModelLifecycleModel, {
    description: 'Changes the fields given (audited); the schedule follows at once.',
  })
  async updateModelLifecycle(
    @CurrentUser() user: AuthUser,
    @Args('input') input: UpdateModelLifecycleInput,
  ): Promise<ModelLifecycleModel> {
    const updated = await this.settings.update(user, input);
    await this.scheduler.sync(user.tenantId, updated);
    return this.settings.view(user.tenantId, await this.scheduler.nextRunAt(user.tenantId));
  }

  @Roles(Role.ADMIN)
  @Mutation(() => ModelDecisionModel, {
    description:
      'Retrains now, as the schedule would: a new dataset version, a challenger, champion and challenger on the same test rows, the promotion rule. Answers the decision at once (status RUNNING); CONFLICT while another runs.',
  })
  async runRetraining(@CurrentUser() user: AuthUser): Promise<ModelDecisionModel> {
    return toModelDecisionModel(await this.retraining.request(user, RetrainingTrigger.MANUAL));
  }

  @Query(() => ModelDecisionPageModel, {
    description: "Every retraining and what it decided, with both models' figures; newest first.",
  })
  modelDecisions(
    @CurrentUser() user: AuthUser,
    @Args() args: ModelDecisionsArgs,
  ): Promise<ModelDecisionPageModel> {
    return this.retraining.list(user.tenantId, args);
  }

  @Query(() => ModelDecisionModel)
  async modelDecision(
    @CurrentUser() user: AuthUser,
    @Args() args: ModelDecisionIdArgs,
  ): Promise<ModelDecisionModel> {
    return toModelDecisionModel(await this.retraining.get(user.tenantId, args.id));
  }

  @Query(() => TrainingReadinessModel, {
    description:
      'How many converted and lost leads the tenant has, how many more a model needs, and which model scores meanwhile.',
  })
  trainingReadiness(@CurrentUser() user: AuthUser): Promise<TrainingReadinessModel> {
    return this.readiness.of(user.tenantId);
  }
}
