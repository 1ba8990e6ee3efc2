import { bearer, createUserSession, registerTenant, Session } from '@test/utils/auth';
import { gql } from '@test/utils/graphql-client';
import { dropTestDatabase, newTestNamespace, startTestApp, TestApp } from '@test/utils/test-app';

/**
 * Two tenants with data. Every query and mutation that takes an id is tried by tenant A's admin
 * with tenant B's ids: each answers NOT_FOUND (never B's document) and B's data stays as it was.
 */
describe('tenant isolation', () => {
  const namespace = newTestNamespace();
  let sut: TestApp;
  let adminA: Session;
  let adminB: Session;
  let repB: Session;

  beforeAll(async () => {
    sut = await startTestApp({ namespace });
    adminA = await registerTenant(sut.url, { tenantName: 'Tenant A' });
    adminB = await registerTenant(sut.url, { tenantName: 'Tenant B' });
    await createUserSession(sut.url, adminA, 'REP');
    repB = await createUserSession(sut.url, adminB, 'REP');
  });

  afterAll(async () => {
    await sut?.close();
    await dropTestDatabase(namespace);
  });

  async function userAsSeenByB(userId: string) {
    const response = await gql<{ user: { role: string; isActive: boolean } }>(
      sut.url,
      'query($id: ID!) { user(userId: $id) { role isActive } }',
      { variables: { id: userId }, headers: bearer(adminB) },
    );
    return response.data!.user;
  }

  it('user(id) of another tenant: NOT_FOUND', async () => {
    const response = await gql(sut.url, 'query($id: ID!) { user(userId: $id) { id email } }', {
      variables: { id: repB.userId },
      headers: bearer(adminA),
    });

    expect(response.data).toBeNull();
    expect(response.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
    expect(JSON.stringify(response)).not.toContain(repB.email);
  });

  it('updateUserRole on another tenant: NOT_FOUND, and nothing changes', async () => {
    const response = await gql(
      sut.url,
      'mutation($input: UpdateUserRoleInput!) { updateUserRole(input: $input) { id } }',
      { variables: { input: { userId: repB.userId, role: 'ADMIN' } }, headers: bearer(adminA) },
    );

    expect(response.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
    expect(await userAsSeenByB(repB.userId)).toEqual({ role: 'REP', isActive: true });
  });

  it('deactivateUser on another tenant: NOT_FOUND, and the user keeps working', async () => {
    const response = await gql(
      sut.url,
      'mutation($id: ID!) { deactivateUser(userId: $id) { id } }',
      {
        variables: { id: repB.userId },
        headers: bearer(adminA),
      },
    );

    expect(response.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
    expect(await userAsSeenByB(repB.userId)).toEqual({ role: 'REP', isActive: true });
    const me = await gql(sut.url, '{ me { id } }', { headers: bearer(repB) });
    expect(me.errors).toBeUndefined();
  });

  it("users lists only the caller's tenant", async () => {
    const response = await gql<{ users: { id: string; tenantId: string }[] }>(
      sut.url,
      '{ users { id tenantId } }',
      {
        headers: bearer(adminA),
      },
    );

    const tenants = new Set(response.data!.users.map((user) => user.tenantId));
    expect(tenants).toEqual(new Set([adminA.tenantId]));
    expect(response.data!.users.map((user) => user.id)).not.toContain(repB.userId);
  });

  it("auditEvents shows only the caller's tenant", async () => {
    const events = async (session: Session) =>
      (
        await gql<{ auditEvents: { actorId: string | null; targetId: string | null }[] }>(
          sut.url,
          '{ auditEvents(limit: 200) { actorId targetId } }',
          { headers: bearer(session) },
        )
      ).data!.auditEvents;

    const seenByA = await events(adminA);
    const ids = seenByA.flatMap((event) => [event.actorId, event.targetId]);
    expect(seenByA.length).toBeGreaterThan(0);
    expect(ids).not.toContain(adminB.userId);
    expect(ids).not.toContain(repB.userId);
  });

  it("logout with another tenant's refresh token does not end that session", async () => {
    const logout = await gql(sut.url, 'mutation($input: LogoutInput) { logout(input: $input) }', {
      variables: { input: { refreshToken: repB.refreshToken } },
      headers: bearer(await createUserSession(sut.url, adminA, 'REP')),
    });
    expect(logout.errors).toBeUndefined();

    const refresh = await gql(
      sut.url,
      'mutation($input: RefreshTokenInput!) { refreshToken(input: $input) { accessToken } }',
      { variables: { input: { refreshToken: repB.refreshToken } } },
    );
    expect(refresh.errors).toBeUndefined();
  });

  it('a malformed id answers NOT_FOUND, not an internal error', async () => {
    const response = await gql(sut.url, 'query { user(userId: "not-an-object-id") { id } }', {
      headers: bearer(adminA),
    });

    expect(response.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
  });
});
