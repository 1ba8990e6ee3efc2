import { render, screen } from '@testing-library/react';
import { MemoryRouter, Route, Routes } from 'react-router';

import { RequireSession } from './RequireSession';
import { SessionStore, type SessionTokens } from './session';
import { SessionProvider } from './SessionContext';

const user = {
  id: 'u1',
  name: 'Rita Rep',
  email: 'rita@example.test',
  role: 'REP' as const,
  tenantId: 't1',
};
const tokens: SessionTokens = {
  accessToken: 'a',
  accessTokenExpiresAt: new Date(Date.now() + 600_000).toISOString(),
  refreshToken: 'r',
  refreshTokenExpiresAt: new Date(Date.now() + 86_400_000).toISOString(),
  user,
};

function renderAt(path: string, store: SessionStore, roles?: ('ADMIN' | 'MANAGER' | 'REP')[]) {
  return render(
    <SessionProvider store={store}>
      <MemoryRouter initialEntries={[path]}>
        <Routes>
          <Route path="/login" element={<p>Sign-in page</p>} />
          <Route element={<RequireSession roles={roles} />}>
            <Route path="/scoring" element={<p>Scoring page</p>} />
          </Route>
        </Routes>
      </MemoryRouter>
    </SessionProvider>,
  );
}

describe('RequireSession', () => {
  it('sends a signed-out visitor to sign in', () => {
    renderAt('/scoring', new SessionStore(localStorage, '/graphql', vi.fn()));
    expect(screen.getByText('Sign-in page')).toBeInTheDocument();
  });

  it('says the session has expired and offers to sign in again, back to the same page', () => {
    const store = new SessionStore(localStorage, '/graphql', vi.fn());
    store.signedIn(tokens);
    store.expire();
    renderAt('/scoring?x=1', store);
    expect(screen.getByRole('heading', { name: 'Your session has expired' })).toBeInTheDocument();
    expect(screen.getByRole('link', { name: 'Sign in again' })).toHaveAttribute(
      'href',
      `/login?next=${encodeURIComponent('/scoring?x=1')}&email=${encodeURIComponent(user.email)}`,
    );
  });

  it('shows the page to an allowed role and a clear refusal to another', () => {
    const store = new SessionStore(localStorage, '/graphql', vi.fn());
    store.signedIn(tokens);
    const { unmount } = renderAt('/scoring', store);
    expect(screen.getByText('Scoring page')).toBeInTheDocument();
    unmount();
    renderAt('/scoring', store, ['MANAGER', 'ADMIN']);
    expect(screen.getByRole('heading', { name: 'Not available to your role' })).toBeInTheDocument();
    expect(screen.queryByText('Scoring page')).not.toBeInTheDocument();
  });
});
