import { Injectable } from '@nestjs/common';
import { PassportStrategy } from '@nestjs/passport';
import type { JwtPayload } from 'jsonwebtoken';
import { ExtractJwt, Strategy } from 'passport-jwt';

import { AccessTokenService, VerifiedAccessToken } from './access-token.service';
import { JwtKeys } from './jwt-keys.provider';

/**
 * passport-jwt for HTTP and GraphQL over HTTP: Bearer token, pinned algorithm, issuer, audience,
 * well-formed claims. Revocation is `RequestGate`'s to check.
 */
@Injectable()
export class JwtStrategy extends PassportStrategy(Strategy, 'jwt') {
  constructor(
    keys: JwtKeys,
    private readonly accessTokens: AccessTokenService,
  ) {
    super({
      jwtFromRequest: ExtractJwt.fromAuthHeaderAsBearerToken(),
      algorithms: [keys.algorithm],
      issuer: keys.issuer,
      audience: keys.audience,
      ignoreExpiration: false,
      secretOrKeyProvider: (
        _request: unknown,
        rawJwtToken: string,
        done: (error: unknown, key?: string | Buffer) => void,
      ) => {
        const header = decodeHeader(rawJwtToken);
        if (!header) {
          done(new Error('jwt malformed'));
          return;
        }
        keys.verificationKey(header, (error, key) =>
          done(error, key as string | Buffer | undefined),
        );
      },
    });
  }

  /**
   * Signature and times are checked by then; the claims here. Whether the token was revoked is
   * checked by `RequestGate`, in the same Redis call as the request budgets: this strategy is not
   * to be used without it.
   */
  validate(payload: JwtPayload): VerifiedAccessToken {
    return this.accessTokens.verifiedToken(payload);
  }
}

function decodeHeader(token: string): { kid?: string; alg: string } | undefined {
  try {
    const [header] = token.split('.');
    const parsed = JSON.parse(Buffer.from(header, 'base64url').toString('utf8')) as unknown;
    return parsed && typeof parsed === 'object' && 'alg' in parsed
      ? (parsed as { kid?: string; alg: string })
      : undefined;
  } catch {
    return undefined;
  }
}
