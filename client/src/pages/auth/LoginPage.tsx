import { useMutation } from '@apollo/client/react';
import { useState, type FormEvent } from 'react';
import { Navigate, useNavigate, useSearchParams } from 'react-router';

import { useSession, useSessionStore } from '../../auth/SessionContext';
import { graphql } from '../../gql';
import { errorMessage } from '../../ui/ErrorState';

const LOGIN = graphql(`
  mutation Login($input: LoginInput!) {
    login(input: $input) {
      accessToken
      accessTokenExpiresAt
      refreshToken
      refreshTokenExpiresAt
      user {
        id
        name
        email
        role
        tenantId
      }
    }
  }
`);

/** Only paths of this app: `next` never sends the user elsewhere. */
function safeNext(next: string | null): string {
  return next && next.startsWith('/') && !next.startsWith('//') ? next : '/';
}

export function LoginPage() {
  const [params] = useSearchParams();
  const session = useSession();
  const store = useSessionStore();
  const navigate = useNavigate();
  const [email, setEmail] = useState(params.get('email') ?? '');
  const [password, setPassword] = useState('');
  const [login, { loading, error }] = useMutation(LOGIN);
  const next = safeNext(params.get('next'));

  if (session.status === 'active') return <Navigate to={next} replace />;

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const result = await login({ variables: { input: { email, password } } }).catch(() => null);
    const tokens = result?.data?.login;
    if (!tokens) return;
    store.signedIn(tokens);
    await navigate(next, { replace: true });
  };

  return (
    <main className="mx-auto mt-24 max-w-sm rounded-lg bg-white p-8 shadow-sm ring-1 ring-slate-200">
      <h1 className="text-xl font-semibold">Sign in to Lead Scoring</h1>
      <form className="mt-6 space-y-4" onSubmit={(e) => void submit(e)} noValidate>
        <div>
          <label htmlFor="email" className="block text-sm font-medium">
            Email
          </label>
          <input
            id="email"
            type="email"
            autoComplete="username"
            required
            value={email}
            onChange={(e) => setEmail(e.target.value)}
            className="mt-1 w-full rounded-md border border-slate-300 px-3 py-2 focus-visible:outline-2 focus-visible:outline-indigo-600"
          />
        </div>
        <div>
          <label htmlFor="password" className="block text-sm font-medium">
            Password
          </label>
          <input
            id="password"
            type="password"
            autoComplete="current-password"
            required
            value={password}
            onChange={(e) => setPassword(e.target.value)}
            className="mt-1 w-full rounded-md border border-slate-300 px-3 py-2 focus-visible:outline-2 focus-visible:outline-indigo-600"
          />
        </div>
        {error && (
          <p role="alert" className="text-sm text-red-700">
            {errorMessage(error)}
          </p>
        )}
        <button
          type="submit"
          disabled={loading || !email || !password}
          className="w-full rounded-md bg-indigo-600 px-4 py-2 font-medium text-white hover:bg-indigo-700 disabled:opacity-50 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-indigo-600"
        >
          {loading ? 'Signing in…' : 'Sign in'}
        </button>
      </form>
    </main>
  );
}
