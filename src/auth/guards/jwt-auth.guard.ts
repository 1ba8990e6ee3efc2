import { ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { AuthGuard } from '@nestjs/passport';

import { AuthErrorReason, AuthException } from '../auth.exception';
import { AuthUser } from '../auth-user';
import { IS_PUBLIC_KEY } from '../decorators/public.decorator';
import { requestOf } from '../request-of.util';

const REASONS: Readonly<Record<string, string>> = {
  'jwt expired': 'access token expired',
  'jwt not active': 'access token not yet valid',
  'invalid signature': 'access token signature is invalid',
  'invalid algorithm': 'access token algorithm is not accepted',
  'jwt malformed': 'access token is malformed',
  'No auth token': 'authentication required: send Authorization: Bearer <access token>',
};

/**
 * Authentication by passport-jwt (signature, times, claims; `@Public()` opts out), run by
 * `RequestGate`, which checks the token's revocation in the same Redis call as the request
 * budgets: not to be used on its own.
 */
@Injectable()
export class JwtAuthGuard extends AuthGuard('jwt') {
  constructor(private readonly reflector: Reflector) {
    super();
  }

  override canActivate(context: ExecutionContext) {
    const isPublic = this.reflector.getAllAndOverride<boolean>(IS_PUBLIC_KEY, [
      context.getHandler(),
      context.getClass(),
    ]);
    if (isPublic) return true;
    // Subscriptions were authenticated when the WebSocket connected.
    const req = requestOf(context);
    if (req && !req.headers && req.user) return true;
    return super.canActivate(context);
  }

  override getRequest(context: ExecutionContext) {
    return requestOf(context);
  }

  override handleRequest<TUser = AuthUser>(
    error: unknown,
    user: TUser | false,
    info: unknown,
  ): TUser {
    if (error instanceof AuthException) throw error;
    if (error || !user) {
      const detail =
        info instanceof Error ? info.message : typeof info === 'string' ? info : undefined;
      const message = detail
        ? (REASONS[detail] ?? `access token refused: ${detail}`)
        : 'authentication required';
      throw new AuthException(AuthErrorReason.INVALID_TOKEN, message);
    }
    return user;
  }
}
