import { SessionExpiredError, SessionStore, type SessionTokens } from './session';

const NOW = Date.parse('2026-12-03T12:00:00Z');

function tokens(overrides: Partial<SessionTokens> = {}): SessionTokens {
  return {
    accessToken: 'access-1',
    accessTokenExpiresAt: new Date(NOW + 15 * 60_000).toISOString(),
    refreshToken: 'refresh-1',
    refreshTokenExpiresAt: new Date(NOW + 7 * 86_400_000).toISOString(),
    user: { id: 'u1', name: 'Rita Rep', email: 'rita@example.test', role: 'REP', tenantId: 't1' },
    ...overrides,
  };
}

function answer(body: unknown, status = 200): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { 'content-type': 'application/json' },
  });
}

function store(fetchFn: typeof fetch, now = () => NOW) {
  return new SessionStore(localStorage, '/graphql', fetchFn, now);
}

describe('SessionStore', () => {
  it('keeps the session across a reload (localStorage) and forgets it on sign-out', () => {
    const first = store(vi.fn());
    first.signedIn(tokens());
    const reloaded = store(vi.fn());
    expect(reloaded.current).toMatchObject({
      status: 'active',
      tokens: { accessToken: 'access-1' },
    });
    reloaded.signedOut();
    expect(store(vi.fn()).current).toEqual({ status: 'anonymous' });
  });

  it('gives the access token as it is while it has more than 30 s left', async () => {
    const fetchFn = vi.fn();
    const session = store(fetchFn);
    session.signedIn(tokens());
    await expect(session.accessToken()).resolves.toBe('access-1');
    expect(fetchFn).not.toHaveBeenCalled();
  });

  it('renews a token about to expire once, however many requests ask at the same time', async () => {
    const renewed = tokens({
      accessToken: 'access-2',
      refreshToken: 'refresh-2',
      accessTokenExpiresAt: new Date(NOW + 30 * 60_000).toISOString(),
    });
    const fetchFn = vi.fn(() => Promise.resolve(answer({ data: { refreshToken: renewed } })));
    const session = store(fetchFn);
    session.signedIn(tokens({ accessTokenExpiresAt: new Date(NOW + 10_000).toISOString() }));

    const results = await Promise.all([
      session.accessToken(),
      session.accessToken(),
      session.accessToken(),
    ]);
    expect(results).toEqual(['access-2', 'access-2', 'access-2']);
    expect(fetchFn).toHaveBeenCalledTimes(1);
    const [, init] = fetchFn.mock.calls[0] as unknown as [string, RequestInit];
    expect(JSON.parse(init.body as string)).toMatchObject({
      variables: { input: { refreshToken: 'refresh-1' } },
    });
    // Single use: the next renewal sends the new refresh token.
    expect(store(vi.fn()).current).toMatchObject({ tokens: { refreshToken: 'refresh-2' } });
  });

  it('ends as expired (keeping who it was) when the API refuses the refresh token', async () => {
    const fetchFn = vi.fn(() =>
      Promise.resolve(
        answer({ errors: [{ message: 'expired', extensions: { code: 'UNAUTHENTICATED' } }] }),
      ),
    );
    const session = store(fetchFn);
    session.signedIn(tokens({ accessTokenExpiresAt: new Date(NOW - 1).toISOString() }));
    const listener = vi.fn();
    session.subscribe(listener);

    await expect(session.renew()).rejects.toBeInstanceOf(SessionExpiredError);
    expect(session.current).toEqual({ status: 'expired', user: tokens().user });
    expect(listener).toHaveBeenCalled();
    await expect(session.accessToken()).resolves.toBeUndefined();
  });

  it('does not ask the API when the refresh token itself has expired', async () => {
    const fetchFn = vi.fn();
    const session = store(fetchFn);
    session.signedIn(
      tokens({
        accessTokenExpiresAt: new Date(NOW - 1).toISOString(),
        refreshTokenExpiresAt: new Date(NOW - 1).toISOString(),
      }),
    );
    await expect(session.renew()).rejects.toBeInstanceOf(SessionExpiredError);
    expect(fetchFn).not.toHaveBeenCalled();
    expect(session.current.status).toBe('expired');
  });

  it('keeps the session when the network fails (the request fails, the user stays signed in)', async () => {
    const fetchFn = vi.fn(() => Promise.reject(new TypeError('Failed to fetch')));
    const session = store(fetchFn);
    session.signedIn(tokens({ accessTokenExpiresAt: new Date(NOW - 1).toISOString() }));
    await expect(session.renew()).rejects.toThrow('Failed to fetch');
    expect(session.current.status).toBe('active');
  });

  it("takes another tab's renewal when its own refresh token was already used there", async () => {
    const fetchFn = vi.fn(() =>
      Promise.resolve(
        answer({ errors: [{ message: 'reused', extensions: { code: 'UNAUTHENTICATED' } }] }),
      ),
    );
    const session = store(fetchFn);
    session.signedIn(tokens({ accessTokenExpiresAt: new Date(NOW - 1).toISOString() }));
    // The other tab renewed first and stored its tokens.
    store(vi.fn()).signedIn(tokens({ accessToken: 'access-other', refreshToken: 'refresh-other' }));
    await expect(session.renew()).resolves.toBe('access-other');
    expect(session.current.status).toBe('active');
  });
});
