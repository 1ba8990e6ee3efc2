import type { ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { SkipThrottle, Throttle, ThrottlerGuard } from '@nestjs/throttler';

import { RequestBudgets } from '@/rate-limit/request-budgets';
import { IP_THROTTLER, USER_THROTTLER } from '@/rate-limit/throttlers';

import type { AccessTokenService } from '../tokens/access-token.service';
import type { JwtAuthGuard } from './jwt-auth.guard';
import { RequestGate } from './request-gate.guard';
import type { RolesGuard } from './roles.guard';

/** Handlers as Nest sees them: methods of classes, with the throttler decorators' metadata. */
class OpenResolver {
  list(): void {}

  @Throttle({ [USER_THROTTLER]: { limit: 5, ttl: 1_000 } })
  strict(): void {}

  @Throttle({ [USER_THROTTLER]: { limit: () => 7, ttl: 60_000 } })
  resolvable(): void {}
}

@SkipThrottle({ [IP_THROTTLER]: true })
class NoAddressBudget {
  list(): void {}
}

function contextOf(classRef: new () => object, name: string): ExecutionContext {
  const handler = (classRef.prototype as Record<string, () => void>)[name];
  return { getHandler: () => handler, getClass: () => classRef } as unknown as ExecutionContext;
}

type Terms = { throttler: { name?: string }; limit: number; ttl: number };

async function gate() {
  const options = {
    throttlers: [
      { name: IP_THROTTLER, ttl: 60_000, limit: 100 },
      { name: USER_THROTTLER, ttl: 60_000, limit: 50 },
    ],
  };
  // Only its type is checked by the gate at init: the terms never reach Redis here.
  const storage = Object.create(RequestBudgets.prototype) as RequestBudgets;
  const guard = new RequestGate(
    options,
    storage,
    new Reflector(),
    {} as JwtAuthGuard,
    {} as RolesGuard,
    {} as AccessTokenService,
  );
  await guard.onModuleInit();
  const resolutions = jest.spyOn(ThrottlerGuard.prototype, 'canActivate');
  const termsOf = async (context: ExecutionContext) =>
    (
      await (guard as unknown as { termsOf(c: ExecutionContext): Promise<Terms[]> }).termsOf(
        context,
      )
    ).map((t) => `${t.throttler.name}:${t.limit}/${t.ttl}`);
  return { termsOf, resolutions: () => resolutions.mock.calls.length };
}

describe('RequestGate: the throttlers a handler spends', () => {
  afterEach(() => jest.restoreAllMocks());

  it('resolves a handler’s terms once when they are fixed, and answers the same ones after', async () => {
    const { termsOf, resolutions } = await gate();

    expect(await termsOf(contextOf(OpenResolver, 'list'))).toEqual([
      'ip:100/60000',
      'user:50/60000',
    ]);
    expect(await termsOf(contextOf(OpenResolver, 'list'))).toEqual([
      'ip:100/60000',
      'user:50/60000',
    ]);
    expect(await termsOf(contextOf(OpenResolver, 'strict'))).toEqual([
      'ip:100/60000',
      'user:5/1000',
    ]);
    expect(await termsOf(contextOf(OpenResolver, 'strict'))).toEqual([
      'ip:100/60000',
      'user:5/1000',
    ]);
    expect(resolutions()).toBe(2);
  });

  it('resolves them on every request when a limit is a function of the request', async () => {
    const { termsOf, resolutions } = await gate();

    for (let i = 0; i < 3; i++)
      expect(await termsOf(contextOf(OpenResolver, 'resolvable'))).toEqual([
        'ip:100/60000',
        'user:7/60000',
      ]);
    expect(resolutions()).toBe(3);
  });

  it('keeps a class’s skipped throttler skipped, apart from another class’s terms', async () => {
    const { termsOf } = await gate();

    expect(await termsOf(contextOf(NoAddressBudget, 'list'))).toEqual(['user:50/60000']);
    expect(await termsOf(contextOf(OpenResolver, 'list'))).toEqual([
      'ip:100/60000',
      'user:50/60000',
    ]);
    expect(await termsOf(contextOf(NoAddressBudget, 'list'))).toEqual(['user:50/60000']);
  });
});
