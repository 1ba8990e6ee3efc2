import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';

import { AuthErrorReason, AuthException } from '../auth.exception';
import { IS_PUBLIC_KEY } from '../decorators/public.decorator';
import { ROLES_KEY } from '../decorators/roles.decorator';
import { requestOf } from '../request-of.util';
import { Role } from '../role.enum';

/** `@Roles(...)`: run by `RequestGate` once the caller is authenticated. */
@Injectable()
export class RolesGuard implements CanActivate {
  constructor(private readonly reflector: Reflector) {}

  canActivate(context: ExecutionContext): boolean {
    const user = requestOf(context)?.user;
    const roles = this.requiredRoles(context);
    if (roles === undefined || (user && roles.includes(user.role))) return true;
    throw new AuthException(AuthErrorReason.FORBIDDEN_ROLE, `requires role ${roles.join(' or ')}`);
  }

  /** Whether a caller of this role may run the handler (any role when it names none, or is public). */
  allows(context: ExecutionContext, role: Role): boolean {
    const roles = this.requiredRoles(context);
    return roles === undefined || roles.includes(role);
  }

  /** The roles the handler is restricted to, or undefined when it is not. */
  private requiredRoles(context: ExecutionContext): Role[] | undefined {
    const targets = [context.getHandler(), context.getClass()];
    const roles = this.reflector.getAllAndOverride<Role[] | undefined>(ROLES_KEY, targets);
    if (!roles || roles.length === 0) return undefined;
    if (this.reflector.getAllAndOverride<boolean>(IS_PUBLIC_KEY, targets)) return undefined;
    return roles;
  }
}
