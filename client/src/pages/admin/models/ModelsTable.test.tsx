import { render, screen, within } from '@testing-library/react';
import { MemoryRouter } from 'react-router';

import { ModelsTable, type ModelRow } from './ModelsTable';

const models: ModelRow[] = [
  {
    id: 'm3',
    type: 'GRADIENT_BOOSTING',
    version: 3,
    status: 'READY',
    trainedAt: '2025-06-01T10:00:00Z',
    deployedAt: null,
    retiredAt: null,
    datasetVersionId: 'v2',
    failure: null,
    metrics: { auc: 0.8123, prAuc: 0.6, logLoss: 0.4567, brier: 0.1234 },
  },
  {
    id: 'm2',
    type: 'LOGISTIC_REGRESSION',
    version: 2,
    status: 'DEPLOYED',
    trainedAt: '2025-05-01T10:00:00Z',
    deployedAt: '2025-05-02T10:00:00Z',
    retiredAt: null,
    datasetVersionId: 'v1',
    failure: null,
    metrics: { auc: null, prAuc: 0.5, logLoss: 0.5, brier: 0.2 },
  },
  {
    id: 'weighted-sum',
    type: 'WEIGHTED_SUM',
    version: 1,
    status: 'RETIRED',
    trainedAt: null,
    deployedAt: null,
    retiredAt: '2025-05-02T10:00:00Z',
    datasetVersionId: null,
    failure: null,
    metrics: null,
  },
];

describe('ModelsTable', () => {
  it('lists each model with its metrics and a link named by type and version', () => {
    render(
      <MemoryRouter>
        <ModelsTable models={models} deployedId="m2" />
      </MemoryRouter>,
    );
    const link = screen.getByRole('link', { name: /Gradient boosting v3/ });
    expect(link).toHaveAttribute('href', '/admin/models/m3');
    expect(link).toHaveAccessibleName('Gradient boosting v3 GRADIENT_BOOSTING');

    const rows = screen.getAllByRole('row');
    expect(
      within(rows[1])
        .getAllByRole('cell')
        .map((c) => c.textContent),
    ).toEqual(['Ready', '0.812', '0.600', '0.457', '0.123', expect.stringMatching(/ago|just now/)]);
    // The deployed one is marked in words; a missing AUC is a dash.
    expect(rows[2]).toHaveTextContent('Deployed');
    expect(rows[2]).toHaveTextContent('scoring leads');
    expect(within(rows[2]).getAllByRole('cell')[1]).toHaveTextContent('—');
    // The weighted sum has no metrics.
    expect(screen.getByRole('link', { name: /Weighted sum v1/ })).toBeInTheDocument();
    expect(within(rows[3]).getAllByRole('cell')[1]).toHaveTextContent('—');
  });

  it('says when there is no model', () => {
    render(<ModelsTable models={[]} deployedId={null} />);
    expect(screen.getByText('No models yet.')).toBeInTheDocument();
  });
});
