import { createPublicKey, createSecretKey, KeyObject } from 'node:crypto';

import { Inject, Injectable } from '@nestjs/common';
import { JwksClient } from 'jwks-rsa';
import type { JwtHeader, SigningKeyCallback } from 'jsonwebtoken';

import { APP_CONFIG } from '@/config/app-config';
import type { ConnectedAppConfig, JwtAlgorithm } from '@/config/app-config';

/**
 * The key material of access tokens, in one place for signing and for verifying them (HTTP,
 * GraphQL, the WebSocket handshake: `AccessTokenVerifier`). The algorithm is pinned: tokens with
 * any other `alg` (`none` included) are refused before their signature is even looked at.
 */
@Injectable()
export class JwtKeys {
  readonly algorithm: JwtAlgorithm;
  readonly issuer: string;
  readonly audience: string;
  private readonly jwks: JwksClient | undefined;
  private hmacKeyObject?: KeyObject;
  /** By PEM: the JWKS keys seen (a handful; rotation adds one). */
  private readonly publicKeys = new Map<string, KeyObject>();

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

  /**
   * Keys as KeyObjects, made once: given a string, jsonwebtoken builds a KeyObject on every
   * verification, which was the largest CPU cost of an authenticated request (2.0 s of 17 s busy
   * in a profile of the leads benchmark). jsonwebtoken accepts KeyObjects as they are.
   */
  private get hmacKey(): KeyObject {
    this.hmacKeyObject ??= createSecretKey(Buffer.from(this.config.auth.jwtSecret ?? ''));
    return this.hmacKeyObject;
  }

  private publicKeyObject(pem: string): KeyObject {
    let key = this.publicKeys.get(pem);
    if (!key) {
      key = createPublicKey(pem);
      this.publicKeys.set(pem, key);
    }
    return key;
  }

  get keyId(): string | undefined {
    return this.algorithm === 'RS256' ? this.config.auth.jwtKeyId : undefined;
  }

  /** jsonwebtoken-style key lookup: the HS256 secret, or the JWKS key named by the token's `kid`. */
  readonly verificationKey = (header: JwtHeader, callback: SigningKeyCallback): void => {
    if (this.algorithm === 'HS256') {
      callback(null, this.hmacKey);
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
      (key) => callback(null, this.publicKeyObject(key.getPublicKey())),
      (error: Error) => callback(error),
    );
  };
}
