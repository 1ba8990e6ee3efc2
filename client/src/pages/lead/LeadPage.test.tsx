import { GraphQLError } from 'graphql';
import { screen, waitFor, within } from '@testing-library/react';

import { HISTORY, LEAD_ID, weightedLead } from './fixtures';
import LeadPage, { HISTORY_LIMIT } from './LeadPage';
import {
  CURRENT_OUTCOME,
  INSIGHT_READY,
  LEAD,
  LEAD_INSIGHT,
  LEAD_SCORE_CHANGED,
  LEAD_SCORE_HISTORY,
  MY_FEEDBACK,
} from './operations';
import { renderWithApollo, stubResizeObserver, TEST_USER } from './testUtils';

const leadMock = (lead = weightedLead()) => ({
  request: { query: LEAD, variables: { id: LEAD_ID, refresh: false } },
  result: { data: { lead } },
});

const historyMock = (entries = HISTORY) => ({
  request: { query: LEAD_SCORE_HISTORY, variables: { id: LEAD_ID, limit: HISTORY_LIMIT } },
  result: { data: { leadScoreHistory: entries } },
});

const quietSubscription = {
  request: { query: LEAD_SCORE_CHANGED },
  result: { data: undefined },
  delay: Number.POSITIVE_INFINITY,
};

const sideMocks = [
  {
    request: { query: MY_FEEDBACK, variables: { leadId: 'crm-42', userId: TEST_USER.id } },
    result: { data: { feedback: { __typename: 'FeedbackPage', items: [] } } },
  },
  {
    request: { query: CURRENT_OUTCOME, variables: { leadId: 'crm-42' } },
    result: { data: { outcomes: { __typename: 'OutcomePage', items: [] } } },
  },
  // The AI insight section: a current insight (nothing to ask for), no events.
  {
    request: { query: LEAD_INSIGHT, variables: { leadId: 'crm-42' } },
    result: {
      data: {
        leadInsight: {
          __typename: 'LeadInsight',
          leadId: 'crm-42',
          status: 'READY',
          current: true,
          insight: {
            __typename: 'InsightContentModel',
            summary: 'Engaged buyer.',
            nextBestAction: 'Call today.',
            talkingPoints: ['Opened every email'],
            risks: [],
            fitEstimate: 70,
          },
          source: 'FALLBACK',
          fallbackReason: 'no OPENAI_API_KEY configured',
          model: null,
          usage: null,
          latencyMs: 1,
          score: 79,
          generatedAt: '2026-12-01T10:00:00.000Z',
          requestedAt: '2026-12-01T10:00:00.000Z',
          failure: null,
        },
      },
    },
  },
  {
    request: { query: INSIGHT_READY, variables: { leadId: 'crm-42' } },
    result: { data: undefined },
    delay: Number.POSITIVE_INFINITY,
  },
];

function renderPage(mocks: Parameters<typeof renderWithApollo>[1]['mocks']) {
  return renderWithApollo(<LeadPage />, {
    mocks,
    path: '/lead/:id',
    route: `/lead/${LEAD_ID}`,
  });
}

beforeEach(() => stubResizeObserver());

describe('LeadPage', () => {
  it('shows a loading state until the lead arrives', async () => {
    renderPage([leadMock(), historyMock(), quietSubscription, ...sideMocks]);
    expect(screen.getByRole('status')).toHaveTextContent('Loading lead');
    expect(await screen.findByRole('heading', { level: 1, name: 'Ada Lovelace' })).toBeVisible();
  });

  it('says "Lead not found" with a link back when the API answers NOT_FOUND', async () => {
    renderPage([
      {
        request: { query: LEAD, variables: { id: LEAD_ID, refresh: false } },
        result: {
          errors: [new GraphQLError('lead not found', { extensions: { code: 'NOT_FOUND' } })],
        },
      },
      historyMock([]),
      quietSubscription,
    ]);
    expect(await screen.findByRole('heading', { level: 1, name: 'Lead not found' })).toBeVisible();
    expect(screen.getByRole('link', { name: /back to leads/i })).toHaveAttribute('href', '/');
  });

  it('shows other errors with a retry', async () => {
    renderPage([
      {
        request: { query: LEAD, variables: { id: LEAD_ID, refresh: false } },
        result: {
          errors: [new GraphQLError('database down', { extensions: { code: 'UNAVAILABLE' } })],
        },
      },
      historyMock([]),
      quietSubscription,
    ]);
    const alert = await screen.findByRole('alert');
    expect(alert).toHaveTextContent('database down');
    expect(within(alert).getByRole('button', { name: 'Try again' })).toBeVisible();
  });

  it('renders the header, breakdown, engagement and the history table oldest first', async () => {
    renderPage([leadMock(), historyMock(), quietSubscription, ...sideMocks]);
    await screen.findByRole('heading', { level: 1, name: 'Ada Lovelace' });
    expect(screen.getByText('61.1')).toBeVisible();
    expect(screen.getByText('ada@example.com')).toBeVisible();

    const breakdown = screen.getByRole('region', { name: 'Score breakdown' });
    const terms = within(breakdown).getByRole('table', { name: 'Weighted-sum terms' });
    expect(within(terms).getByRole('rowheader', { name: 'Email opens' })).toBeVisible();
    expect(within(terms).getByText('61.13')).toBeVisible();

    const table = await screen.findByRole('table', { name: /score history/i });
    const rows = within(table).getAllByRole('row').slice(1);
    expect(rows).toHaveLength(2);
    expect(rows[0]).toHaveTextContent('New interaction');
    expect(rows[1]).toHaveTextContent('Scoring configuration changed');

    const engagement = screen.getByRole('region', { name: 'Engagement' });
    expect(within(engagement).getByText('15m 0s')).toBeVisible();
  });

  it('reloads the lead when its score changes live', async () => {
    renderPage([
      leadMock(),
      historyMock(),
      {
        request: { query: LEAD_SCORE_CHANGED },
        result: {
          data: {
            leadScoreChanged: {
              __typename: 'LeadScoreChange',
              id: LEAD_ID,
              leadId: 'crm-42',
              score: 80,
              tier: 'HOT',
              at: '2026-12-03T10:00:00.000Z',
            },
          },
        },
        delay: 50,
      },
      leadMock(weightedLead({ score: 80, tier: 'HOT' })),
      historyMock(),
      ...sideMocks,
    ]);
    await screen.findByRole('heading', { level: 1, name: 'Ada Lovelace' });
    await waitFor(() => expect(screen.getByText('80')).toBeVisible());
    expect(screen.getByText('hot')).toBeVisible();
  });
});
