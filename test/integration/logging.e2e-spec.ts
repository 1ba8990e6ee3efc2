import request from 'supertest';

import { anonymisedUserRef } from '@/common/logging/http-log-fields';
import { AppProcess, LogLine, spawnAppProcess } from '@test/utils/app-process';
import { bearer, login, registerTenant, Session, TEST_PASSWORD } from '@test/utils/auth';
import { gql } from '@test/utils/graphql-client';
import { dropTestDatabase, newTestNamespace } from '@test/utils/test-app';

/**
 * The built app as a real process, logging at LOG_LEVEL=log through pino to its stdout: what an
 * operator's log pipeline receives. A password, an email and an access token go through it in
 * requests (and a failed login), and none of them may appear in any line.
 */
describe('request logs of the real process', () => {
  const namespace = newTestNamespace();
  let proc: AppProcess;
  let admin: Session;

  beforeAll(async () => {
    proc = await spawnAppProcess({ namespace, env: { LOG_LEVEL: 'log' } });
    admin = await registerTenant(proc.url);
  });

  afterAll(async () => {
    proc?.kill();
    await proc?.exited;
    await dropTestDatabase(namespace);
  });

  const finished = (predicate: (line: LogLine) => boolean) =>
    proc.waitForLog((line) => line.msg === 'request finished' && predicate(line));

  it('logs each request once: its id, method, path, status, latency, tenant, anonymised user, operation', async () => {
    const response = await request(proc.url)
      .post('/graphql?debug=1')
      .set(bearer(admin))
      .set('x-request-id', 'log-trace-1')
      .send({ operationName: 'WhoAmI', query: 'query WhoAmI { me { id email } }' });
    expect(response.status).toBe(200);
    expect(response.headers['x-request-id']).toBe('log-trace-1');

    const line = await finished((l) => l.requestId === 'log-trace-1');
    expect(line).toMatchObject({
      level: 'info',
      time: expect.any(String),
      instanceId: expect.any(String),
      role: 'all',
      method: 'POST',
      path: '/graphql',
      status: 200,
      durationMs: expect.any(Number),
      tenantId: admin.tenantId,
      user: anonymisedUserRef(admin.tenantId, admin.userId),
      operation: 'WhoAmI',
    });
    expect(
      proc.lines.filter((l) => l.requestId === 'log-trace-1' && l.msg === line.msg),
    ).toHaveLength(1);
  });

  it('logs a malformed body answered before any route, with a request id', async () => {
    const response = await request(proc.url)
      .post('/graphql')
      .set('content-type', 'application/json')
      .set('x-request-id', 'log-trace-bad-body')
      .send('{"query": ');
    expect(response.status).toBe(400);
    expect(response.headers['x-request-id']).toBe('log-trace-bad-body');
    await finished((l) => l.requestId === 'log-trace-bad-body' && l.status === 400);
  });

  it('never writes a password, an access or refresh token, or an email', async () => {
    const session = await login(proc.url, admin.email);
    await gql(
      proc.url,
      'mutation Login($input: LoginInput!) { login(input: $input) { accessToken } }',
      {
        variables: { input: { email: admin.email, password: 'wrong-password-123' } },
      },
    );
    await request(proc.url).get('/leads/scoring?limit=1').set(bearer(session)).expect(200);
    await request(proc.url)
      .get(`/leads/scoring?access_token=${session.accessToken}`)
      .set('authorization', `Bearer ${session.accessToken}x`);
    await finished((l) => l.path === '/leads/scoring' && l.status === 401);

    const output = proc.output();
    for (const secret of [
      TEST_PASSWORD,
      'wrong-password-123',
      admin.accessToken,
      session.accessToken,
      session.refreshToken,
      admin.email,
    ])
      expect(output).not.toContain(secret);
    // The user is followed by reference, not by id.
    expect(output).not.toContain(`"${admin.userId}"`);
  });
});
