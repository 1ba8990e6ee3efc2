import { ApolloProvider } from '@apollo/client/react';
import { lazy, Suspense } from 'react';
import { Navigate, Route, Routes } from 'react-router';

import type { ApiClient } from './api/apollo';
import { RequireSession } from './auth/RequireSession';
import type { SessionStore } from './auth/session';
import { SessionProvider } from './auth/SessionContext';
import { Shell } from './layout/Shell';
import { LoginPage } from './pages/auth/LoginPage';
import { LeadsPage } from './pages/leads/LeadsPage';
import { Spinner } from './ui/Spinner';

// Pages beyond the leads list load on demand: the first screen ships only what it needs.
const LeadPage = lazy(() => import('./pages/lead/LeadPage'));
const ScoringConfigPage = lazy(() => import('./pages/scoring/ScoringConfigPage'));
const DatasetsPage = lazy(() => import('./pages/admin/DatasetsPage'));
const ModelsPage = lazy(() => import('./pages/admin/ModelsPage'));
const ModelPage = lazy(() => import('./pages/admin/ModelPage'));
const LifecyclePage = lazy(() => import('./pages/admin/LifecyclePage'));

export function App({ session, api }: { session: SessionStore; api: ApiClient }) {
  return (
    <SessionProvider store={session}>
      <ApolloProvider client={api.apollo}>
        <Suspense fallback={<Spinner label="Loading" />}>
          <Routes>
            <Route path="/login" element={<LoginPage />} />
            <Route element={<RequireSession />}>
              <Route element={<Shell />}>
                <Route index element={<LeadsPage />} />
                <Route path="lead/:id" element={<LeadPage />} />
                <Route element={<RequireSession roles={['MANAGER', 'ADMIN']} />}>
                  <Route path="scoring" element={<ScoringConfigPage />} />
                </Route>
                <Route element={<RequireSession roles={['ADMIN']} />}>
                  <Route path="admin/datasets" element={<DatasetsPage />} />
                  <Route path="admin/models" element={<ModelsPage />} />
                  <Route path="admin/models/:id" element={<ModelPage />} />
                  <Route path="admin/lifecycle" element={<LifecyclePage />} />
                </Route>
                <Route path="*" element={<Navigate to="/" replace />} />
              </Route>
            </Route>
          </Routes>
        </Suspense>
      </ApolloProvider>
    </SessionProvider>
  );
}
