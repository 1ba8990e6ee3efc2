import { render, screen, within } from '@testing-library/react';

import type { AdminDriftReportFragment } from '../../../gql/graphql';
import { DriftReportView } from './DriftReportView';

const report: AdminDriftReportFragment = {
  id: 'd1',
  modelId: 'm3',
  modelType: 'GRADIENT_BOOSTING',
  modelVersion: 3,
  computedAt: '2025-06-01T10:00:00Z',
  trigger: 'MANUAL',
  threshold: 0.2,
  flagged: true,
  flaggedFeatures: ['country'],
  maxFeaturePsi: 0.41,
  baselineRows: 1000,
  currentRows: 400,
  versionRows: 1000,
  openLeads: 400,
  deployed: true,
  datasetVersionId: 'v1',
  notes: [],
  score: { psi: 0.05, flagged: false },
  features: [
    { name: 'emailOpens', kind: 'NUMERIC', psi: 0.03, flagged: false },
    { name: 'country', kind: 'CATEGORICAL', psi: 0.41, flagged: true },
  ],
  retraining: { action: 'STARTED', decisionId: 'dec1', reason: null },
};

describe('DriftReportView', () => {
  it('marks drifted features in words, the largest PSI first', () => {
    render(<DriftReportView report={report} />);
    expect(screen.getByText('Drift flagged in country.')).toBeInTheDocument();
    const rows = within(screen.getByRole('table')).getAllByRole('row').slice(1);
    expect(rows.map((r) => within(r).getByRole('rowheader').textContent)).toEqual([
      'Score',
      'country',
      'emailOpens',
    ]);
    expect(rows[0]).toHaveTextContent('0.050Stable');
    expect(rows[1]).toHaveTextContent('0.410Drifted: above threshold');
    expect(rows[2]).toHaveTextContent('Stable');
    expect(screen.getByText(/Retraining on drift: started/)).toBeInTheDocument();
  });

  it('says when nothing drifted', () => {
    render(
      <DriftReportView
        report={{ ...report, flagged: false, flaggedFeatures: [], retraining: null }}
      />,
    );
    expect(screen.getByText('No drift above the threshold.')).toBeInTheDocument();
  });
});
