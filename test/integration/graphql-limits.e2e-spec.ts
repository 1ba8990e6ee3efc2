import request from 'supertest';

import { bearer, registerTenant, Session } from '@test/utils/auth';
import { gql } from '@test/utils/graphql-client';
import { useTestApp } from '@test/utils/test-app';

/**
 * Each limit answers BAD_USER_INPUT naming the limit, and the operation never executes: the
 * responses carry no `data`, and a login that breaks a limit leaves no trace in the audit log.
 */
describe('GraphQL query limits', () => {
  const sut = useTestApp({
    env: {
      GRAPHQL_MAX_DEPTH: '3',
      GRAPHQL_MAX_ALIASES: '2',
      GRAPHQL_MAX_COMPLEXITY: '12',
      GRAPHQL_MAX_BATCH: '2',
    },
  });
  let admin: Session;

  beforeAll(async () => {
    admin = await registerTenant(sut.url);
  });

  async function failedLogins(email: string): Promise<number> {
    const response = await gql<{ auditEvents: { details: { email?: string } }[] }>(
      sut.url,
      '{ auditEvents(limit: 200, action: LOGIN_FAILED) { details } }',
      { headers: bearer(admin) },
    );
    return response.data!.auditEvents.filter((event) => event.details.email === email).length;
  }

  it('refuses a query deeper than GRAPHQL_MAX_DEPTH, fragments included', async () => {
    const response = await gql(
      sut.url,
      'query { ...H } fragment H on Query { health { dependencies { mongo { status } } } }',
    );

    expect(response.status).toBe(400);
    expect(response.data).toBeUndefined();
    expect(response.errors?.[0]).toMatchObject({
      message: 'query depth 4 exceeds the maximum of 3',
      extensions: { code: 'BAD_USER_INPUT', limit: 'MAX_DEPTH', actual: 4, max: 3 },
    });
  });

  it('accepts a query at the depth limit (control)', async () => {
    const response = await gql<{ health: { dependencies: unknown } }>(
      sut.url,
      '{ health { dependencies { __typename } } }',
    );

    expect(response.errors).toBeUndefined();
    expect(response.data?.health.dependencies).toBeDefined();
  });

  it('refuses more aliases than GRAPHQL_MAX_ALIASES', async () => {
    const response = await gql(
      sut.url,
      '{ a: health { status } b: health { status } c: health { status } }',
    );

    expect(response.data).toBeUndefined();
    expect(response.errors?.[0]?.extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      limit: 'MAX_ALIASES',
      max: 2,
    });
  });

  it('refuses a query costlier than GRAPHQL_MAX_COMPLEXITY', async () => {
    const response = await gql(
      sut.url,
      // Three times 6 fields (two aliases, depth 3): within every other limit.
      '{ health { ...F } a: health { ...F } b: health { ...F } } fragment F on Health { status instanceId role uptimeSeconds dependencies { __typename } }',
    );

    expect(response.status).toBe(400);
    expect(response.data).toBeUndefined();
    expect(response.errors?.[0]).toMatchObject({
      message: expect.stringMatching(/^query complexity \d+ exceeds the maximum of 12$/),
      extensions: { code: 'BAD_USER_INPUT', limit: 'MAX_COMPLEXITY', max: 12 },
    });
  });

  it('refuses a batch longer than GRAPHQL_MAX_BATCH and runs one within it', async () => {
    const op = { query: '{ health { status } }' };
    const tooMany = await request(sut.url)
      .post('/graphql')
      .set('content-type', 'application/json')
      .send([op, op, op]);
    const allowed = await request(sut.url)
      .post('/graphql')
      .set('content-type', 'application/json')
      .send([op, op]);

    expect(tooMany.status).toBe(400);
    expect(tooMany.body.errors[0]).toMatchObject({
      message: 'a batch may hold at most 2 operations (got 3)',
      extensions: { code: 'BAD_USER_INPUT', limit: 'MAX_BATCH' },
    });
    expect(allowed.status).toBe(200);
    expect(allowed.body).toEqual([
      { data: { health: { status: 'OK' } } },
      { data: { health: { status: 'OK' } } },
    ]);
  });

  it('never reaches the resolver: a login over a limit leaves no audit event and no attempt', async () => {
    const email = admin.email;
    const before = await failedLogins(email);
    const deep = await gql(
      sut.url,
      `mutation { login(input: { email: "${email}", password: "wrong-password-1" }) { user { id tenantId } accessToken } a: __typename b: __typename c: __typename }`,
    );

    expect(deep.data).toBeUndefined();
    expect(deep.errors?.[0]?.extensions?.limit).toBe('MAX_ALIASES');
    expect(await failedLogins(email)).toBe(before);
  });
});
