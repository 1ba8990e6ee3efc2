import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';

import { AuthErrorReason, AuthException } from '../auth.exception';
import { IS_PUBLIC_KEY } from '../decorators/public.decorator';
import { AuthRequest, requestOf } from '../request-of.util';
import {
  AccessTokenVerifier,
  bearerTokenOf,
  missingTokenError,
  VerifiedAccessToken,
} from '../tokens/access-token-verifier';

/**
 * Authentication (a Bearer token with a valid signature, times and claims; `@Public()` opts out),
 * run by `RequestGate`, which checks the token's revocation in the same Redis call as the request
 * budgets: not to be used on its own.
 */
@Injectable()
export class JwtAuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly verifier: AccessTokenVerifier,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    if (this.isPublic(context)) return true;
    const req = requestOf(context);
    // Subscriptions were authenticated when the WebSocket connected.
    if (req && !req.headers && req.user) return true;
    if (!req?.headers) {
      throw new AuthException(AuthErrorReason.INVALID_TOKEN, 'authentication required');
    }
    const { issuedAtMs: _issuedAtMs, ...user } = await this.tokenOf(req);
    req.user = user;
    return true;
  }

  /** The request's verified Bearer token (not yet checked for revocation), or why it is refused. */
  tokenOf(req: AuthRequest): Promise<VerifiedAccessToken> {
    const token = bearerTokenOf(req.headers.authorization);
    if (token === undefined) return Promise.reject(missingTokenError());
    return this.verifier.verify(token);
  }

  isPublic(context: ExecutionContext): boolean {
    return (
      this.reflector.getAllAndOverride<boolean>(IS_PUBLIC_KEY, [
        context.getHandler(),
        context.getClass(),
      ]) === true
    );
  }
}
