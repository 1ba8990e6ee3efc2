/**
 * The signed-in session: tokens and user, kept in localStorage so a reload or a second tab keeps
 * it. The access token is renewed before it expires (and once more when the API says
 * UNAUTHENTICATED); refresh tokens are single use, so one renewal runs at a time. A renewal the API
 * refuses ends the session as `expired`: the app shows a "session expired" screen, not a blank page.
 */
export type Role = 'ADMIN' | 'MANAGER' | 'REP';

export interface SessionUser {
  id: string;
  name: string;
  email: string;
  role: Role;
  tenantId: string;
}

export interface SessionTokens {
  accessToken: string;
  accessTokenExpiresAt: string;
  refreshToken: string;
  refreshTokenExpiresAt: string;
  user: SessionUser;
}

export type SessionState =
  | { status: 'anonymous' }
  | { status: 'active'; tokens: SessionTokens }
  | { status: 'expired'; user: SessionUser };

const STORAGE_KEY = 'lead-scoring.session';
/** Renew this long before the access token expires. */
const RENEW_AHEAD_MS = 30_000;

type Listener = () => void;
type Fetch = typeof fetch;

const REFRESH = `mutation Refresh($input: RefreshTokenInput!) {
  refreshToken(input: $input) {
    accessToken accessTokenExpiresAt refreshToken refreshTokenExpiresAt
    user { id name email role tenantId }
  }
}`;

export class SessionExpiredError extends Error {
  constructor() {
    super('Your session has expired. Sign in again.');
  }
}

export class SessionStore {
  private state: SessionState;
  private readonly listeners = new Set<Listener>();
  private renewing: Promise<string> | undefined;

  constructor(
    private readonly storage: Storage = localStorage,
    private readonly endpoint = '/graphql',
    private readonly fetchFn: Fetch = (...args) => fetch(...args),
    private readonly now: () => number = Date.now,
  ) {
    this.state = this.read();
    if (typeof window !== 'undefined') {
      // Another tab signed in, renewed or signed out.
      window.addEventListener('storage', (event) => {
        if (event.key !== STORAGE_KEY) return;
        this.state = this.read();
        this.emit();
      });
    }
  }

  get current(): SessionState {
    return this.state;
  }

  subscribe = (listener: Listener): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  getSnapshot = (): SessionState => this.state;

  signedIn(tokens: SessionTokens): void {
    this.set({ status: 'active', tokens });
  }

  /** Signed out on purpose: nothing kept. */
  signedOut(): void {
    this.set({ status: 'anonymous' });
  }

  /** The API refused the session: keep who it was, to offer signing in again. */
  expire(): void {
    if (this.state.status === 'active')
      this.set({ status: 'expired', user: this.state.tokens.user });
  }

  /** An access token valid for a while yet, renewed first when it is about to expire. */
  async accessToken(): Promise<string | undefined> {
    const state = this.state;
    if (state.status !== 'active') return undefined;
    const expiresAt = Date.parse(state.tokens.accessTokenExpiresAt);
    if (expiresAt - this.now() > RENEW_AHEAD_MS) return state.tokens.accessToken;
    return this.renew();
  }

  /** Renews the access token now (one renewal at a time); rejects with SessionExpiredError. */
  renew(): Promise<string> {
    this.renewing ??= this.doRenew().finally(() => {
      this.renewing = undefined;
    });
    return this.renewing;
  }

  private async doRenew(): Promise<string> {
    const state = this.state;
    if (state.status !== 'active') throw new SessionExpiredError();
    if (Date.parse(state.tokens.refreshTokenExpiresAt) <= this.now()) {
      this.expire();
      throw new SessionExpiredError();
    }
    let response: Response;
    try {
      response = await this.fetchFn(this.endpoint, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          query: REFRESH,
          variables: { input: { refreshToken: state.tokens.refreshToken } },
        }),
      });
    } catch (error) {
      // The network, not the session: keep it, the caller's request fails and may be retried.
      throw error instanceof Error ? error : new Error(String(error));
    }
    const body = (await response.json().catch(() => ({}))) as {
      data?: { refreshToken?: SessionTokens };
      errors?: { extensions?: { code?: string } }[];
    };
    const renewed = body.data?.refreshToken;
    if (renewed) {
      this.set({ status: 'active', tokens: renewed });
      return renewed.accessToken;
    }
    // Another tab may have renewed with the same refresh token a moment ago: take its tokens.
    const stored = this.read();
    if (
      stored.status === 'active' &&
      stored.tokens.refreshToken !== state.tokens.refreshToken &&
      Date.parse(stored.tokens.accessTokenExpiresAt) > this.now()
    ) {
      this.state = stored;
      this.emit();
      return stored.tokens.accessToken;
    }
    const code = body.errors?.[0]?.extensions?.code;
    if (code === 'UNAUTHENTICATED' || code === 'FORBIDDEN' || response.status === 401) {
      this.expire();
      throw new SessionExpiredError();
    }
    throw new Error(`renewing the session failed (HTTP ${response.status})`);
  }

  private set(next: SessionState): void {
    this.state = next;
    if (next.status === 'anonymous') this.storage.removeItem(STORAGE_KEY);
    else this.storage.setItem(STORAGE_KEY, JSON.stringify(next));
    this.emit();
  }

  private read(): SessionState {
    try {
      const raw = this.storage.getItem(STORAGE_KEY);
      if (!raw) return { status: 'anonymous' };
      const parsed = JSON.parse(raw) as SessionState;
      if (parsed.status === 'active' && parsed.tokens?.accessToken) return parsed;
      if (parsed.status === 'expired' && parsed.user) return parsed;
    } catch {
      // A damaged entry is treated as signed out.
    }
    return { status: 'anonymous' };
  }

  private emit(): void {
    for (const listener of this.listeners) listener();
  }
}
