import { ExecutionContext } from '@nestjs/common';
import { GqlExecutionContext } from '@nestjs/graphql';
import type { Request } from 'express';

import { AuthUser } from './auth-user';

export type AuthRequest = Request & { user?: AuthUser };

/**
 * The request behind an HTTP route or a GraphQL operation. For subscriptions it is the
 * connection's stand-in built at connect time (`{ user }`, no headers).
 */
export function requestOf(context: ExecutionContext): AuthRequest | undefined {
  if (context.getType<string>() === 'graphql') {
    return GqlExecutionContext.create(context).getContext<{ req?: AuthRequest }>().req;
  }
  return context.switchToHttp().getRequest<AuthRequest>();
}

/** The client address as Express sees it (trusting only loopback proxies). */
export function clientIp(req: AuthRequest | undefined): string {
  return req?.ip ?? req?.socket?.remoteAddress ?? 'unknown';
}
