import { randomUUID } from 'node:crypto';

import { gql } from './graphql-client';

export interface Session {
  readonly accessToken: string;
  readonly refreshToken: string;
  readonly userId: string;
  readonly tenantId: string;
  readonly email: string;
  readonly password: string;
}

export const TEST_PASSWORD = 'correct-horse-battery-staple';

const SESSION_FIELDS = 'accessToken refreshToken user { id tenantId email role }';

interface AuthPayload {
  accessToken: string;
  refreshToken: string;
  user: { id: string; tenantId: string; email: string; role: string };
}

export function uniqueEmail(label = 'user'): string {
  return `${label}-${randomUUID().slice(0, 8)}@example.test`;
}

function toSession(payload: AuthPayload, password: string): Session {
  return {
    accessToken: payload.accessToken,
    refreshToken: payload.refreshToken,
    userId: payload.user.id,
    tenantId: payload.user.tenantId,
    email: payload.user.email,
    password,
  };
}

/** Registers a new tenant and returns its admin's session. */
export async function registerTenant(
  url: string,
  { tenantName = 'Acme', email = uniqueEmail('admin') } = {},
): Promise<Session> {
  const response = await gql<{ register: AuthPayload }>(
    url,
    `mutation($input: RegisterInput!) { register(input: $input) { ${SESSION_FIELDS} } }`,
    { variables: { input: { tenantName, name: 'Admin', email, password: TEST_PASSWORD } } },
  );
  if (!response.data) throw new Error(`register failed: ${JSON.stringify(response.errors)}`);
  return toSession(response.data.register, TEST_PASSWORD);
}

/** An admin creates a user of the given role in their tenant, who then logs in. */
export async function createUserSession(
  url: string,
  admin: Session,
  role: 'ADMIN' | 'MANAGER' | 'REP',
): Promise<Session> {
  const email = uniqueEmail(role.toLowerCase());
  const created = await gql(
    url,
    'mutation($input: CreateUserInput!) { createUser(input: $input) { id } }',
    {
      variables: { input: { name: role, email, password: TEST_PASSWORD, role } },
      headers: bearer(admin),
    },
  );
  if (created.errors) throw new Error(`createUser failed: ${JSON.stringify(created.errors)}`);
  return login(url, email);
}

export async function login(
  url: string,
  email: string,
  password = TEST_PASSWORD,
): Promise<Session> {
  const response = await gql<{ login: AuthPayload }>(
    url,
    `mutation($input: LoginInput!) { login(input: $input) { ${SESSION_FIELDS} } }`,
    { variables: { input: { email, password } } },
  );
  if (!response.data) throw new Error(`login failed: ${JSON.stringify(response.errors)}`);
  return toSession(response.data.login, password);
}

export function bearer(session: Pick<Session, 'accessToken'> | string): Record<string, string> {
  return { authorization: `Bearer ${typeof session === 'string' ? session : session.accessToken}` };
}
