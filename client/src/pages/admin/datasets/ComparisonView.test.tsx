import { render, screen, within } from '@testing-library/react';

import { ComparisonView, type DatasetComparisonData } from './ComparisonView';

const comparison: DatasetComparisonData = {
  a: 'va',
  b: 'vb',
  rowsA: 1000,
  rowsB: 1200,
  added: 250,
  removed: 50,
  changed: 30,
  unchanged: 920,
  labelRateA: 0.2,
  labelRateB: 0.25,
  labelRateChange: 0.05,
  sampledRowsA: 1000,
  sampledRowsB: 1200,
  sampleAdded: ['L-1', 'L-2'],
  sampleRemoved: [],
  sampleChanged: ['L-9'],
  schema: {
    added: [{ name: 'industry', type: 'CATEGORICAL' }],
    removed: [],
    retyped: [{ name: 'employees', from: 'CATEGORICAL', to: 'NUMERIC' }],
  },
  features: [
    {
      name: 'emailOpens',
      type: 'NUMERIC',
      psi: 0.04,
      binCount: 10,
      newCategoryCount: 0,
      vanishedCategoryCount: 0,
      newCategories: [],
      vanishedCategories: [],
    },
    {
      name: 'country',
      type: 'CATEGORICAL',
      psi: 0.31,
      binCount: 12,
      newCategoryCount: 2,
      vanishedCategoryCount: 1,
      newCategories: ['NZ', 'IE'],
      vanishedCategories: ['PT'],
    },
  ],
};

describe('ComparisonView', () => {
  it('shows row changes, label rates, schema changes and PSI per feature', () => {
    render(<ComparisonView comparison={comparison} nameA="June" nameB="July" />);

    expect(screen.getByText('Rows in June (baseline)').nextSibling).toHaveTextContent('1,000');
    expect(screen.getByText('Added (in b only)').nextSibling).toHaveTextContent('250');
    expect(screen.getByText('Label rate change').nextSibling).toHaveTextContent('+5.0 pts');
    expect(screen.getAllByRole('listitem').map((li) => li.textContent)).toEqual([
      'Added: industry (Categorical)',
      'Retyped: employees from Categorical to Numeric',
    ]);
    expect(
      screen.getByText(/computed on 1,000 rows of June and 1,200 rows of July/),
    ).toBeInTheDocument();

    const table = screen.getByRole('table', { name: /Population stability index/ });
    const rows = within(table).getAllByRole('row').slice(1);
    // Largest PSI first, and the reading in words, not colour alone.
    expect(within(rows[0]).getByRole('rowheader')).toHaveTextContent('country');
    expect(rows[0]).toHaveTextContent('0.310');
    expect(rows[0]).toHaveTextContent('Shifted');
    expect(rows[0]).toHaveTextContent('2');
    expect(rows[1]).toHaveTextContent('emailOpens');
    expect(rows[1]).toHaveTextContent('Stable');
  });

  it('says when the schema did not change', () => {
    render(
      <ComparisonView
        comparison={{
          ...comparison,
          schema: { added: [], removed: [], retyped: [] },
          features: [],
        }}
        nameA="a"
        nameB="b"
      />,
    );
    expect(screen.getByText('No schema changes.')).toBeInTheDocument();
    expect(screen.getByText('No feature in both versions.')).toBeInTheDocument();
  });
});
