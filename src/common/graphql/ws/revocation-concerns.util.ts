import type { AuthUser } from '@/auth/auth-user';
import type { TokenRevocation } from '@/auth/tokens/access-token.service';

/**
 * Whether a revocation may apply to a socket authenticated as `user`. A match is only a reason to
 * re-verify the socket's token against Redis (the source of truth): a user-wide revocation spares
 * tokens issued after it, e.g. the new session a user starts after a role change.
 */
export function revocationConcerns(
  revocation: TokenRevocation,
  user: Pick<AuthUser, 'userId' | 'jti'>,
): boolean {
  return revocation.scope === 'token'
    ? revocation.jti === user.jti
    : revocation.userId === user.userId;
}
