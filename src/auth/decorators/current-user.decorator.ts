import { createParamDecorator, ExecutionContext } from '@nestjs/common';

import { AuthUser } from '../auth-user';
import { requestOf } from '../request-of.util';

/** The authenticated caller (set by the JWT guard, or at WebSocket connect for subscriptions). */
export const CurrentUser = createParamDecorator(
  (_: unknown, context: ExecutionContext): AuthUser => {
    const user = requestOf(context)?.user;
    if (!user) throw new Error('CurrentUser used on a route without authentication');
    return user;
  },
);
