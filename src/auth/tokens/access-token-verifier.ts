import type { KeyObject } from 'node:crypto';

import { Injectable } from '@nestjs/common';
import jwt, { JwtHeader, JwtPayload, Secret } from 'jsonwebtoken';

import { AuthErrorReason, AuthException } from '../auth.exception';
import { AuthUser } from '../auth-user';
import { Role } from '../role.enum';
import { JwtKeys } from './jwt-keys.provider';
import { VerifiedTokenCache } from './verified-token-cache';

const ROLES = new Set<string>(Object.values(Role));

/**
 * Verified tokens kept (a token is ~300 bytes of text; 10,000 is a few MB) and how long one
 * verification is reused at most. With RS256, the JWKS client keeps a key for 10 minutes after
 * fetching it, so a key taken out of the JWKS was accepted for up to 10 minutes before this cache;
 * a token verified just before then is accepted for up to 5 minutes more (15 at most). Access
 * tokens live 15 minutes; revoking them (logout, deactivation) works at once all the same.
 */
const CACHED_TOKENS = 10_000;
const CACHE_MAX_AGE_MS = 5 * 60_000;

/** A token whose signature, times and claims were checked, with its issue time in ms. */
export interface VerifiedAccessToken extends AuthUser {
  readonly issuedAtMs: number;
}

/** What jsonwebtoken says, as the API says it. */
const REASONS: Readonly<Record<string, string>> = {
  'jwt expired': 'access token expired',
  'jwt not active': 'access token not yet valid',
  'invalid signature': 'access token signature is invalid',
  'invalid algorithm': 'access token algorithm is not accepted',
  'jwt malformed': 'access token is malformed',
};

function refusal(detail: string): AuthException {
  return new AuthException(
    AuthErrorReason.INVALID_TOKEN,
    REASONS[detail] ?? `access token refused: ${detail}`,
  );
}

/** The token's header when it is a JSON object naming an `alg`, else undefined (malformed). */
function decodeHeader(token: string): JwtHeader | undefined {
  try {
    const parsed = JSON.parse(
      Buffer.from(token.split('.')[0], 'base64url').toString('utf8'),
    ) as unknown;
    return parsed !== null && typeof parsed === 'object' && 'alg' in parsed
      ? (parsed as JwtHeader)
      : undefined;
  } catch {
    return undefined;
  }
}

/** The refusal of a request that carries no access token. */
export function missingTokenError(): AuthException {
  return new AuthException(
    AuthErrorReason.INVALID_TOKEN,
    'authentication required: send Authorization: Bearer <access token>',
  );
}

/** The token of an `Authorization: Bearer <token>` header (the scheme in any case), if any. */
export function bearerTokenOf(authorization: string | undefined): string | undefined {
  const match = authorization?.match(/(\S+)\s+(\S+)/);
  return match && match[1].toLowerCase() === 'bearer' ? match[2] : undefined;
}

/**
 * Who a token with a checked signature and times speaks for, when its claims are present and
 * well-formed; whether it was revoked is not looked at here (`AccessTokenService.revocationKeys`).
 */
export function verifiedTokenOf(payload: JwtPayload): VerifiedAccessToken {
  const { sub, tenantId, role, jti, exp, iat } = payload as JwtPayload & {
    tenantId?: unknown;
    role?: unknown;
  };
  if (
    typeof sub !== 'string' ||
    typeof tenantId !== 'string' ||
    typeof role !== 'string' ||
    !ROLES.has(role) ||
    typeof jti !== 'string' ||
    typeof exp !== 'number' ||
    typeof iat !== 'number'
  ) {
    throw new AuthException(AuthErrorReason.INVALID_TOKEN, 'access token lacks required claims');
  }
  const issuedAtMs = typeof payload.iatMs === 'number' ? payload.iatMs : iat * 1000;
  return { userId: sub, tenantId, role: role as Role, jti, exp, issuedAtMs };
}

/**
 * Checks an access token's signature (the algorithm pinned: `none` and any other `alg` refused
 * before the signature is looked at), its times, issuer, audience and claims, for HTTP, GraphQL
 * and the WebSocket handshake alike. Not its revocation: `RequestGate` asks Redis for that on every
 * request, in the same call as the request budgets.
 *
 * It replaces passport-jwt, whose strategy did the same through three layers of callbacks. A
 * token verified once is remembered by its exact text (see `VerifiedTokenCache`), so a client's
 * following requests skip the signature and JSON work.
 */
@Injectable()
export class AccessTokenVerifier {
  private readonly cache = new VerifiedTokenCache<VerifiedAccessToken>({
    maxEntries: CACHED_TOKENS,
    maxAgeMs: CACHE_MAX_AGE_MS,
  });

  constructor(private readonly keys: JwtKeys) {}

  /** The token's user and claims; AuthException (INVALID_TOKEN) with the reason when refused. */
  async verify(token: string): Promise<VerifiedAccessToken> {
    const cached = this.cache.get(token, Date.now());
    if (cached) return cached;
    // As passport-jwt did: the header read first (no `alg`: malformed), then the key it names
    // (a JWKS lookup for RS256), then signature, algorithm, times, issuer and audience.
    const header = decodeHeader(token);
    if (!header) throw refusal('jwt malformed');
    const key = await new Promise<Secret | KeyObject>((resolve, reject) =>
      this.keys.verificationKey(header, (error, found) =>
        error || !found
          ? reject(error ?? new Error('no key'))
          : resolve(found as Secret | KeyObject),
      ),
    ).catch((error: Error) => {
      throw refusal(error.message);
    });
    let payload: JwtPayload;
    try {
      payload = jwt.verify(token, key, {
        algorithms: [this.keys.algorithm],
        issuer: this.keys.issuer,
        audience: this.keys.audience,
      }) as JwtPayload;
    } catch (error) {
      throw refusal(error instanceof Error ? error.message : String(error));
    }
    // Frozen: one object answers every request with this token while it is cached.
    const verified = Object.freeze(verifiedTokenOf(payload));
    this.cache.set(token, verified, Date.now());
    return verified;
  }
}
