import './index.css';

import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { BrowserRouter } from 'react-router';

import { createApiClient } from './api/apollo';
import { App } from './App';
import { SessionStore } from './auth/session';

const session = new SessionStore();
const api = createApiClient(session);

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <BrowserRouter>
      <App session={session} api={api} />
    </BrowserRouter>
  </StrictMode>,
);
