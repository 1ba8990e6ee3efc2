import jwt from 'jsonwebtoken';

import { AuthException } from '../auth.exception';
import { AccessTokenVerifier, bearerTokenOf, verifiedTokenOf } from './access-token-verifier';
import type { JwtKeys } from './jwt-keys.provider';

const SECRET = 'a-test-secret-that-is-long-enough-0123456789';
const ISSUER = 'lead-scoring';
const AUDIENCE = 'lead-scoring-api';
const NOW_S = Math.floor(Date.UTC(2026, 11, 5, 9, 0, 0) / 1000);

function keysWithLookups(): { keys: JwtKeys; lookups: () => number } {
  let lookups = 0;
  const keys = {
    algorithm: 'HS256',
    issuer: ISSUER,
    audience: AUDIENCE,
    verificationKey: (_header: unknown, callback: (error: Error | null, key?: string) => void) => {
      lookups += 1;
      callback(null, SECRET);
    },
  } as unknown as JwtKeys;
  return { keys, lookups: () => lookups };
}

function sign(claims: Record<string, unknown>, options: jwt.SignOptions = {}): string {
  return jwt.sign({ iat: NOW_S, ...claims }, SECRET, {
    algorithm: 'HS256',
    issuer: ISSUER,
    audience: AUDIENCE,
    expiresIn: 60,
    subject: 'u1',
    jwtid: 'j1',
    ...options,
  });
}

const CLAIMS = { tenantId: 't1', role: 'REP' };

function base64url(value: object): string {
  return Buffer.from(JSON.stringify(value)).toString('base64url');
}

async function refusal(promise: Promise<unknown>): Promise<string> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(AuthException);
  return (error as AuthException).message;
}

describe('bearerTokenOf', () => {
  it.each([
    ['Bearer abc.def.ghi', 'abc.def.ghi'],
    ['bearer abc', 'abc'],
    ['BEARER   abc', 'abc'],
    ['Basic abc', undefined],
    ['Bearer', undefined],
    ['', undefined],
    [undefined, undefined],
  ])('%j → %j', (header, token) => {
    expect(bearerTokenOf(header)).toBe(token);
  });
});

describe('verifiedTokenOf', () => {
  it('maps the claims and takes the issue time in ms when the token has it', () => {
    expect(
      verifiedTokenOf({ sub: 'u1', ...CLAIMS, jti: 'j', exp: 10, iat: 5, iatMs: 5_123 }),
    ).toEqual({ userId: 'u1', tenantId: 't1', role: 'REP', jti: 'j', exp: 10, issuedAtMs: 5_123 });
    expect(verifiedTokenOf({ sub: 'u1', ...CLAIMS, jti: 'j', exp: 10, iat: 5 }).issuedAtMs).toBe(
      5_000,
    );
  });

  it.each([
    ['no subject', { ...CLAIMS, jti: 'j', exp: 10, iat: 5 }],
    ['no tenant', { sub: 'u1', role: 'REP', jti: 'j', exp: 10, iat: 5 }],
    ['an unknown role', { sub: 'u1', tenantId: 't1', role: 'ROOT', jti: 'j', exp: 10, iat: 5 }],
    ['no jti', { sub: 'u1', ...CLAIMS, exp: 10, iat: 5 }],
    ['no exp', { sub: 'u1', ...CLAIMS, jti: 'j', iat: 5 }],
  ])('refuses claims with %s', (_name, payload) => {
    expect(() => verifiedTokenOf(payload)).toThrow('access token lacks required claims');
  });
});

describe('AccessTokenVerifier', () => {
  let now: jest.SpyInstance<number>;
  beforeEach(() => {
    now = jest.spyOn(Date, 'now').mockReturnValue(NOW_S * 1000);
  });
  afterEach(() => now.mockRestore());

  it('verifies a token once, then answers the same text from its cache', async () => {
    const { keys, lookups } = keysWithLookups();
    const verifier = new AccessTokenVerifier(keys);
    const token = sign(CLAIMS);

    const first = await verifier.verify(token);
    const second = await verifier.verify(token);

    expect(first).toMatchObject({ userId: 'u1', tenantId: 't1', role: 'REP', jti: 'j1' });
    expect(second).toBe(first);
    expect(lookups()).toBe(1);
  });

  it('refuses a cached token once it expires, as it refuses it uncached', async () => {
    const { keys } = keysWithLookups();
    const verifier = new AccessTokenVerifier(keys);
    const token = sign(CLAIMS, { expiresIn: 60 });
    await verifier.verify(token);

    now.mockReturnValue((NOW_S + 60) * 1000);

    expect(await refusal(verifier.verify(token))).toBe('access token expired');
  });

  it('verifies again after five minutes, whatever the token’s expiry', async () => {
    const { keys, lookups } = keysWithLookups();
    const verifier = new AccessTokenVerifier(keys);
    const token = sign(CLAIMS, { expiresIn: 3_600 });
    await verifier.verify(token);

    now.mockReturnValue(NOW_S * 1000 + 5 * 60_000 - 1);
    await verifier.verify(token);
    expect(lookups()).toBe(1);
    now.mockReturnValue(NOW_S * 1000 + 5 * 60_000);
    await verifier.verify(token);
    expect(lookups()).toBe(2);
  });

  it('caches no refusal: a bad token is checked, and refused, every time', async () => {
    const { keys, lookups } = keysWithLookups();
    const verifier = new AccessTokenVerifier(keys);
    const [header, payload] = sign(CLAIMS).split('.');
    const forged = `${header}.${payload}.${Buffer.from('not the signature').toString('base64url')}`;

    expect(await refusal(verifier.verify(forged))).toBe('access token signature is invalid');
    expect(await refusal(verifier.verify(forged))).toBe('access token signature is invalid');
    expect(lookups()).toBe(2);
  });

  it.each([
    ['a wrong issuer', () => sign(CLAIMS, { issuer: 'other' }), /issuer/],
    ['a wrong audience', () => sign(CLAIMS, { audience: 'other' }), /audience/],
    ['another algorithm', () => jwt.sign(CLAIMS, SECRET, { algorithm: 'HS512' }), /algorithm/],
    ['no claims', () => sign({}), /lacks required claims/],
    ['garbage', () => 'not.a.jwt', /^access token is malformed$/],
    ['a header without alg', () => `${base64url({ typ: 'JWT' })}.e30.x`, /is malformed$/],
    ['a token not valid yet', () => sign(CLAIMS, { notBefore: 600 }), /not yet valid/],
  ])('refuses %s', async (_name, token, message) => {
    const { keys } = keysWithLookups();
    expect(await refusal(new AccessTokenVerifier(keys).verify(token()))).toMatch(message);
  });

  it('says why when the key cannot be found (RS256: the JWKS), as passport-jwt did', async () => {
    const keys = {
      algorithm: 'RS256',
      issuer: ISSUER,
      audience: AUDIENCE,
      verificationKey: (_header: unknown, callback: (error: Error | null) => void) =>
        callback(new Error('token has no kid')),
    } as unknown as JwtKeys;
    expect(await refusal(new AccessTokenVerifier(keys).verify(sign(CLAIMS)))).toBe(
      'access token refused: token has no kid',
    );
  });

  it('answers a frozen token: one cached object serves every request with that token', async () => {
    const { keys } = keysWithLookups();
    const verified = await new AccessTokenVerifier(keys).verify(sign(CLAIMS));
    expect(Object.isFrozen(verified)).toBe(true);
  });
});
