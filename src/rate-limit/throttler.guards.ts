import { ExecutionContext, Injectable } from '@nestjs/common';
import { ThrottlerGuard, ThrottlerLimitDetail, ThrottlerRequest } from '@nestjs/throttler';

import { clientIp, requestOf } from '@/auth/request-of.util';
import { AppException } from '@/common/errors/app.exception';
import { ErrorCode } from '@/common/errors/error-code';

export const IP_THROTTLER = 'ip';
export const USER_THROTTLER = 'user';

/** The tracker of a user's request budget; `RateLimiterService.hitUserBudget` counts the same key. */
export function userBudgetTracker(userId: string): string {
  return `user:${userId}`;
}

/** Shared by both guards: GraphQL-aware request lookup and the RATE_LIMITED error. */
abstract class AppThrottlerGuard extends ThrottlerGuard {
  protected abstract readonly throttlerName: string;

  protected override async handleRequest(request: ThrottlerRequest): Promise<boolean> {
    if (request.throttler.name !== this.throttlerName) return true;
    const req = requestOf(request.context);
    // Subscriptions over WebSocket carry no HTTP request: they are limited at connect time.
    if (!req?.headers) return true;
    return super.handleRequest(request);
  }

  /**
   * One budget per tracker (user or address) for the whole API: GraphQL root fields, REST routes
   * and WebSocket operations all count against the same key. The library's default key also names
   * the handler, which gave every resolver and route a budget of its own.
   */
  protected override generateKey(_context: ExecutionContext, tracker: string): string {
    return tracker;
  }

  protected override getRequestResponse(context: ExecutionContext) {
    const req = requestOf(context);
    return {
      req: req as unknown as Record<string, unknown>,
      res: (req?.res ?? {}) as Record<string, unknown>,
    };
  }

  protected override throwThrottlingException(
    _context: ExecutionContext,
    detail: ThrottlerLimitDetail,
  ): Promise<void> {
    const retryAfterSeconds = Math.max(1, detail.timeToBlockExpire || detail.timeToExpire);
    throw new AppException(
      ErrorCode.RATE_LIMITED,
      `too many requests: retry in ${retryAfterSeconds} s`,
      { retryAfterSeconds },
    );
  }
}

/** Runs first, before authentication: bad tokens cost an IP its budget too. */
@Injectable()
export class IpThrottlerGuard extends AppThrottlerGuard {
  protected readonly throttlerName = IP_THROTTLER;

  protected override getTracker(req: Record<string, unknown>): Promise<string> {
    return Promise.resolve(clientIp(req as never));
  }
}

/** Runs after authentication: the budget of the calling user, wherever they connect from. */
@Injectable()
export class UserThrottlerGuard extends AppThrottlerGuard {
  protected readonly throttlerName = USER_THROTTLER;

  protected override async handleRequest(request: ThrottlerRequest): Promise<boolean> {
    const req = requestOf(request.context);
    if (request.throttler.name === this.throttlerName && !req?.user) return true;
    return super.handleRequest(request);
  }

  protected override getTracker(req: Record<string, unknown>): Promise<string> {
    const user = (req as { user?: { userId: string } }).user;
    return Promise.resolve(user ? userBudgetTracker(user.userId) : 'anonymous');
  }
}
