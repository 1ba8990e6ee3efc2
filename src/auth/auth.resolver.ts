import { Args, Context, Mutation, Query, Resolver } from '@nestjs/graphql';

import { AuthService } from './auth.service';
import type { AuthUser } from './auth-user';
import { CurrentUser } from './decorators/current-user.decorator';
import { Public } from './decorators/public.decorator';
import { LoginInput, LogoutInput, RefreshTokenInput, RegisterInput } from './dto/auth.inputs';
import { AuthPayloadModel } from './models/auth-payload.model';
import { UserModel } from './models/user.model';
import { AuthRequest, clientIp } from './request-of.util';
import { UsersService } from './users.service';

interface GqlContext {
  req?: AuthRequest;
}

@Resolver()
export class AuthResolver {
  constructor(
    private readonly auth: AuthService,
    private readonly users: UsersService,
  ) {}

  @Public()
  @Mutation(() => AuthPayloadModel, {
    description: 'Creates a tenant and its first admin, and logs the admin in.',
  })
  register(
    @Args('input') input: RegisterInput,
    @Context() ctx: GqlContext,
  ): Promise<AuthPayloadModel> {
    return this.auth.register(input, clientIp(ctx.req));
  }

  @Public()
  @Mutation(() => AuthPayloadModel)
  login(@Args('input') input: LoginInput, @Context() ctx: GqlContext): Promise<AuthPayloadModel> {
    return this.auth.login(input, clientIp(ctx.req));
  }

  @Public()
  @Mutation(() => AuthPayloadModel, {
    description: 'Uses up the refresh token and returns new tokens.',
  })
  refreshToken(
    @Args('input') input: RefreshTokenInput,
    @Context() ctx: GqlContext,
  ): Promise<AuthPayloadModel> {
    return this.auth.refresh(input.refreshToken, clientIp(ctx.req));
  }

  @Mutation(() => Boolean, {
    description: 'Revokes this access token and, when given, the session of the refresh token.',
  })
  logout(
    @CurrentUser() user: AuthUser,
    @Context() ctx: GqlContext,
    @Args('input', { type: () => LogoutInput, nullable: true }) input?: LogoutInput,
  ): Promise<boolean> {
    return this.auth.logout(user, input?.refreshToken, clientIp(ctx.req));
  }

  @Query(() => UserModel)
  me(@CurrentUser() user: AuthUser): Promise<UserModel> {
    return this.users.me(user);
  }
}
