import { randomUUID } from 'node:crypto';

import Redis from 'ioredis';
import jwt from 'jsonwebtoken';

import { bearer, createUserSession, login, registerTenant, Session } from '@test/utils/auth';
import { gql } from '@test/utils/graphql-client';
import {
  dropTestDatabase,
  newTestNamespace,
  startTestApp,
  TEST_JWT_SECRET,
  TestApp,
} from '@test/utils/test-app';
import { WsSession } from '@test/utils/ws-connect';

const MAX_SUBSCRIPTIONS_PER_SOCKET = 3;
const MAX_SOCKETS_PER_USER = 2;
const LIVE_SCORES = 'subscription { leadScoreChanged { id score } }';

/**
 * What a hostile or stale WebSocket client meets. Three api processes share one Redis and
 * database, as replicas do: `first` answers HTTP (logout, admin changes), `second` holds the
 * sockets that must notice, `strict` has small GraphQL limits and a user budget of 3 a minute.
 * All start here and stay up for the whole file (Passport keeps one strategy per process).
 */
describe('WebSocket security', () => {
  const namespace = newTestNamespace();
  const env = {
    WS_MAX_SUBSCRIPTIONS_PER_SOCKET: String(MAX_SUBSCRIPTIONS_PER_SOCKET),
    WS_MAX_SOCKETS_PER_USER: String(MAX_SOCKETS_PER_USER),
  };
  let first: TestApp;
  let second: TestApp;
  let strict: TestApp;
  let admin: Session;
  let sockets: WsSession[] = [];

  beforeAll(async () => {
    first = await startTestApp({ namespace, env });
    second = await startTestApp({ namespace, env, role: 'api' });
    strict = await startTestApp({
      namespace,
      role: 'api',
      env: {
        ...env,
        GRAPHQL_MAX_DEPTH: '3',
        GRAPHQL_MAX_ALIASES: '2',
        GRAPHQL_MAX_COMPLEXITY: '10',
        RATE_LIMIT_USER_PER_MINUTE: '3',
      },
    });
    admin = await registerTenant(first.url);
  });

  afterEach(async () => {
    await Promise.all(sockets.map((socket) => socket.close()));
    sockets = [];
  });

  afterAll(async () => {
    await Promise.all([first?.close(), second?.close(), strict?.close()]);
    await dropTestDatabase(namespace);
  });

  function connect(app: TestApp, token: string): WsSession {
    const socket = new WsSession(app.wsUrl, bearer(token));
    sockets.push(socket);
    return socket;
  }

  async function connected(app: TestApp, session: Session | string): Promise<WsSession> {
    const socket = connect(app, typeof session === 'string' ? session : session.accessToken);
    expect(await socket.opened).toEqual({ accepted: true });
    return socket;
  }

  /** The socket still answers as its user: it was neither closed nor stripped of its identity. */
  async function expectAlive(socket: WsSession, userId: string): Promise<void> {
    const me = socket.run<{ me: { id: string } }>('{ me { id } }');
    await me.answered();
    expect(me.errors).toEqual([]);
    expect(me.events).toEqual([{ me: { id: userId } }]);
  }

  async function adminMutation(query: string, variables: Record<string, unknown>) {
    const response = await gql(first.url, query, { variables, headers: bearer(admin) });
    expect(response.errors).toBeUndefined();
  }

  describe('revocation and expiry close open sockets (4403), on every api process', () => {
    it('logout closes the socket holding that token, not the same user’s other session', async () => {
      const rep = await createUserSession(first.url, admin, 'REP');
      const otherSession = await login(first.url, rep.email);
      const loggedOut = await connected(second, rep);
      const kept = await connected(second, otherSession);
      loggedOut.run(LIVE_SCORES);

      const response = await gql(first.url, 'mutation { logout }', { headers: bearer(rep) });
      expect(response.errors).toBeUndefined();

      expect(await loggedOut.closedWithin(5_000)).toEqual({
        code: 4403,
        reason: 'Forbidden: access token revoked',
      });
      await expectAlive(kept, rep.userId);
    });

    it('deactivating a user closes their sockets, not those of others', async () => {
      const rep = await createUserSession(first.url, admin, 'REP');
      const repSocket = await connected(second, rep);
      repSocket.run(LIVE_SCORES);
      const adminSocket = await connected(second, admin);

      await adminMutation('mutation($id: ID!) { deactivateUser(userId: $id) { id } }', {
        id: rep.userId,
      });

      expect(await repSocket.closedWithin(5_000)).toEqual({
        code: 4403,
        reason: 'Forbidden: access token revoked',
      });
      await expectAlive(adminSocket, admin.userId);
    });

    it('a role change closes the sockets of the old role; a session started after it stays', async () => {
      const rep = await createUserSession(first.url, admin, 'REP');
      const asRep = await connected(second, rep);
      asRep.run(LIVE_SCORES);

      await adminMutation(
        'mutation($input: UpdateUserRoleInput!) { updateUserRole(input: $input) { id } }',
        { input: { userId: rep.userId, role: 'MANAGER' } },
      );

      expect(await asRep.closedWithin(5_000)).toEqual({
        code: 4403,
        reason: 'Forbidden: access token revoked',
      });
      const asManager = await connected(second, await login(first.url, rep.email));
      const me = asManager.run<{ me: { role: string } }>('{ me { role } }');
      await me.answered();
      expect(me.events).toEqual([{ me: { role: 'MANAGER' } }]);
    });

    it('closes a socket when its access token expires', async () => {
      const rep = await createUserSession(first.url, admin, 'REP');
      // Signed as AccessTokenService signs, but valid for 2 s (its configured minimum is 30 s).
      const shortLived = jwt.sign(
        { tenantId: rep.tenantId, role: 'REP', iatMs: Date.now() },
        TEST_JWT_SECRET,
        {
          algorithm: 'HS256',
          expiresIn: 2,
          issuer: 'lead-scoring',
          audience: 'lead-scoring-api',
          subject: rep.userId,
          jwtid: randomUUID(),
        },
      );
      const socket = await connected(second, shortLived);
      socket.run(LIVE_SCORES);

      expect(await socket.closedWithin(5_000)).toEqual({
        code: 4403,
        reason: 'Forbidden: access token expired',
      });
    });
  });

  describe('operations over the socket meet the HTTP limits', () => {
    let user: Session;

    beforeAll(async () => {
      user = await registerTenant(first.url);
    });

    /** Sends the document over the socket and over HTTP: both refuse it alike. */
    async function expectRefusedLikeHttp(document: string, expected: object): Promise<void> {
      const socket = await connected(strict, user);
      const operation = socket.run(document);
      await operation.answered();
      expect(operation.events).toEqual([]);
      expect(operation.errors).toEqual([expect.objectContaining(expected)]);

      const http = await gql(strict.url, document, { headers: bearer(user) });
      const asOverHttp = http.errors?.map(({ message, extensions }) => ({ message, extensions }));
      expect(operation.errors.map(({ message, extensions }) => ({ message, extensions }))).toEqual(
        asOverHttp,
      );
    }

    it('refuses an operation deeper than GRAPHQL_MAX_DEPTH', async () => {
      // Subscriptions of this schema are two fields deep: a query goes over the same socket.
      await expectRefusedLikeHttp('{ health { dependencies { mongo { status } } } }', {
        message: 'query depth 4 exceeds the maximum of 3',
        extensions: { code: 'BAD_USER_INPUT', limit: 'MAX_DEPTH', actual: 4, max: 3 },
      });
    });

    it('refuses a subscription with more aliases than GRAPHQL_MAX_ALIASES', async () => {
      await expectRefusedLikeHttp('subscription { leadScoreChanged { a: id b: id c: id } }', {
        message: 'the query uses more than 2 aliases',
        extensions: expect.objectContaining({ code: 'BAD_USER_INPUT', limit: 'MAX_ALIASES' }),
      });
    });

    it('refuses a subscription costlier than GRAPHQL_MAX_COMPLEXITY', async () => {
      await expectRefusedLikeHttp(
        'subscription { leadScoreChanged { id leadId ownerId score previousScore tier reason configVersion at again: score } }',
        {
          message: 'query complexity 11 exceeds the maximum of 10',
          extensions: { code: 'BAD_USER_INPUT', limit: 'MAX_COMPLEXITY', actual: 11, max: 10 },
        },
      );
    });

    it('refuses a subscription that fails ordinary validation (an unknown field)', async () => {
      await expectRefusedLikeHttp('subscription { leadScoreChanged { unknownField } }', {
        message: 'Cannot query field "unknownField" on type "LeadScoreChange".',
        extensions: { code: 'BAD_USER_INPUT' },
      });
    });

    it('counts each operation against RATE_LIMIT_USER_PER_MINUTE, the budget HTTP spends too', async () => {
      const spender = await registerTenant(first.url);
      const socket = await connected(strict, spender);
      for (let i = 0; i < 3; i++) await expectAlive(socket, spender.userId);

      const refused = socket.run(LIVE_SCORES);
      await refused.answered();
      expect(refused.errors).toEqual([
        {
          message: expect.stringMatching(/^too many requests: retry in \d+ s$/),
          extensions: { code: 'RATE_LIMITED', retryAfterSeconds: expect.any(Number) },
        },
      ]);
      const retryAfter = refused.errors[0].extensions!.retryAfterSeconds as number;
      expect(retryAfter).toBeGreaterThanOrEqual(1);
      expect(retryAfter).toBeLessThanOrEqual(60);
      const http = await gql(strict.url, '{ me { id } }', { headers: bearer(spender) });
      expect(http.errors?.[0]?.extensions?.code).toBe('RATE_LIMITED');
    });
  });

  describe('caps on subscriptions per socket and sockets per user', () => {
    it('refuses a subscription beyond WS_MAX_SUBSCRIPTIONS_PER_SOCKET until one completes', async () => {
      const socket = await connected(second, admin);
      const held = Array.from({ length: MAX_SUBSCRIPTIONS_PER_SOCKET }, () =>
        socket.run(LIVE_SCORES),
      );

      const extra = socket.run(LIVE_SCORES);
      await extra.answered();
      expect(extra.errors).toEqual([
        {
          message: `a socket may run at most ${MAX_SUBSCRIPTIONS_PER_SOCKET} subscriptions at once: complete one or open another socket`,
          extensions: {
            code: 'BAD_USER_INPUT',
            limit: 'MAX_SUBSCRIPTIONS_PER_SOCKET',
            actual: MAX_SUBSCRIPTIONS_PER_SOCKET + 1,
            max: MAX_SUBSCRIPTIONS_PER_SOCKET,
          },
        },
      ]);
      expect(held.flatMap((operation) => operation.errors)).toEqual([]);

      held[0].stop();
      await expectAlive(socket, admin.userId);
    });

    it('closes a socket beyond WS_MAX_SOCKETS_PER_USER (4429), counted across api processes', async () => {
      const rep = await createUserSession(first.url, admin, 'REP');
      const onFirst = await connected(first, rep);
      await connected(second, rep);

      const third = connect(first, rep.accessToken);
      expect(await third.opened).toEqual({
        accepted: false,
        code: 4429,
        reason: `Too many sockets: at most ${MAX_SOCKETS_PER_USER} per user`,
      });
      // Another user is not counted with this one.
      await connected(first, admin);

      await onFirst.close();
      await expect(connectWhenFreed(first, rep.accessToken)).resolves.toBe(true);
    });

    it('stops counting the sockets of a process that died once their leases run out', async () => {
      const rep = await createUserSession(first.url, admin, 'REP');
      const redis = new Redis(first.config.redis.url);
      const leases = `${namespace.redisPrefix}:ws:sockets:${rep.userId}`;
      try {
        // Two sockets a dead process left behind: still within their lease, then past it.
        const now = Date.now();
        await redis.zadd(leases, now + 30_000, 'dead:1', now + 30_000, 'dead:2');
        expect(await connect(second, rep.accessToken).opened).toMatchObject({ code: 4429 });

        await redis.zadd(leases, now - 1, 'dead:1', now - 1, 'dead:2');
        await connected(second, rep);
        expect(await redis.zscore(leases, 'dead:1')).toBeNull();
        expect(await redis.zcard(leases)).toBe(1);
      } finally {
        redis.disconnect();
      }
    });
  });

  /** A closed socket's lease is released once the server has seen the close: retry briefly. */
  async function connectWhenFreed(app: TestApp, token: string): Promise<boolean> {
    const deadline = Date.now() + 5_000;
    while (Date.now() < deadline) {
      const socket = connect(app, token);
      if ((await socket.opened).accepted) return true;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    return false;
  }
});
