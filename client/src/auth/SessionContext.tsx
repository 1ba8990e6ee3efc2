import { createContext, useContext, useSyncExternalStore, type ReactNode } from 'react';

import type { SessionState, SessionStore, SessionUser } from './session';

const SessionContext = createContext<SessionStore | null>(null);

export function SessionProvider({ store, children }: { store: SessionStore; children: ReactNode }) {
  return <SessionContext.Provider value={store}>{children}</SessionContext.Provider>;
}

export function useSessionStore(): SessionStore {
  const store = useContext(SessionContext);
  if (!store) throw new Error('useSessionStore outside SessionProvider');
  return store;
}

export function useSession(): SessionState {
  const store = useSessionStore();
  return useSyncExternalStore(store.subscribe, store.getSnapshot);
}

/** The signed-in user; only inside pages that require a session. */
export function useUser(): SessionUser {
  const session = useSession();
  if (session.status !== 'active') throw new Error('useUser without an active session');
  return session.tokens.user;
}
