import { ExecutionContext, Injectable, OnModuleInit } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import {
  InjectThrottlerOptions,
  InjectThrottlerStorage,
  ThrottlerGuard,
  type ThrottlerModuleOptions,
  type ThrottlerOptions,
  type ThrottlerRequest,
  type ThrottlerStorage,
} from '@nestjs/throttler';
// Not exported from the package's root.
import {
  THROTTLER_BLOCK_DURATION,
  THROTTLER_LIMIT,
  THROTTLER_TTL,
} from '@nestjs/throttler/dist/throttler.constants';

import { AppException } from '@/common/errors/app.exception';
import { ErrorCode } from '@/common/errors/error-code';
import { BudgetHit, RequestBudgets, ThrottlerHit } from '@/rate-limit/request-budgets';
import { IP_THROTTLER, USER_THROTTLER, userBudgetTracker } from '@/rate-limit/throttlers';

import { AuthRequest, clientIp, requestOf } from '../request-of.util';
import { AccessTokenService, revokedTokenError } from '../tokens/access-token.service';
import type { VerifiedAccessToken } from '../tokens/access-token-verifier';
import { JwtAuthGuard } from './jwt-auth.guard';
import { RolesGuard } from './roles.guard';

/** A throttler's terms for this handler, as @nestjs/throttler resolves them (overrides, skips). */
type Terms = Pick<ThrottlerRequest, 'limit' | 'ttl' | 'blockDuration' | 'throttler'>;

/**
 * Every resolver and route, in this order: the per-address budget (`RATE_LIMIT_IP_PER_MINUTE`,
 * before authentication: bad tokens spend it too), authentication (`@Public()` opts out: a JWT with
 * a valid signature, times and claims, not revoked), roles (`@Roles(...)`), then the per-user budget
 * (`RATE_LIMIT_USER_PER_MINUTE`, the one GraphQL root fields, REST routes and WebSocket operations
 * all spend). `@SkipThrottle`/`@SkipRateLimits()` and `@Throttle` apply as @nestjs/throttler reads
 * them, whose guard this is.
 *
 * The three Redis reads and writes (the address's budget, the token's revocation, the user's
 * budget) are one script call (`RequestBudgets.gate`): the signature and claims are checked
 * first, in process, and the refusals then come in the order above. Each step only runs when the
 * ones before it passed: a refused address neither checks the token's revocation nor spends the
 * user's budget; a refused token or role does not spend it either.
 */
@Injectable()
export class RequestGate extends ThrottlerGuard implements OnModuleInit {
  private budgets!: RequestBudgets;
  /** The terms collected by `handleRequest` while `super.canActivate` resolves them. */
  private readonly collecting = new WeakMap<ExecutionContext, Terms[]>();
  /** Terms that depend on the handler alone, by handler then class (see `termsOf`). */
  private readonly termsByHandler = new WeakMap<object, WeakMap<object, readonly Terms[]>>();

  constructor(
    @InjectThrottlerOptions() options: ThrottlerModuleOptions,
    @InjectThrottlerStorage() storage: ThrottlerStorage,
    reflector: Reflector,
    private readonly jwt: JwtAuthGuard,
    private readonly roles: RolesGuard,
    private readonly accessTokens: AccessTokenService,
  ) {
    super(options, storage, reflector);
  }

  override async onModuleInit(): Promise<void> {
    await super.onModuleInit();
    if (!(this.storageService instanceof RequestBudgets)) {
      throw new Error('RequestGate needs RequestBudgets as the throttler storage');
    }
    this.budgets = this.storageService;
  }

  override async canActivate(context: ExecutionContext): Promise<boolean> {
    const req = requestOf(context);
    // Subscriptions over WebSocket carry no HTTP request: the connection's stand-in holds the user
    // proven at connect time, and its operations are limited as they arrive (WsSessions).
    if (!req?.headers) {
      await this.jwt.canActivate(context);
      return this.roles.canActivate(context);
    }
    const terms = await this.termsOf(context);
    const addressTerms = terms.find((t) => t.throttler.name === IP_THROTTLER);
    const userTerms = terms.find((t) => t.throttler.name === USER_THROTTLER);

    let token: VerifiedAccessToken | undefined;
    let refusal: Error | undefined;
    if (!this.jwt.isPublic(context)) {
      // Set once the token is known not to be revoked.
      req.user = undefined;
      try {
        token = await this.jwt.tokenOf(req);
      } catch (error) {
        refusal = error instanceof Error ? error : new Error(String(error));
      }
    }
    const allowed = token !== undefined && this.roles.allows(context, token.role);

    const address = addressTerms && budgetHit(addressTerms, clientIp(req));
    const userBudget =
      token && allowed && userTerms
        ? budgetHit(userTerms, userBudgetTracker(token.userId))
        : undefined;
    const answer = await this.budgets.gate({
      before: address,
      revocation: token && {
        keys: this.accessTokens.revocationKeys(token),
        issuedAtMs: token.issuedAtMs,
      },
      after: userBudget,
    });

    if (addressTerms && answer.before) this.spend(req, addressTerms, answer.before);
    if (refusal !== undefined) throw refusal;
    if (token) {
      if (answer.revoked) throw revokedTokenError();
      const { issuedAtMs: _issuedAtMs, ...user } = token;
      req.user = user;
      if (!allowed) this.roles.canActivate(context);
      if (userTerms && answer.after) this.spend(req, userTerms, answer.after);
    }
    return true;
  }

  /** Collects the terms instead of counting: `canActivate` counts them all at once. */
  protected override handleRequest(request: ThrottlerRequest): Promise<boolean> {
    this.collecting.get(request.context)?.push(request);
    return Promise.resolve(true);
  }

  /**
   * The throttlers this handler spends, with their terms, as @nestjs/throttler resolves them:
   * once per handler when nothing in them depends on the request (no `skipIf`, no limit, ttl or
   * block duration given as a function), else on every request. Resolving them (a dozen metadata
   * lookups and awaits) was 1 % of the CPU of a `leads` request at saturation.
   */
  private async termsOf(context: ExecutionContext): Promise<readonly Terms[]> {
    const handler = context.getHandler();
    const classRef = context.getClass();
    const known = this.termsByHandler.get(handler)?.get(classRef);
    if (known) return known;
    const collected: Terms[] = [];
    this.collecting.set(context, collected);
    try {
      await super.canActivate(context);
    } finally {
      this.collecting.delete(context);
    }
    // Only the terms: the collected requests also hold this request's context.
    const terms = collected.map(({ limit, ttl, blockDuration, throttler }) => ({
      limit,
      ttl,
      blockDuration,
      throttler,
    }));
    if (this.termsAreStatic(handler, classRef)) {
      let byClass = this.termsByHandler.get(handler);
      if (!byClass) this.termsByHandler.set(handler, (byClass = new WeakMap()));
      byClass.set(classRef, terms);
    }
    return terms;
  }

  private termsAreStatic(handler: object, classRef: object): boolean {
    if (this.commonOptions.skipIf) return false;
    return this.throttlers.every(
      (throttler) =>
        !throttler.skipIf &&
        [throttler.limit, throttler.ttl, throttler.blockDuration].every(
          (value) => typeof value !== 'function',
        ) &&
        [THROTTLER_LIMIT, THROTTLER_TTL, THROTTLER_BLOCK_DURATION].every(
          (key) =>
            typeof this.reflector.getAllAndOverride<unknown>(`${key}${throttler.name}`, [
              handler as () => void,
              classRef as new () => unknown,
            ]) !== 'function',
        ),
    );
  }

  /**
   * What @nestjs/throttler's guard does with a hit: `X-RateLimit-{Limit,Remaining,Reset}-<name>`
   * headers, or `Retry-After-<name>` and RATE_LIMITED (`extensions.retryAfterSeconds`).
   */
  private spend(req: AuthRequest, terms: Terms, hit: ThrottlerHit): void {
    const { throttler, limit } = terms;
    const res = req.res as Record<string, unknown> | undefined;
    const setHeaders = res && (throttler.setHeaders ?? this.commonOptions.setHeaders ?? true);
    const suffix = `-${throttler.name!}`;
    if (hit.isBlocked) {
      if (setHeaders) this.setResponseHeader(res, `Retry-After${suffix}`, hit.timeToBlockExpire);
      const retryAfterSeconds = Math.max(1, hit.timeToBlockExpire || hit.timeToExpire);
      throw new AppException(
        ErrorCode.RATE_LIMITED,
        `too many requests: retry in ${retryAfterSeconds} s`,
        { retryAfterSeconds },
      );
    }
    if (setHeaders) {
      this.setResponseHeader(res, `${this.headerPrefix}-Limit${suffix}`, limit);
      this.setResponseHeader(
        res,
        `${this.headerPrefix}-Remaining${suffix}`,
        Math.max(0, limit - hit.totalHits),
      );
      this.setResponseHeader(res, `${this.headerPrefix}-Reset${suffix}`, hit.timeToExpire);
    }
  }
}

function budgetHit(terms: Terms, tracker: string): BudgetHit {
  return {
    tracker,
    throttler: (terms.throttler as ThrottlerOptions & { name: string }).name,
    ttlMs: terms.ttl,
    limit: terms.limit,
    blockMs: terms.blockDuration,
  };
}
