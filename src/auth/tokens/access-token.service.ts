import { randomUUID } from 'node:crypto';

import { Inject, Injectable, Logger } from '@nestjs/common';
import Redis from 'ioredis';
import jwt from 'jsonwebtoken';

import { EventBus } from '@/common/redis/event-bus.service';
import { REDIS_CLIENT } from '@/common/redis/redis.constants';
import { APP_CONFIG } from '@/config/app-config';
import type { ConnectedAppConfig } from '@/config/app-config';

import { AuthErrorReason, AuthException } from '../auth.exception';
import { AuthUser } from '../auth-user';
import { Role } from '../role.enum';
import { AccessTokenVerifier } from './access-token-verifier';
import { JwtKeys } from './jwt-keys.provider';

/** EventBus topic on which every revocation is announced, so each api process can close sockets. */
export const TOKENS_REVOKED_TOPIC = 'auth.tokensRevoked';

/** The refusal of a revoked access token (logout, deactivation, role change). */
export function revokedTokenError(): AuthException {
  return new AuthException(AuthErrorReason.INVALID_TOKEN, 'access token has been revoked');
}

/** One access token (logout), or every token of a user issued until now. */
export type TokenRevocation =
  | { readonly scope: 'token'; readonly jti: string }
  | { readonly scope: 'user'; readonly userId: string };

export interface SignedAccessToken {
  readonly token: string;
  readonly expiresAt: Date;
}

/**
 * Signs access tokens and decides whether a verified one still counts: logout revokes a token's
 * `jti`; deactivation and role changes revoke every token of the user issued before that moment.
 * Both live in Redis for as long as such a token could still be valid, and each is announced on
 * the EventBus (after it is stored) so that open WebSockets holding such a token close at once.
 */
@Injectable()
export class AccessTokenService {
  private readonly logger = new Logger(AccessTokenService.name);
  private readonly authPrefix: string;
  private readonly ttlSeconds: number;

  constructor(
    private readonly keys: JwtKeys,
    private readonly verifier: AccessTokenVerifier,
    @Inject(REDIS_CLIENT) private readonly redis: Redis,
    private readonly events: EventBus,
    @Inject(APP_CONFIG) config: ConnectedAppConfig,
  ) {
    this.authPrefix = `${config.redis.prefix}:auth:`;
    this.ttlSeconds = config.auth.accessTokenTtlSeconds;
  }

  sign(user: { userId: string; tenantId: string; role: Role }): SignedAccessToken {
    const key = this.keys.signingKey;
    if (!key) {
      throw new AuthException(
        AuthErrorReason.SIGNING_UNAVAILABLE,
        'this deployment verifies tokens from an identity provider and issues none itself',
      );
    }
    const nowMs = Date.now();
    const token = jwt.sign({ tenantId: user.tenantId, role: user.role, iatMs: nowMs }, key, {
      algorithm: this.keys.algorithm,
      expiresIn: this.ttlSeconds,
      issuer: this.keys.issuer,
      audience: this.keys.audience,
      subject: user.userId,
      jwtid: randomUUID(),
      ...(this.keys.keyId ? { keyid: this.keys.keyId } : {}),
    });
    return { token, expiresAt: new Date(Math.floor(nowMs / 1000) * 1000 + this.ttlSeconds * 1000) };
  }

  /** Full verification for callers outside the guards (the WebSocket handshake and its rechecks). */
  async verify(token: string): Promise<AuthUser> {
    const verified = await this.verifier.verify(token);
    const [revokedJti, revokedBefore] = await this.redis.mget(...this.revocationKeys(verified));
    if (
      revokedJti !== null ||
      (revokedBefore !== null && verified.issuedAtMs <= Number(revokedBefore))
    ) {
      throw revokedTokenError();
    }
    const { issuedAtMs: _issuedAtMs, ...user } = verified;
    return user;
  }

  /**
   * The keys that revoke a token: the token's own (set by logout: revoked while it exists) and its
   * user's (a time in ms: tokens issued until then are revoked). They share a hash tag (the user
   * id), so that one MGET or script reads both on a Redis Cluster.
   */
  revocationKeys(token: Pick<AuthUser, 'userId' | 'jti'>): [jti: string, before: string] {
    return [this.revokedTokenKey(token.userId, token.jti), this.revokedBeforeKey(token.userId)];
  }

  async revokeToken(user: Pick<AuthUser, 'userId' | 'jti' | 'exp'>): Promise<void> {
    const ttl = user.exp - Math.floor(Date.now() / 1000);
    if (ttl <= 0) return;
    await this.redis.set(this.revokedTokenKey(user.userId, user.jti), '1', 'EX', ttl + 1);
    await this.announce({ scope: 'token', jti: user.jti });
  }

  /** Every access token of the user issued until now stops working. */
  async revokeAllForUser(userId: string): Promise<void> {
    await this.redis.set(
      this.revokedBeforeKey(userId),
      String(Date.now()),
      'EX',
      this.ttlSeconds + 60,
    );
    await this.announce({ scope: 'user', userId });
  }

  private revokedTokenKey(userId: string, jti: string): string {
    return `${this.authPrefix}{${userId}}:revoked-jti:${jti}`;
  }

  private revokedBeforeKey(userId: string): string {
    return `${this.authPrefix}{${userId}}:revoked-before`;
  }

  /**
   * The revocation is already in force through Redis; the announcement only makes open sockets
   * notice it now rather than at their next periodic check, so its failure must not fail the caller.
   */
  private async announce(revocation: TokenRevocation): Promise<void> {
    try {
      await this.events.publish(TOKENS_REVOKED_TOPIC, revocation);
    } catch (error) {
      this.logger.warn(`revocation not announced to open sockets: ${String(error)}`);
    }
  }
}
