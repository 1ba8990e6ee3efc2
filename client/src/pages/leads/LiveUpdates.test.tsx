import { ApolloLink } from '@apollo/client';
import { MockLink, MockSubscriptionLink } from '@apollo/client/testing';
import { getMainDefinition } from '@apollo/client/utilities';
import { act, screen, waitFor, within } from '@testing-library/react';
import { Kind, OperationTypeNode } from 'graphql';

import type { LeadsTableRowFragment } from '../../gql/graphql';
import { BASE_VARIABLES, engagement, lead, leadsMock, renderPage } from './leadsTestUtils';
import { LEAD_FRESH } from './operations';

function liveLink(mocks: MockLink.MockedResponse[]) {
  const subscriptions = new MockSubscriptionLink();
  const link = ApolloLink.split(
    ({ query }) => {
      const definition = getMainDefinition(query);
      return (
        definition.kind === Kind.OPERATION_DEFINITION &&
        definition.operation === OperationTypeNode.SUBSCRIPTION
      );
    },
    subscriptions,
    new MockLink(mocks, { defaultOptions: { delay: 0 } }),
  );
  const change = (id: string, score: number, previousScore: number | null) =>
    // A promise back: awaiting act then also flushes the work the result sets off.
    act(() => {
      subscriptions.simulateResult({
        result: {
          data: {
            leadScoreChanged: {
              __typename: 'LeadScoreChange',
              id,
              leadId: `L-${id}`,
              ownerId: 'u-me',
              score,
              previousScore,
              tier: score >= 70 ? 'HOT' : score >= 40 ? 'WARM' : 'COLD',
              reason: 'INTERACTION',
              at: '2026-01-01T00:00:00.000Z',
            },
          },
        },
      });
      return Promise.resolve();
    });
  return { link, subscriptions, change };
}

function freshMock(row: LeadsTableRowFragment): MockLink.MockedResponse {
  return {
    request: { query: LEAD_FRESH, variables: { id: row.id } },
    result: {
      data: {
        lead: {
          ...row,
          breakdown: {
            __typename: 'ScoreBreakdownModel',
            modelType: 'WEIGHTED_SUM',
            modelId: 'weighted-sum',
            modelVersion: 1,
            rawScore: 1,
            decayFactor: 1,
            daysSinceLastActivity: 0,
            explanationMethod: null,
            baseValue: null,
            logit: null,
            computedAt: '2026-01-01T00:00:00.000Z',
            terms: [],
            factors: [],
          },
        },
      },
    },
    delay: 0,
  };
}

const rowIds = () =>
  [...document.querySelectorAll('tr[data-lead-id]')].map((tr) => tr.getAttribute('data-lead-id'));
const rowOf = (id: string) => document.querySelector(`tr[data-lead-id="L-${id}"]`)!;

const rows = [lead('a1', 90), lead('b2', 60), lead('c3', 30)];

describe('LeadsPage: live score changes', () => {
  it('updates the row at once, moves it by score, flashes it, then fetches its counters', async () => {
    const fresh = lead('c3', 95, {
      engagement: engagement({ emailOpens: 41, websiteVisits: 7, timeSpentSeconds: 600 }),
    });
    const { link, subscriptions, change } = liveLink([
      leadsMock(BASE_VARIABLES, rows),
      freshMock(fresh),
    ]);
    renderPage({ link });
    await screen.findByRole('rowheader', { name: /Lead c3/ });
    expect(subscriptions.operation?.variables).toEqual({});

    await change('c3', 95, 30);
    await waitFor(() => expect(rowIds()).toEqual(['L-c3', 'L-a1', 'L-b2']));
    const moved = rowOf('c3');
    expect(moved).toHaveAttribute('data-score', '95');
    expect(moved).toHaveClass('row-flash');
    expect(within(moved as HTMLElement).getByText('95')).toBeInTheDocument();
    expect(moved).toHaveTextContent('Hot');
    expect(rowOf('a1')).not.toHaveClass('row-flash');

    // The counters come from lead(id) in the background.
    await waitFor(() => expect(rowOf('c3')).toHaveTextContent('41'));
    expect(rowOf('c3')).toHaveTextContent('10m 0s');
    expect(rowIds()).toEqual(['L-c3', 'L-a1', 'L-b2']);
  });

  it('does not move rows when sorted by last activity', async () => {
    const variables = { ...BASE_VARIABLES, sort: 'LAST_ACTIVITY' as const };
    const { link, change } = liveLink([leadsMock(variables, rows), freshMock(lead('c3', 95))]);
    renderPage({ link, url: '/?sort=activity' });
    await screen.findByRole('rowheader', { name: /Lead c3/ });
    await change('c3', 95, 30);
    await waitFor(() => expect(rowOf('c3')).toHaveAttribute('data-score', '95'));
    expect(rowIds()).toEqual(['L-a1', 'L-b2', 'L-c3']);
    expect(rowOf('c3')).toHaveClass('row-flash');
  });

  it('ignores a lead off the page, and refetches the page when one now belongs on it', async () => {
    const opts = { total: 50, totalPages: 2 };
    const { link, subscriptions, change } = liveLink([
      leadsMock({ ...BASE_VARIABLES, filter: { minScore: 20 } }, rows, opts),
      leadsMock(
        { ...BASE_VARIABLES, filter: { minScore: 20 } },
        [lead('a1', 90), lead('z9', 75), lead('b2', 60)],
        opts,
      ),
    ]);
    renderPage({ link, url: '/?minScore=20' });
    await screen.findByRole('rowheader', { name: /Lead c3/ });
    // The filters the subscription understands are passed on.
    expect(subscriptions.operation?.variables).toEqual({ minScore: 20 });

    // Below the page (there is a page 2): nothing happens.
    await change('z9', 25, 22);
    expect(rowIds()).toEqual(['L-a1', 'L-b2', 'L-c3']);
    expect(document.querySelector('.row-flash')).toBeNull();

    // Now within the page's scores: the page is fetched again (after a short pause).
    await change('z9', 75, 22);
    expect(rowIds()).toEqual(['L-a1', 'L-b2', 'L-c3']);
    await waitFor(() => expect(rowIds()).toEqual(['L-a1', 'L-z9', 'L-b2']), { timeout: 3000 });
  });
});
