import { generateKeyPairSync, KeyObject } from 'node:crypto';
import { once } from 'node:events';
import { createServer, Server } from 'node:http';

import jwt from 'jsonwebtoken';

import { bearer, login, registerTenant, Session } from '@test/utils/auth';
import { gql } from '@test/utils/graphql-client';
import {
  dropTestDatabase,
  newTestNamespace,
  startTestApp,
  TEST_JWT_SECRET,
  TestApp,
  useTestApp,
} from '@test/utils/test-app';
import { wsConnect } from '@test/utils/ws-connect';

const ISSUER = 'lead-scoring';
const AUDIENCE = 'lead-scoring-api';

function base64url(value: object): string {
  return Buffer.from(JSON.stringify(value)).toString('base64url');
}

function claimsOf(session: Session): Record<string, unknown> {
  return { sub: session.userId, tenantId: session.tenantId, role: 'ADMIN' };
}

function hs256(
  claims: Record<string, unknown>,
  options: jwt.SignOptions = {},
  secret = TEST_JWT_SECRET,
): string {
  return jwt.sign(claims, secret, {
    algorithm: 'HS256',
    issuer: ISSUER,
    audience: AUDIENCE,
    expiresIn: 300,
    jwtid: 'j-1',
    ...options,
  });
}

/** Sends the token over HTTP (GraphQL `me`) and over the WebSocket handshake; both must refuse it. */
async function expectRefusedEverywhere(
  sut: TestApp,
  token: string,
  message?: RegExp,
): Promise<void> {
  const http = await gql(sut.url, '{ me { id } }', { headers: bearer(token) });
  expect(http.data).toBeNull();
  expect(http.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
  if (message) expect(http.errors?.[0]?.message).toMatch(message);

  const ws = await wsConnect(sut.wsUrl, { authorization: `Bearer ${token}` });
  expect(ws).toEqual({ accepted: false, closeCode: 4403, reason: 'Forbidden' });
}

describe('bad access tokens (HS256)', () => {
  const sut = useTestApp();
  let admin: Session;

  beforeAll(async () => {
    admin = await registerTenant(sut.url);
  });

  it('accepts a valid token over HTTP and the WebSocket (control)', async () => {
    const http = await gql(sut.url, '{ me { id } }', { headers: bearer(admin) });
    expect(http.errors).toBeUndefined();
    expect(await wsConnect(sut.wsUrl, { authorization: `Bearer ${admin.accessToken}` })).toEqual({
      accepted: true,
    });
    expect(await wsConnect(sut.wsUrl, { token: admin.accessToken })).toEqual({ accepted: true });
  });

  it('refuses a request without a token', async () => {
    const http = await gql(sut.url, '{ me { id } }');
    expect(http.errors?.[0]).toMatchObject({
      message: 'authentication required: send Authorization: Bearer <access token>',
      extensions: { code: 'UNAUTHENTICATED' },
    });
    expect(await wsConnect(sut.wsUrl, {})).toMatchObject({ accepted: false, closeCode: 4403 });
  });

  it('refuses garbage', async () => {
    await expectRefusedEverywhere(sut, 'not.a.jwt', /malformed|invalid/);
  });

  it('refuses alg "none" (unsigned)', async () => {
    const token = `${base64url({ alg: 'none', typ: 'JWT' })}.${base64url({ ...claimsOf(admin), iss: ISSUER, aud: AUDIENCE, jti: 'x', iat: Math.floor(Date.now() / 1000), exp: Math.floor(Date.now() / 1000) + 300 })}.`;
    await expectRefusedEverywhere(sut, token);
  });

  it('refuses another algorithm, even with the right secret (HS512)', async () => {
    await expectRefusedEverywhere(sut, hs256(claimsOf(admin), { algorithm: 'HS512' }), /algorithm/);
  });

  it('refuses an RS256 token when HS256 is pinned', async () => {
    const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const token = jwt.sign(claimsOf(admin), privateKey, {
      algorithm: 'RS256',
      issuer: ISSUER,
      audience: AUDIENCE,
      expiresIn: 300,
      jwtid: 'j',
    });
    await expectRefusedEverywhere(sut, token, /algorithm/);
  });

  it('refuses a wrong issuer', async () => {
    await expectRefusedEverywhere(sut, hs256(claimsOf(admin), { issuer: 'evil-issuer' }), /issuer/);
  });

  it('refuses a wrong audience', async () => {
    await expectRefusedEverywhere(
      sut,
      hs256(claimsOf(admin), { audience: 'another-api' }),
      /audience/,
    );
  });

  it('refuses an expired token', async () => {
    const past = Math.floor(Date.now() / 1000) - 3600;
    const expired = jwt.sign({ ...claimsOf(admin), iat: past, exp: past + 60 }, TEST_JWT_SECRET, {
      algorithm: 'HS256',
      issuer: ISSUER,
      audience: AUDIENCE,
      jwtid: 'j-expired',
    });
    await expectRefusedEverywhere(sut, expired, /expired/);
  });

  it('refuses a token that is not valid yet (nbf)', async () => {
    await expectRefusedEverywhere(
      sut,
      hs256(claimsOf(admin), { notBefore: 600 }),
      /not yet valid|not active/,
    );
  });

  it('refuses a tampered token (payload changed, signature kept)', async () => {
    const [header, , signature] = admin.accessToken.split('.');
    const payload = JSON.parse(
      Buffer.from(admin.accessToken.split('.')[1], 'base64url').toString(),
    ) as Record<string, unknown>;
    const forged = `${header}.${base64url({ ...payload, tenantId: '0123456789abcdef01234567' })}.${signature}`;
    await expectRefusedEverywhere(sut, forged, /signature/);
  });

  it('refuses a token signed with another secret', async () => {
    await expectRefusedEverywhere(
      sut,
      hs256(claimsOf(admin), {}, 'another-secret-that-is-long-enough-123456'),
      /signature/,
    );
  });

  it('refuses a validly signed token that lacks the required claims', async () => {
    await expectRefusedEverywhere(sut, hs256({ sub: admin.userId, role: 'ADMIN' }), /claims/);
  });

  it('refuses a revoked token (after logout)', async () => {
    const session = await login(sut.url, admin.email);
    const logout = await gql(sut.url, 'mutation { logout }', { headers: bearer(session) });
    expect(logout.errors).toBeUndefined();
    await expectRefusedEverywhere(sut, session.accessToken, /revoked/);
  });
});

describe('access tokens through a JWKS (RS256)', () => {
  const namespace = newTestNamespace();
  const keyId = 'key-2026-11';
  let jwks: Server;
  let sut: TestApp;
  let privateKey: KeyObject;
  let publicPem: string;

  beforeAll(async () => {
    const pair = generateKeyPairSync('rsa', { modulusLength: 2048 });
    privateKey = pair.privateKey;
    publicPem = pair.publicKey.export({ type: 'spki', format: 'pem' }).toString();
    const jwk = {
      ...pair.publicKey.export({ format: 'jwk' }),
      kid: keyId,
      alg: 'RS256',
      use: 'sig',
    };
    jwks = createServer((_req, res) => {
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify({ keys: [jwk] }));
    });
    jwks.listen(0, '127.0.0.1');
    await once(jwks, 'listening');
    const { port } = jwks.address() as { port: number };
    sut = await startTestApp({
      namespace,
      env: {
        JWT_ALGORITHM: 'RS256',
        JWT_JWKS_URL: `http://127.0.0.1:${port}/.well-known/jwks.json`,
        JWT_PRIVATE_KEY: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
        JWT_KEY_ID: keyId,
      },
    });
  });

  afterAll(async () => {
    await sut?.close();
    jwks?.close();
    await dropTestDatabase(namespace);
  });

  it('issues RS256 tokens at login that verify through the JWKS, over HTTP and WebSocket', async () => {
    const admin = await registerTenant(sut.url);
    const header = JSON.parse(
      Buffer.from(admin.accessToken.split('.')[0], 'base64url').toString(),
    ) as Record<string, unknown>;

    expect(header).toMatchObject({ alg: 'RS256', kid: keyId });
    expect(
      (await gql(sut.url, '{ me { id } }', { headers: bearer(admin) })).errors,
    ).toBeUndefined();
    expect(await wsConnect(sut.wsUrl, { authorization: `Bearer ${admin.accessToken}` })).toEqual({
      accepted: true,
    });
  });

  it('refuses the HS256-with-the-public-key confusion attack', async () => {
    const admin = await registerTenant(sut.url);
    const token = jwt.sign(claimsOf(admin), publicPem, {
      algorithm: 'HS256',
      issuer: ISSUER,
      audience: AUDIENCE,
      expiresIn: 300,
      jwtid: 'j',
      keyid: keyId,
    });
    await expectRefusedEverywhere(sut, token);
  });

  it('refuses a token whose kid is not in the JWKS', async () => {
    const admin = await registerTenant(sut.url);
    const other = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey;
    const token = jwt.sign(claimsOf(admin), other, {
      algorithm: 'RS256',
      issuer: ISSUER,
      audience: AUDIENCE,
      expiresIn: 300,
      jwtid: 'j',
      keyid: 'unknown-kid',
    });
    await expectRefusedEverywhere(sut, token);
  });

  it('refuses a correctly signed token for the wrong issuer or audience', async () => {
    const admin = await registerTenant(sut.url);
    const sign = (options: jwt.SignOptions) =>
      jwt.sign(claimsOf(admin), privateKey, {
        algorithm: 'RS256',
        issuer: ISSUER,
        audience: AUDIENCE,
        expiresIn: 300,
        jwtid: 'j',
        keyid: keyId,
        ...options,
      });
    await expectRefusedEverywhere(sut, sign({ issuer: 'someone-else' }), /issuer/);
    await expectRefusedEverywhere(sut, sign({ audience: 'another-api' }), /audience/);
  });
});
