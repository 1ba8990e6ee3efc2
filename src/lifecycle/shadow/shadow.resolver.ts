import { Args, Mutation, Query, Resolver } from '@nestjs/graphql';

import type { AuthUser } from '@/auth/auth-user';
import { CurrentUser } from '@/auth/decorators/current-user.decorator';
import { Roles } from '@/auth/decorators/roles.decorator';
import { Role } from '@/auth/role.enum';

import {
  ModelComparisonArgs,
  ModelComparisonModel,
  ShadowModelArgs,
  ShadowStatusModel,
} from './shadow.models';
import { ShadowService } from './shadow.service';

/** Shadow mode: admins start and stop it, managers read the comparison. */
@Roles(Role.ADMIN, Role.MANAGER)
@Resolver()
export class ShadowResolver {
  constructor(private readonly shadow: ShadowService) {}

  @Roles(Role.ADMIN)
  @Mutation(() => ShadowStatusModel, {
    description:
      "Scores every lead with this model alongside the deployed one (stored, not shown) until stopped or deployed; rescores the tenant's leads so each has its shadow score.",
  })
  shadowModel(
    @CurrentUser() user: AuthUser,
    @Args() args: ShadowModelArgs,
  ): Promise<ShadowStatusModel> {
    return this.shadow.start(user, args.id);
  }

  @Roles(Role.ADMIN)
  @Mutation(() => ShadowStatusModel)
  stopShadowModel(@CurrentUser() user: AuthUser): Promise<ShadowStatusModel> {
    return this.shadow.stop(user);
  }

  @Query(() => ShadowStatusModel)
  shadowStatus(@CurrentUser() user: AuthUser): Promise<ShadowStatusModel> {
    return this.shadow.status(user.tenantId);
  }

  @Query(() => ModelComparisonModel, {
    description:
      "Champion (the model shown) and challenger (its shadow) on the leads closed while both scored them: AUC and conversion by each model's tiers.",
  })
  modelComparison(
    @CurrentUser() user: AuthUser,
    @Args() args: ModelComparisonArgs,
  ): Promise<ModelComparisonModel> {
    return this.shadow.compare(user.tenantId, args.championId, args.challengerId);
  }
}
