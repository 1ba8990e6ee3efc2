import { Link, Navigate, Outlet, useLocation } from 'react-router';

import type { Role } from './session';
import { useSession } from './SessionContext';

/**
 * Pages behind a session (and, with `roles`, a role). Signed out: the sign-in page, which brings
 * the user back here. Expired: a screen that says so and offers to sign in again.
 */
export function RequireSession({ roles }: { roles?: Role[] }) {
  const session = useSession();
  const location = useLocation();
  const next = encodeURIComponent(`${location.pathname}${location.search}`);
  if (session.status === 'anonymous') return <Navigate to={`/login?next=${next}`} replace />;
  if (session.status === 'expired') {
    return (
      <main className="mx-auto mt-24 max-w-md rounded-lg bg-white p-8 shadow-sm ring-1 ring-slate-200">
        <h1 className="text-xl font-semibold">Your session has expired</h1>
        <p className="mt-2 text-slate-600">
          For your security, sessions end after a while. Sign in again to continue where you left
          off.
        </p>
        <Link
          to={`/login?next=${next}&email=${encodeURIComponent(session.user.email)}`}
          className="mt-6 inline-block rounded-md bg-indigo-600 px-4 py-2 font-medium text-white hover:bg-indigo-700 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-indigo-600"
        >
          Sign in again
        </Link>
      </main>
    );
  }
  if (roles && !roles.includes(session.tokens.user.role)) {
    return (
      <section className="p-6">
        <h1 className="text-xl font-semibold">Not available to your role</h1>
        <p className="mt-2 text-slate-600">
          This page is for {roles.map((r) => r.toLowerCase()).join(' and ')}s.{' '}
          <Link to="/" className="text-indigo-700 underline">
            Back to leads
          </Link>
        </p>
      </section>
    );
  }
  return <Outlet />;
}
