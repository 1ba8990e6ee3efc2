import request from 'supertest';

import { bearer, createUserSession, login, registerTenant, TEST_PASSWORD } from '@test/utils/auth';
import { gql } from '@test/utils/graphql-client';
import { dropTestDatabase, newTestNamespace, startTestApp, TestApp } from '@test/utils/test-app';

const LOGIN = 'mutation($input: LoginInput!) { login(input: $input) { accessToken } }';

/** Two api instances sharing one Redis (and prefix), as two replicas behind a load balancer. */
describe('rate limits shared by every api instance', () => {
  const namespace = newTestNamespace();
  const env = {
    LOGIN_MAX_ATTEMPTS: '3',
    LOGIN_WINDOW_SECONDS: '600',
    RATE_LIMIT_USER_PER_MINUTE: '5',
  };
  let first: TestApp;
  let second: TestApp;

  beforeAll(async () => {
    first = await startTestApp({ namespace, env });
    second = await startTestApp({ namespace, env });
  });

  afterAll(async () => {
    await Promise.all([first?.close(), second?.close()]);
    await dropTestDatabase(namespace);
  });

  it('stops brute-force login per email and IP with RATE_LIMITED and a retry-after, across instances', async () => {
    const admin = await registerTenant(first.url);
    const attempt = (app: TestApp, password: string) =>
      gql(app.url, LOGIN, { variables: { input: { email: admin.email, password } } });

    const answers = [];
    for (const app of [first, second, first])
      answers.push(await attempt(app, 'wrong-password-123'));
    expect(answers.map((answer) => answer.errors?.[0]?.extensions?.code)).toEqual([
      'UNAUTHENTICATED',
      'UNAUTHENTICATED',
      'UNAUTHENTICATED',
    ]);

    // The fourth try, on the other instance, is refused even with the right password.
    const limited = await attempt(second, TEST_PASSWORD);
    expect(limited.data).toBeNull();
    expect(limited.errors?.[0]).toMatchObject({
      message: expect.stringMatching(/^too many login attempts: retry in \d+ s$/),
      extensions: { code: 'RATE_LIMITED', retryAfterSeconds: expect.any(Number) },
    });
    const retryAfter = limited.errors![0].extensions!.retryAfterSeconds as number;
    expect(retryAfter).toBeGreaterThan(500);
    expect(retryAfter).toBeLessThanOrEqual(600);

    const audit = await gql<{ auditEvents: { action: string }[] }>(
      first.url,
      '{ auditEvents(limit: 50, action: LOGIN_FAILED) { action } }',
      { headers: bearer(admin) },
    );
    expect(audit.data?.auditEvents).toHaveLength(3);
  });

  it('limits a user to RATE_LIMIT_USER_PER_MINUTE requests, counted across instances', async () => {
    const admin = await registerTenant(first.url);
    const codes: (string | undefined)[] = [];
    for (let i = 0; i < 6; i++) {
      const app = i % 2 === 0 ? first : second;
      const response = await gql(app.url, '{ me { id } }', { headers: bearer(admin) });
      codes.push(response.errors?.[0]?.extensions?.code);
    }

    expect(codes.slice(0, 5)).toEqual([undefined, undefined, undefined, undefined, undefined]);
    expect(codes[5]).toBe('RATE_LIMITED');
    // Another user is not affected.
    const other = await registerTenant(second.url);
    expect(
      (await gql(first.url, '{ me { id } }', { headers: bearer(other) })).errors,
    ).toBeUndefined();
  });
});

describe('one budget per user for GraphQL and REST', () => {
  const namespace = newTestNamespace();
  let sut: TestApp;

  beforeAll(async () => {
    sut = await startTestApp({ namespace, env: { RATE_LIMIT_USER_PER_MINUTE: '4' } });
  });

  afterAll(async () => {
    await sut?.close();
    await dropTestDatabase(namespace);
  });

  it('counts GraphQL root fields of any kind and REST calls against the same budget', async () => {
    const admin = await registerTenant(sut.url);
    const statuses: number[] = [];
    const codes: (string | undefined)[] = [];
    const viaGraphql = async (query: string) => {
      const response = await gql(sut.url, query, { headers: bearer(admin) });
      statuses.push(response.status);
      codes.push(response.errors?.[0]?.extensions?.code);
    };
    const viaRest = async () => {
      const response = await request(sut.url).get('/leads/scoring').set(bearer(admin));
      statuses.push(response.status);
      codes.push((response.body as { error?: { code?: string } }).error?.code);
    };

    await viaGraphql('{ me { id } }');
    await viaRest();
    await viaGraphql('{ scoringConfig { version } }');
    await viaRest();
    // The fifth call, whichever way and whatever field, is over the budget of 4.
    await viaGraphql('{ leads { total } }');
    await viaRest();

    expect(codes.slice(0, 4)).toEqual([undefined, undefined, undefined, undefined]);
    expect(codes.slice(4)).toEqual(['RATE_LIMITED', 'RATE_LIMITED']);
    expect(statuses[5]).toBe(429);
  });
});

/**
 * One guard answers the address budget, authentication, roles and the user budget, in that order
 * (one Redis call): a request refused at a step spends none of the budgets after it.
 */
describe('what a refused request spends', () => {
  const namespace = newTestNamespace();
  let sut: TestApp;

  beforeAll(async () => {
    sut = await startTestApp({ namespace, env: { RATE_LIMIT_USER_PER_MINUTE: '3' } });
  });

  afterAll(async () => {
    await sut?.close();
    await dropTestDatabase(namespace);
  });

  it("spends nothing of a user's budget on a refused role or a revoked token", async () => {
    const admin = await registerTenant(sut.url);
    const rep = await createUserSession(sut.url, admin, 'REP');
    const code = async (query: string, token: string) =>
      (await gql(sut.url, query, { headers: bearer(token) })).errors?.[0]?.extensions?.code;

    // auditEvents is for admins: refused by role, three times over the budget of 3.
    for (let i = 0; i < 4; i++)
      expect(await code('{ auditEvents(limit: 1) { action } }', rep.accessToken)).toBe('FORBIDDEN');
    // A token revoked by logout (the logout spends one), refused four times.
    const old = await login(sut.url, rep.email);
    const logout = await gql(sut.url, 'mutation { logout }', { headers: bearer(old) });
    expect(logout.errors).toBeUndefined();
    for (let i = 0; i < 4; i++)
      expect(await code('{ me { id } }', old.accessToken)).toBe('UNAUTHENTICATED');

    // Two of the budget are left, then it is spent.
    expect(await code('{ me { id } }', rep.accessToken)).toBeUndefined();
    expect(await code('{ me { id } }', rep.accessToken)).toBeUndefined();
    expect(await code('{ me { id } }', rep.accessToken)).toBe('RATE_LIMITED');
  });
});

describe('per-IP rate limit', () => {
  const namespace = newTestNamespace();
  let sut: TestApp;

  beforeAll(async () => {
    sut = await startTestApp({ namespace, env: { RATE_LIMIT_IP_PER_MINUTE: '3' } });
  });

  afterAll(async () => {
    await sut?.close();
    await dropTestDatabase(namespace);
  });

  it('limits unauthenticated calls from one address, bad tokens included, before authentication', async () => {
    const codes: (string | undefined)[] = [];
    for (let i = 0; i < 4; i++) {
      const response = await gql(sut.url, '{ me { id } }', { headers: bearer('garbage-token') });
      codes.push(response.errors?.[0]?.extensions?.code);
    }

    expect(codes).toEqual([
      'UNAUTHENTICATED',
      'UNAUTHENTICATED',
      'UNAUTHENTICATED',
      'RATE_LIMITED',
    ]);
  });

  it('never limits the health probe', async () => {
    for (let i = 0; i < 5; i++) {
      const response = await gql<{ health: { status: string } }>(sut.url, '{ health { status } }');
      expect(response.data?.health.status).toBe('OK');
    }
  });
});

/**
 * TRUST_PROXY decides whose address a per-address budget counts: behind one proxy (`1`) the client
 * named in X-Forwarded-For; with no proxy trusted, the connection's own address, whatever a
 * client claims in the header.
 */
describe('per-address limits and TRUST_PROXY', () => {
  const env = { RATE_LIMIT_IP_PER_MINUTE: '3' };
  const hit = (app: TestApp, client: string) =>
    request(app.url).get('/leads/scoring').set('x-forwarded-for', client);

  async function statuses(app: TestApp, clients: string[]): Promise<number[]> {
    const answers: number[] = [];
    for (const client of clients) answers.push((await hit(app, client)).status);
    return answers;
  }

  it('counts each forwarded client separately behind a trusted proxy', async () => {
    const namespace = newTestNamespace();
    const app = await startTestApp({ namespace, env: { ...env, TRUST_PROXY: '1' } });
    try {
      // Three anonymous requests each (401), then the fourth of the first client is refused.
      const answers = await statuses(app, [
        '203.0.113.1',
        '203.0.113.1',
        '203.0.113.1',
        '203.0.113.2',
        '203.0.113.2',
        '203.0.113.2',
        '203.0.113.1',
      ]);
      expect(answers).toEqual([401, 401, 401, 401, 401, 401, 429]);
    } finally {
      await app.close();
      await dropTestDatabase(namespace);
    }
  });

  it('ignores X-Forwarded-For when no proxy is trusted', async () => {
    const namespace = newTestNamespace();
    const app = await startTestApp({ namespace, env: { ...env, TRUST_PROXY: 'false' } });
    try {
      const answers = await statuses(app, [
        '203.0.113.1',
        '203.0.113.2',
        '203.0.113.3',
        '203.0.113.4',
      ]);
      expect(answers).toEqual([401, 401, 401, 429]);
    } finally {
      await app.close();
      await dropTestDatabase(namespace);
    }
  });
});
