import {
  bearer,
  createUserSession,
  login,
  registerTenant,
  Session,
  TEST_PASSWORD,
  uniqueEmail,
} from '@test/utils/auth';
import { gql } from '@test/utils/graphql-client';
import { dropTestDatabase, newTestNamespace, startTestApp, TestApp } from '@test/utils/test-app';

const ME = '{ me { id email role tenantId isActive lastLoginAt } }';
const REFRESH =
  'mutation($input: RefreshTokenInput!) { refreshToken(input: $input) { accessToken refreshToken user { role } } }';

interface RefreshData {
  refreshToken: { accessToken: string; refreshToken: string; user: { role: string } };
}

describe('auth: sessions and users', () => {
  const namespace = newTestNamespace();
  let sut: TestApp;
  let admin: Session;

  beforeAll(async () => {
    sut = await startTestApp({ namespace });
    admin = await registerTenant(sut.url, { tenantName: 'Acme Corp' });
  });

  afterAll(async () => {
    await sut?.close();
    await dropTestDatabase(namespace);
  });

  async function auditActions(): Promise<
    { action: string; targetId: string | null; details: Record<string, unknown> }[]
  > {
    const response = await gql<{
      auditEvents: { action: string; targetId: string | null; details: Record<string, unknown> }[];
    }>(sut.url, '{ auditEvents(limit: 200) { action targetId details } }', {
      headers: bearer(admin),
    });
    return response.data!.auditEvents;
  }

  it('registers a tenant whose first user is an admin, and answers me', async () => {
    const response = await gql<{ me: Record<string, unknown> }>(sut.url, ME, {
      headers: bearer(admin),
    });

    expect(response.errors).toBeUndefined();
    expect(response.data?.me).toMatchObject({
      id: admin.userId,
      email: admin.email,
      role: 'ADMIN',
      tenantId: admin.tenantId,
      isActive: true,
    });
  });

  it('refuses a second account with the same email (CONFLICT), any case', async () => {
    const response = await gql(
      sut.url,
      'mutation($input: RegisterInput!) { register(input: $input) { accessToken } }',
      {
        variables: {
          input: {
            tenantName: 'Other',
            name: 'X',
            email: admin.email.toUpperCase(),
            password: TEST_PASSWORD,
          },
        },
      },
    );

    expect(response.errors?.[0]?.extensions).toMatchObject({
      code: 'CONFLICT',
      reason: 'EMAIL_TAKEN',
    });
  });

  it('validates input and names every bad field', async () => {
    const response = await gql(
      sut.url,
      'mutation($input: RegisterInput!) { register(input: $input) { accessToken } }',
      {
        variables: {
          input: { tenantName: 'A', name: 'X', email: 'not-an-email', password: 'short' },
        },
      },
    );

    const error = response.errors?.[0];
    expect(error?.extensions?.code).toBe('BAD_USER_INPUT');
    const paths = (error?.extensions?.fields as { path: string }[])
      .map((field) => field.path)
      .sort();
    expect(paths).toEqual(['email', 'password', 'tenantName']);
    expect(response.data).toBeNull();
  });

  it('logs in with the same answer for an unknown email and a wrong password', async () => {
    const unknown = await gql(
      sut.url,
      'mutation { login(input: { email: "nobody@example.test", password: "whatever-password" }) { accessToken } }',
    );
    const wrong = await gql(
      sut.url,
      `mutation { login(input: { email: "${admin.email}", password: "wrong-password-123" }) { accessToken } }`,
    );

    expect(unknown.errors?.[0]).toMatchObject({
      message: 'invalid email or password',
      extensions: { code: 'UNAUTHENTICATED', reason: 'INVALID_CREDENTIALS' },
    });
    expect(wrong.errors?.[0]).toMatchObject({
      message: 'invalid email or password',
      extensions: { code: 'UNAUTHENTICATED' },
    });
    const failed = (await auditActions()).filter((event) => event.action === 'LOGIN_FAILED');
    expect(failed.map((event) => event.details.reason)).toEqual(
      expect.arrayContaining(['wrong password']),
    );
  });

  it('rotates refresh tokens, and a reused one revokes the whole session', async () => {
    const session = await login(sut.url, admin.email);
    const first = await gql<RefreshData>(sut.url, REFRESH, {
      variables: { input: { refreshToken: session.refreshToken } },
    });
    expect(first.errors).toBeUndefined();
    const rotated = first.data!.refreshToken;
    expect(rotated.refreshToken).not.toBe(session.refreshToken);

    // The old token again: someone else has it.
    const reuse = await gql<RefreshData>(sut.url, REFRESH, {
      variables: { input: { refreshToken: session.refreshToken } },
    });
    expect(reuse.errors?.[0]?.extensions).toMatchObject({
      code: 'UNAUTHENTICATED',
      reason: 'REFRESH_TOKEN_REUSED',
    });

    // The family is gone: the legitimately rotated token no longer works either...
    const afterReuse = await gql<RefreshData>(sut.url, REFRESH, {
      variables: { input: { refreshToken: rotated.refreshToken } },
    });
    expect(afterReuse.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    // ...and neither do the access tokens issued so far.
    const me = await gql(sut.url, ME, { headers: bearer(rotated.accessToken) });
    expect(me.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    // The admin's own tokens went with it: log in again to read the audit log.
    admin = await login(sut.url, admin.email);
    expect((await auditActions()).map((event) => event.action)).toContain('TOKEN_REUSE_DETECTED');
  });

  it('logs out: the access token and its session stop working', async () => {
    const session = await login(sut.url, admin.email);
    const logout = await gql<{ logout: boolean }>(
      sut.url,
      'mutation($input: LogoutInput) { logout(input: $input) }',
      { variables: { input: { refreshToken: session.refreshToken } }, headers: bearer(session) },
    );
    expect(logout.data?.logout).toBe(true);

    const me = await gql(sut.url, ME, { headers: bearer(session) });
    const refresh = await gql(sut.url, REFRESH, {
      variables: { input: { refreshToken: session.refreshToken } },
    });

    expect(me.errors?.[0]).toMatchObject({
      message: 'access token has been revoked',
      extensions: { code: 'UNAUTHENTICATED' },
    });
    expect(refresh.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
  });

  it('lets only admins create users, and the new user can log in with their role', async () => {
    const rep = await createUserSession(sut.url, admin, 'REP');
    const me = await gql<{ me: { role: string; tenantId: string } }>(sut.url, ME, {
      headers: bearer(rep),
    });
    expect(me.data?.me).toMatchObject({ role: 'REP', tenantId: admin.tenantId });

    const byRep = await gql(
      sut.url,
      'mutation($input: CreateUserInput!) { createUser(input: $input) { id } }',
      {
        variables: {
          input: { name: 'X', email: uniqueEmail(), password: TEST_PASSWORD, role: 'ADMIN' },
        },
        headers: bearer(rep),
      },
    );
    expect(byRep.errors?.[0]).toMatchObject({
      message: 'requires role ADMIN',
      extensions: { code: 'FORBIDDEN' },
    });
    expect(byRep.data).toBeNull();
  });

  it('changes a role at once: old tokens stop, a refresh carries the new role', async () => {
    const rep = await createUserSession(sut.url, admin, 'REP');
    const change = await gql<{ updateUserRole: { role: string } }>(
      sut.url,
      'mutation($input: UpdateUserRoleInput!) { updateUserRole(input: $input) { role } }',
      { variables: { input: { userId: rep.userId, role: 'MANAGER' } }, headers: bearer(admin) },
    );
    expect(change.data?.updateUserRole.role).toBe('MANAGER');

    const stale = await gql(sut.url, ME, { headers: bearer(rep) });
    expect(stale.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    const refreshed = await gql<RefreshData>(sut.url, REFRESH, {
      variables: { input: { refreshToken: rep.refreshToken } },
    });
    expect(refreshed.data?.refreshToken.user.role).toBe('MANAGER');
    const me = await gql<{ me: { role: string } }>(sut.url, ME, {
      headers: bearer(refreshed.data!.refreshToken.accessToken),
    });
    expect(me.data?.me.role).toBe('MANAGER');

    const events = await auditActions();
    expect(events).toContainEqual(
      expect.objectContaining({
        action: 'ROLE_CHANGED',
        targetId: rep.userId,
        details: { from: 'REP', to: 'MANAGER' },
      }),
    );
  });

  it('refuses an admin changing their own role (no lock-out)', async () => {
    const response = await gql(
      sut.url,
      'mutation($input: UpdateUserRoleInput!) { updateUserRole(input: $input) { role } }',
      { variables: { input: { userId: admin.userId, role: 'REP' } }, headers: bearer(admin) },
    );

    expect(response.errors?.[0]?.extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      reason: 'SELF_CHANGE',
    });
  });

  it('deactivates a user: their tokens, sessions and logins stop at once', async () => {
    const rep = await createUserSession(sut.url, admin, 'REP');
    const deactivated = await gql<{ deactivateUser: { isActive: boolean } }>(
      sut.url,
      'mutation($id: ID!) { deactivateUser(userId: $id) { isActive } }',
      { variables: { id: rep.userId }, headers: bearer(admin) },
    );
    expect(deactivated.data?.deactivateUser.isActive).toBe(false);

    const me = await gql(sut.url, ME, { headers: bearer(rep) });
    const refresh = await gql(sut.url, REFRESH, {
      variables: { input: { refreshToken: rep.refreshToken } },
    });
    const relogin = await gql(
      sut.url,
      `mutation { login(input: { email: "${rep.email}", password: "${TEST_PASSWORD}" }) { accessToken } }`,
    );

    expect(me.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    expect(refresh.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    expect(relogin.errors?.[0]?.extensions).toMatchObject({
      code: 'UNAUTHENTICATED',
      reason: 'INVALID_CREDENTIALS',
    });
    expect(await auditActions()).toContainEqual(
      expect.objectContaining({ action: 'USER_DEACTIVATED', targetId: rep.userId }),
    );
  });

  it('lists the users of the tenant for admins and managers, not reps', async () => {
    const manager = await createUserSession(sut.url, admin, 'MANAGER');
    const rep = await createUserSession(sut.url, admin, 'REP');

    const byManager = await gql<{ users: { id: string }[] }>(
      sut.url,
      '{ users { id email role } }',
      { headers: bearer(manager) },
    );
    const byRep = await gql(sut.url, '{ users { id } }', { headers: bearer(rep) });

    expect(byManager.data?.users.map((user) => user.id)).toEqual(
      expect.arrayContaining([admin.userId, manager.userId, rep.userId]),
    );
    expect(byRep.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
  });

  it('refuses registration when it is switched off', async () => {
    const closed = await startTestApp({ namespace, env: { REGISTRATION_ENABLED: 'false' } });
    try {
      const response = await gql(
        closed.url,
        'mutation($input: RegisterInput!) { register(input: $input) { accessToken } }',
        {
          variables: {
            input: { tenantName: 'Nope', name: 'X', email: uniqueEmail(), password: TEST_PASSWORD },
          },
        },
      );
      expect(response.errors?.[0]?.extensions).toMatchObject({
        code: 'FORBIDDEN',
        reason: 'REGISTRATION_DISABLED',
      });
    } finally {
      await closed.close();
    }
  });
});
