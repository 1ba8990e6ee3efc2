import { Args, Context, ID, Mutation, Query, Resolver } from '@nestjs/graphql';

import type { AuthUser } from './auth-user';
import { CurrentUser } from './decorators/current-user.decorator';
import { Roles } from './decorators/roles.decorator';
import { CreateUserInput, UpdateUserRoleInput } from './dto/auth.inputs';
import { UserModel } from './models/user.model';
import { AuthRequest, clientIp } from './request-of.util';
import { Role } from './role.enum';
import { TenantsService } from './tenants.service';
import { UsersService } from './users.service';

interface GqlContext {
  req?: AuthRequest;
}

@Resolver(() => UserModel)
export class UsersResolver {
  constructor(
    private readonly usersService: UsersService,
    private readonly tenantsService: TenantsService,
  ) {}

  @Roles(Role.ADMIN, Role.MANAGER)
  @Query(() => [UserModel], { description: "The caller's tenant's users." })
  users(@CurrentUser() caller: AuthUser): Promise<UserModel[]> {
    return this.usersService.list(caller);
  }

  @Roles(Role.ADMIN, Role.MANAGER)
  @Query(() => UserModel)
  user(
    @CurrentUser() caller: AuthUser,
    @Args('userId', { type: () => ID }) userId: string,
  ): Promise<UserModel> {
    return this.usersService.get(caller, userId);
  }

  @Roles(Role.ADMIN)
  @Mutation(() => UserModel)
  createUser(
    @CurrentUser() caller: AuthUser,
    @Args('input') input: CreateUserInput,
    @Context() ctx: GqlContext,
  ): Promise<UserModel> {
    return this.usersService.createUser(caller, input, clientIp(ctx.req));
  }

  @Roles(Role.ADMIN)
  @Mutation(() => UserModel, {
    description: "Takes effect at once: the user's current access tokens stop working.",
  })
  updateUserRole(
    @CurrentUser() caller: AuthUser,
    @Args('input') input: UpdateUserRoleInput,
    @Context() ctx: GqlContext,
  ): Promise<UserModel> {
    return this.usersService.updateRole(caller, input, clientIp(ctx.req));
  }

  @Roles(Role.ADMIN)
  @Mutation(() => String, {
    description:
      'A new secret for signing POST /ingest/interactions; the old one stops working. Shown only now.',
  })
  rotateWebhookSecret(
    @CurrentUser() caller: AuthUser,
    @Context() ctx: GqlContext,
  ): Promise<string> {
    return this.tenantsService.rotateWebhookSecret(caller, clientIp(ctx.req));
  }

  @Roles(Role.ADMIN)
  @Mutation(() => UserModel, {
    description: "Takes effect at once: the user's tokens and sessions stop working.",
  })
  deactivateUser(
    @CurrentUser() caller: AuthUser,
    @Args('userId', { type: () => ID }) userId: string,
    @Context() ctx: GqlContext,
  ): Promise<UserModel> {
    return this.usersService.deactivate(caller, userId, clientIp(ctx.req));
  }
}
