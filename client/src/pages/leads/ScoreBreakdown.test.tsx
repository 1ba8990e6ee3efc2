import { render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';

import type { LeadsTableBreakdownFieldsFragment } from '../../gql/graphql';
import { ModelFactors, WeightedTerms } from './BreakdownDetails';
import { BASE_VARIABLES, lead, leadsMock, renderPage } from './leadsTestUtils';
import { LEAD_BREAKDOWN } from './operations';

type Breakdown = LeadsTableBreakdownFieldsFragment['breakdown'];

const weighted: Breakdown = {
  modelType: 'WEIGHTED_SUM',
  modelId: 'weighted-sum',
  modelVersion: 1,
  rawScore: 1.02,
  decayFactor: 0.947,
  daysSinceLastActivity: 0.8,
  explanationMethod: null,
  baseValue: null,
  logit: null,
  computedAt: '2026-01-01T00:00:00.000Z',
  terms: [
    { feature: 'emailOpens', value: 12, cap: 10, normalized: 1, weight: 0.4, contribution: 37.8 },
    {
      feature: 'websiteVisits',
      value: 17,
      cap: 20,
      normalized: 0.85,
      weight: 0.5,
      contribution: 40.12,
    },
    {
      feature: 'timeSpent',
      value: 1500,
      cap: 1800,
      normalized: 0.833,
      weight: 0.2,
      contribution: 16.78,
    },
  ],
  factors: [],
};

const trained: Breakdown = {
  ...weighted,
  modelType: 'GRADIENT_BOOSTING',
  modelId: 'gb-7',
  modelVersion: 7,
  rawScore: 0.873,
  decayFactor: 1,
  explanationMethod: 'TREE_SHAP',
  baseValue: -0.4,
  logit: 1.93,
  terms: [],
  factors: [
    { feature: 'industry', value: 'saas', contribution: 1.2 },
    { feature: 'emailOpens', value: '14', contribution: 0.9 },
    { feature: 'region', value: null, contribution: 0.01 },
    { feature: 'companySize', value: '3', contribution: -0.6 },
    { feature: 'bounces', value: '2', contribution: -0.2 },
  ],
};

describe('Why this score?', () => {
  it('opens the breakdown beneath the row, loaded on demand, and closes it', async () => {
    const user = userEvent.setup();
    renderPage({
      mocks: [
        leadsMock(BASE_VARIABLES, [lead('a1', 94.7), lead('b2', 50)]),
        {
          request: { query: LEAD_BREAKDOWN, variables: { id: 'a1' } },
          result: {
            data: {
              lead: {
                __typename: 'Lead',
                id: 'a1',
                score: 94.7,
                tier: 'HOT',
                breakdown: {
                  __typename: 'ScoreBreakdownModel',
                  ...weighted,
                  terms: weighted.terms.map((t) => ({ __typename: 'ScoreTermModel', ...t })),
                },
              },
            },
          },
          delay: 0,
        },
      ],
    });
    const row = await screen.findByRole('row', { name: /Lead a1/ });
    const button = within(row).getByRole('button', { name: 'Why this score?' });
    expect(button).toHaveAttribute('aria-expanded', 'false');
    const panel = document.getElementById(button.getAttribute('aria-controls')!)!;
    expect(panel).not.toBeVisible();

    await user.click(button);
    expect(button).toHaveAttribute('aria-expanded', 'true');
    expect(panel).toBeVisible();
    // The panel is the row right beneath the lead's.
    expect(row.nextElementSibling).toBe(panel);
    const terms = await within(panel).findByRole('table', { name: /How the score of 94.7/ });
    expect(within(terms).getByRole('rowheader', { name: 'Email opens' })).toBeInTheDocument();
    expect(within(terms).getByText('= 94.7')).toBeInTheDocument();

    await user.click(button);
    expect(button).toHaveAttribute('aria-expanded', 'false');
    expect(panel).not.toBeVisible();
  });
});

describe('WeightedTerms', () => {
  it('lists every term and adds them up to the score, with the decay factor', () => {
    render(<WeightedTerms breakdown={weighted} score={94.7} />);
    const table = screen.getByRole('table');
    const rows = within(table).getAllByRole('row');
    // Header, three terms, the total.
    expect(rows).toHaveLength(5);
    expect(rows[1]).toHaveTextContent(/Email opens\s*12\s*10\s*1\s*0\.4\s*37\.8/);
    expect(rows[2]).toHaveTextContent(/Website visits\s*17\s*20\s*0\.85\s*0\.5\s*40\.12/);
    // Time in the same form as the table's Time Spent.
    expect(rows[3]).toHaveTextContent(/Time spent\s*25m 0s\s*30m 0s\s*0\.833\s*0\.2\s*16\.78/);
    expect(rows[4]).toHaveTextContent('Score= 94.7');
    expect(screen.getByText(/Decay factor/)).toHaveTextContent(
      'Decay factor ×0.947 (0.8 days since the last activity), already applied to each contribution.',
    );
  });
});

describe('ModelFactors', () => {
  it('shows the top factors, raising and lowering apart and signed, and how they were computed', () => {
    render(<ModelFactors breakdown={trained} score={87.3} />);
    expect(screen.getByText(/explained with TREE_SHAP/)).toBeInTheDocument();
    const raising = screen.getByRole('list', { name: 'Raises the score' });
    expect(
      within(raising)
        .getAllByRole('listitem')
        .map((li) => li.textContent),
    ).toEqual(['▲+1.20industry = saas', '▲+0.90Email opens = 14', '▲+0.01region = missing']);
    const lowering = screen.getByRole('list', { name: 'Lowers the score' });
    expect(
      within(lowering)
        .getAllByRole('listitem')
        .map((li) => li.textContent),
    ).toEqual(['▼−0.60companySize = 3', '▼−0.20bounces = 2']);
    expect(screen.getByText(/Base value/)).toHaveTextContent(
      'Base value −0.40 + all factors = logit +1.93.',
    );
  });
});
