/** Test helpers of the leads page: a signed-in session, mocked API, a router showing the URL. */
import type { ApolloLink } from '@apollo/client';
import type { MockLink } from '@apollo/client/testing';
import { MockedProvider } from '@apollo/client/testing/react';
import { render } from '@testing-library/react';
import { MemoryRouter, Route, Routes, useLocation } from 'react-router';

import type { Role } from '../../auth/session';
import { SessionStore } from '../../auth/session';
import { SessionProvider } from '../../auth/SessionContext';
import type { LeadsTableQueryVariables, LeadsTableRowFragment } from '../../gql/graphql';
import { LeadsPage } from './LeadsPage';
import { LEAD_SCORE_CHANGED, LEADS, USERS } from './operations';

export const ME = { id: 'u-me', name: 'Rita Rep', email: 'rita@example.com', tenantId: 't1' };

/** Engagement counters as the API sends them (with the cache's type name). */
export function engagement(
  overrides: Partial<LeadsTableRowFragment['engagement']> = {},
): LeadsTableRowFragment['engagement'] {
  const counters = {
    __typename: 'EngagementModel',
    emailOpens: 3,
    websiteVisits: 2,
    timeSpentSeconds: 75,
    lastActivityAt: null,
  };
  return { ...counters, ...overrides };
}

export function lead(
  id: string,
  score: number,
  overrides: Partial<LeadsTableRowFragment> = {},
): LeadsTableRowFragment {
  const row = {
    __typename: 'Lead',
    id,
    leadId: `L-${id}`,
    name: `Lead ${id}`,
    email: `${id}@example.com`,
    ownerId: ME.id,
    status: 'NEW',
    score,
    tier: score >= 70 ? 'HOT' : score >= 40 ? 'WARM' : 'COLD',
    engagement: engagement(),
  } as const;
  return { ...row, ...overrides };
}

export const BASE_VARIABLES: LeadsTableQueryVariables = {
  sort: 'SCORE',
  order: 'DESC',
  page: 1,
  limit: 25,
};

export function leadsMock(
  variables: LeadsTableQueryVariables,
  items: LeadsTableRowFragment[],
  options: { total?: number; totalPages?: number; delay?: number; maxUsageCount?: number } = {},
): MockLink.MockedResponse {
  const { total = items.length, delay = 0, maxUsageCount = 1 } = options;
  const totalPages = options.totalPages ?? Math.ceil(total / variables.limit);
  return {
    request: { query: LEADS, variables },
    result: {
      data: {
        leads: {
          __typename: 'LeadPage',
          page: variables.page,
          limit: variables.limit,
          total,
          totalPages,
          items,
        },
      },
    },
    delay,
    maxUsageCount,
  };
}

export function leadsErrorMock(variables: LeadsTableQueryVariables): MockLink.MockedResponse {
  return {
    request: { query: LEADS, variables },
    result: { errors: [{ message: 'The ranking is unavailable.' }] },
    delay: 0,
  };
}

/** The subscription, open and silent, whatever its variables. */
export const silentSubscription: MockLink.MockedResponse = {
  request: { query: LEAD_SCORE_CHANGED, variables: () => true },
  delay: Infinity,
  maxUsageCount: Number.MAX_SAFE_INTEGER,
};

export const usersMock: MockLink.MockedResponse = {
  request: { query: USERS },
  result: {
    data: {
      users: [
        { __typename: 'User', id: 'u-me', name: 'Rita Rep', isActive: true },
        { __typename: 'User', id: 'u-2', name: 'Sam Seller', isActive: true },
      ],
    },
  },
  delay: 0,
  maxUsageCount: Number.MAX_SAFE_INTEGER,
};

function Location() {
  const location = useLocation();
  return <div data-testid="location">{location.search}</div>;
}

export function renderPage({
  mocks = [],
  link,
  role = 'REP',
  url = '/',
}: {
  mocks?: MockLink.MockedResponse[];
  link?: ApolloLink;
  role?: Role;
  url?: string;
}) {
  const store = new SessionStore(localStorage);
  store.signedIn({
    accessToken: 'token',
    accessTokenExpiresAt: '2099-01-01T00:00:00Z',
    refreshToken: 'refresh',
    refreshTokenExpiresAt: '2099-01-01T00:00:00Z',
    user: { ...ME, role },
  });
  return render(
    <SessionProvider store={store}>
      <MockedProvider
        mocks={link ? undefined : [silentSubscription, ...mocks]}
        link={link}
        mockLinkDefaultOptions={{ delay: 0 }}
        defaultOptions={{ watchQuery: { fetchPolicy: 'cache-and-network' } }}
      >
        <MemoryRouter initialEntries={[url]}>
          <Routes>
            <Route
              path="/"
              element={
                <>
                  <LeadsPage />
                  <Location />
                </>
              }
            />
          </Routes>
        </MemoryRouter>
      </MockedProvider>
    </SessionProvider>,
  );
}
