import { useApolloClient, useMutation } from '@apollo/client/react';
import { NavLink, Outlet, useNavigate } from 'react-router';

import { useSession, useSessionStore, useUser } from '../auth/SessionContext';
import { graphql } from '../gql';

const LOGOUT = graphql(`
  mutation Logout($input: LogoutInput) {
    logout(input: $input)
  }
`);

const link = ({ isActive }: { isActive: boolean }) =>
  `rounded-md px-3 py-2 text-sm font-medium focus-visible:outline-2 focus-visible:outline-indigo-600 ${
    isActive ? 'bg-indigo-50 text-indigo-800' : 'text-slate-700 hover:bg-slate-100'
  }`;

/** The frame of every signed-in page: navigation by role, who is signed in, sign out. */
export function Shell() {
  const user = useUser();
  const session = useSession();
  const store = useSessionStore();
  const apollo = useApolloClient();
  const navigate = useNavigate();
  const [logout, { loading }] = useMutation(LOGOUT);

  const signOut = async () => {
    const refreshToken = session.status === 'active' ? session.tokens.refreshToken : undefined;
    // Signed out here whatever the API answers; the API also ends the refresh token's session.
    await logout({ variables: { input: { refreshToken } } }).catch(() => undefined);
    store.signedOut();
    await apollo.clearStore();
    await navigate('/login');
  };

  return (
    <div className="min-h-screen">
      <header className="border-b border-slate-200 bg-white">
        <div className="mx-auto flex max-w-7xl flex-wrap items-center gap-4 px-4 py-3">
          <span className="text-lg font-semibold text-indigo-800">Lead Scoring</span>
          <nav aria-label="Main" className="flex flex-wrap gap-1">
            <NavLink to="/" end className={link}>
              Leads
            </NavLink>
            {(user.role === 'MANAGER' || user.role === 'ADMIN') && (
              <NavLink to="/scoring" className={link}>
                Scoring
              </NavLink>
            )}
            {user.role === 'ADMIN' && (
              <>
                <NavLink to="/admin/datasets" className={link}>
                  Datasets
                </NavLink>
                <NavLink to="/admin/models" className={link}>
                  Models
                </NavLink>
                <NavLink to="/admin/lifecycle" className={link}>
                  Lifecycle
                </NavLink>
              </>
            )}
          </nav>
          <div className="ml-auto flex items-center gap-3 text-sm">
            <span>
              {user.name} <span className="text-slate-500">({user.role.toLowerCase()})</span>
            </span>
            <button
              type="button"
              onClick={() => void signOut()}
              disabled={loading}
              className="rounded-md px-3 py-1.5 font-medium text-slate-700 ring-1 ring-slate-300 hover:bg-slate-100 focus-visible:outline-2 focus-visible:outline-indigo-600"
            >
              Sign out
            </button>
          </div>
        </div>
      </header>
      <main className="mx-auto max-w-7xl px-4 py-6">
        <Outlet />
      </main>
    </div>
  );
}
