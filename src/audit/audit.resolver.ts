import { Args, ArgsType, Field, Int, Query, Resolver } from '@nestjs/graphql';
import { IsEnum, IsInt, IsOptional, Max, Min } from 'class-validator';

import type { AuthUser } from '@/auth/auth-user';
import { CurrentUser } from '@/auth/decorators/current-user.decorator';
import { Roles } from '@/auth/decorators/roles.decorator';
import { Role } from '@/auth/role.enum';

import { AuditAction } from './audit-action.enum';
import { AuditEventModel } from './audit-event.model';
import { AuditService } from './audit.service';

@ArgsType()
class AuditEventsArgs {
  @Field(() => Int, { defaultValue: 50, description: '1 to 200.' })
  @IsInt()
  @Min(1)
  @Max(200)
  limit: number = 50;

  @Field(() => AuditAction, { nullable: true })
  @IsOptional()
  @IsEnum(AuditAction)
  action?: AuditAction;
}

@Resolver(() => AuditEventModel)
export class AuditResolver {
  constructor(private readonly audit: AuditService) {}

  @Roles(Role.ADMIN)
  @Query(() => [AuditEventModel], {
    description: 'Newest first: logins, role changes, deactivations, token reuse.',
  })
  auditEvents(
    @CurrentUser() user: AuthUser,
    @Args() { limit, action }: AuditEventsArgs,
  ): Promise<AuditEventModel[]> {
    return this.audit.list(user.tenantId, { limit, action });
  }
}
