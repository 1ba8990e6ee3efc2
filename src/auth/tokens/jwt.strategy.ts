import { Injectable } from '@nestjs/common';
import { PassportStrategy } from '@nestjs/passport';
import type { JwtPayload } from 'jsonwebtoken';
import { ExtractJwt, Strategy } from 'passport-jwt';

import { AuthUser } from '../auth-user';
import { AccessTokenService } from './access-token.service';
import { JwtKeys } from './jwt-keys.provider';

/** passport-jwt for HTTP and GraphQL over HTTP: Bearer token, pinned algorithm, issuer, audience. */
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

  validate(payload: JwtPayload): Promise<AuthUser> {
    return this.accessTokens.validatePayload(payload);
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
