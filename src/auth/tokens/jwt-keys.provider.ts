import { Inject, Injectable } from '@nestjs/common';
import { JwksClient } from 'jwks-rsa';
import type { JwtHeader, SigningKeyCallback } from 'jsonwebtoken';

import { APP_CONFIG } from '@/config/app-config';
import type { ConnectedAppConfig, JwtAlgorithm } from '@/config/app-config';

/**
 * The key material of access tokens, in one place for signing, for passport-jwt (HTTP) and for the
 * WebSocket handshake. The algorithm is pinned: tokens with any other `alg` (`none` included) are
 * refused before their signature is even looked at.
 */
@Injectable()
export class JwtKeys {
  readonly algorithm: JwtAlgorithm;
  readonly issuer: string;
  readonly audience: string;
  private readonly jwks: JwksClient | undefined;

  constructor(@Inject(APP_CONFIG) private readonly config: ConnectedAppConfig) {
    const { auth } = config;
    this.algorithm = auth.jwtAlgorithm;
    this.issuer = auth.issuer;
    this.audience = auth.audience;
    this.jwks =
      auth.jwtAlgorithm === 'RS256' && auth.jwksUrl
        ? new JwksClient({
            jwksUri: auth.jwksUrl,
            cache: true,
            cacheMaxAge: 10 * 60_000,
            rateLimit: true,
            timeout: 5_000,
          })
        : undefined;
  }

  /** What signs our own tokens; undefined when this deployment only verifies (RS256 without a private key). */
  get signingKey(): string | undefined {
    return this.algorithm === 'HS256' ? this.config.auth.jwtSecret : this.config.auth.jwtPrivateKey;
  }

  get keyId(): string | undefined {
    return this.algorithm === 'RS256' ? this.config.auth.jwtKeyId : undefined;
  }

  /** jsonwebtoken-style key lookup: the HS256 secret, or the JWKS key named by the token's `kid`. */
  readonly verificationKey = (header: JwtHeader, callback: SigningKeyCallback): void => {
    if (this.algorithm === 'HS256') {
      callback(null, this.config.auth.jwtSecret);
      return;
    }
    if (!this.jwks) {
      callback(new Error('no JWKS configured'));
      return;
    }
    if (!header.kid) {
      callback(new Error('token has no kid'));
      return;
    }
    this.jwks.getSigningKey(header.kid).then(
      (key) => callback(null, key.getPublicKey()),
      (error: Error) => callback(error),
    );
  };
}
