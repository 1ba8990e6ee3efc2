import { Args, Mutation, Query, Resolver } from '@nestjs/graphql';

import type { AuthUser } from '@/auth/auth-user';
import { CurrentUser } from '@/auth/decorators/current-user.decorator';
import { Roles } from '@/auth/decorators/roles.decorator';
import { Role } from '@/auth/role.enum';

import { AbTestIdArgs, AbTestModel, StartAbTestInput, StopAbTestArgs } from './ab-test.models';
import { AbTestsService } from './ab-tests.service';

/** A/B tests of two models: admins start and stop them, managers read the report. */
@Roles(Role.ADMIN, Role.MANAGER)
@Resolver()
export class AbTestsResolver {
  constructor(private readonly tests: AbTestsService) {}

  @Roles(Role.ADMIN)
  @Mutation(() => AbTestModel, {
    description:
      "Scores each lead with its arm's model (a stable hash of the test and the lead) until stopped; rescores the tenant's leads. One test per tenant (CONFLICT); deploy and rollback wait for it to stop.",
  })
  startAbTest(
    @CurrentUser() user: AuthUser,
    @Args('input') input: StartAbTestInput,
  ): Promise<AbTestModel> {
    return this.tests.start(user, input);
  }

  @Roles(Role.ADMIN)
  @Mutation(() => AbTestModel, { description: 'Ends the test, deploying the winner if named.' })
  stopAbTest(@CurrentUser() user: AuthUser, @Args() args: StopAbTestArgs): Promise<AbTestModel> {
    return this.tests.stop(user, args.id, args.winner);
  }

  @Query(() => AbTestModel, {
    description:
      'Per arm: leads, outcomes recorded during the test, conversion overall and per tier, and a two-proportion test of the difference.',
  })
  async abTest(@CurrentUser() user: AuthUser, @Args() args: AbTestIdArgs): Promise<AbTestModel> {
    return this.tests.report(user.tenantId, await this.tests.get(user.tenantId, args.id));
  }
}
