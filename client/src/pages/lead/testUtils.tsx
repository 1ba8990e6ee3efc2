import type { MockLink } from '@apollo/client/testing';
import { MockedProvider } from '@apollo/client/testing/react';
import { render } from '@testing-library/react';
import type { ReactElement } from 'react';
import { MemoryRouter, Route, Routes } from 'react-router';

import { SessionStore, type SessionUser } from '../../auth/session';
import { SessionProvider } from '../../auth/SessionContext';

export const TEST_USER: SessionUser = {
  id: '64b000000000000000000001',
  name: 'Rita Rep',
  email: 'rita@example.com',
  role: 'REP',
  tenantId: '64a000000000000000000001',
};

/** A signed-in session in memory (nothing in localStorage beyond what the test clears). */
export function signedInStore(user: SessionUser = TEST_USER): SessionStore {
  const store = new SessionStore(localStorage, '/graphql', () => {
    throw new Error('no network in tests');
  });
  const inAnHour = new Date(Date.now() + 3_600_000).toISOString();
  store.signedIn({
    accessToken: 'token',
    accessTokenExpiresAt: inAnHour,
    refreshToken: 'refresh',
    refreshTokenExpiresAt: inAnHour,
    user,
  });
  return store;
}

/** jsdom has no ResizeObserver; recharts' ResponsiveContainer needs one. */
export function stubResizeObserver() {
  class ResizeObserverStub {
    observe() {}
    unobserve() {}
    disconnect() {}
  }
  vi.stubGlobal('ResizeObserver', ResizeObserverStub);
}

export function renderWithApollo(
  ui: ReactElement,
  {
    mocks,
    path = '/',
    route = '/',
  }: { mocks: MockLink.MockedResponse[]; path?: string; route?: string },
) {
  return render(
    <SessionProvider store={signedInStore()}>
      <MockedProvider mocks={mocks} mockLinkDefaultOptions={{ delay: 0 }}>
        <MemoryRouter initialEntries={[route]}>
          <Routes>
            <Route path={path} element={ui} />
            <Route path="*" element={<p>Elsewhere</p>} />
          </Routes>
        </MemoryRouter>
      </MockedProvider>
    </SessionProvider>,
  );
}
