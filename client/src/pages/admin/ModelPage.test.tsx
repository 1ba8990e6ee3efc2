import { screen, within } from '@testing-library/react';
import { Route, Routes } from 'react-router';

import ModelPage from './ModelPage';
import { ML_MODEL, MODEL_PERFORMANCE } from './models/modelOperations';
import { renderWithApi } from './testUtils';

const model = {
  __typename: 'MlModel',
  id: 'm3',
  type: 'LOGISTIC_REGRESSION',
  version: 3,
  status: 'READY',
  failure: null,
  notes: ['dropped constant feature "x"'],
  params: { l2: 1, solver: 'AUTO' },
  seed: 42,
  trainedAt: '2025-06-01T10:00:00Z',
  trainedBy: 'u1',
  trainingJobId: 'job1',
  deployedAt: null,
  deployedBy: null,
  retiredAt: null,
  datasetVersionId: 'v1',
  featureImportance: [
    { __typename: 'FeatureImportance', feature: 'emailOpens', importance: 0.6 },
    { __typename: 'FeatureImportance', feature: 'country=US', importance: 0.3 },
  ],
  split: {
    __typename: 'SplitSummary',
    method: 'TIME',
    reason: 'most outcome times are distinct',
    trainRows: 800,
    testRows: 200,
    cutoff: '2025-05-01T00:00:00Z',
  },
  transformation: null,
  metrics: {
    __typename: 'ModelMetrics',
    auc: 0.8123,
    prAuc: 0.61,
    logLoss: 0.45,
    brier: 0.15,
    accuracy: 0.8,
    precision: 0.7,
    recall: 0.6,
    f1: 0.65,
    threshold: 0.4,
    liftTopDecile: 2.5,
    rows: 200,
    positives: 60,
    negatives: 140,
    confusion: { __typename: 'ConfusionMatrix', tp: 36, fp: 16, tn: 124, fn: 24 },
  },
};

const performance = {
  __typename: 'ModelPerformance',
  modelId: 'm3',
  roc: [
    { __typename: 'RocPoint', fpr: 0, tpr: 0, threshold: 1.9 },
    { __typename: 'RocPoint', fpr: 0.2, tpr: 0.7, threshold: 0.5 },
    { __typename: 'RocPoint', fpr: 1, tpr: 1, threshold: 0.01 },
  ],
  calibration: [
    {
      __typename: 'CalibrationBin',
      bin: 0,
      lower: 0,
      upper: 0.5,
      meanPredicted: 0.2,
      observedRate: 0.15,
      count: 150,
    },
    {
      __typename: 'CalibrationBin',
      bin: 1,
      lower: 0.5,
      upper: 1,
      meanPredicted: 0.7,
      observedRate: 0.8,
      count: 50,
    },
  ],
};

describe('ModelPage', () => {
  it('shows the model: heading, deployment, metrics, ROC, calibration, importances, params', async () => {
    renderWithApi(
      <Routes>
        <Route path="/admin/models/:id" element={<ModelPage />} />
      </Routes>,
      {
        route: '/admin/models/m3',
        mocks: [
          {
            request: { query: ML_MODEL, variables: { id: 'm3' } },
            result: { data: { mlModel: model } },
          },
          {
            request: { query: MODEL_PERFORMANCE, variables: { id: 'm3' } },
            result: { data: { modelPerformance: performance } },
          },
        ],
      },
    );
    const h1 = await screen.findByRole('heading', { level: 1 });
    expect(h1).toHaveTextContent('Logistic regression v3');
    expect(h1).toHaveTextContent('LOGISTIC_REGRESSION');
    expect(screen.getByRole('button', { name: 'Deploy' })).toBeInTheDocument();
    expect(screen.getByText('AUC').nextSibling).toHaveTextContent('0.812');

    expect(
      await screen.findByRole('heading', { name: 'ROC curve (AUC 0.812)' }),
    ).toBeInTheDocument();
    const rocTable = screen.getByRole('table', { name: /ROC curve \(AUC 0.812\)/ });
    expect(within(rocTable).getAllByRole('row')).toHaveLength(4);
    expect(within(rocTable).getAllByRole('row')[1]).toHaveTextContent('above every score');

    const calibration = screen.getByRole('table', { name: /Calibration/ });
    const rows = within(calibration).getAllByRole('row');
    expect(rows[1]).toHaveTextContent('0.0–0.5');
    expect(rows[1]).toHaveTextContent('20.0%');
    expect(rows[1]).toHaveTextContent('15.0%');
    expect(rows[1]).toHaveTextContent('−5.0 pts');
    expect(rows[1]).toHaveTextContent('150');

    expect(screen.getByRole('table', { name: /Feature importance/ })).toHaveTextContent(
      'emailOpens',
    );
    expect(screen.getByText('solver')).toBeInTheDocument();
    expect(screen.getByRole('link', { name: 'v1' })).toHaveAttribute(
      'href',
      '/admin/datasets?version=v1',
    );

    // Headings in order: h1, then h2 sections, h3 inside them.
    const levels = screen.getAllByRole('heading').map((h) => Number(h.tagName.slice(1)));
    levels.forEach((level, i) => {
      if (i > 0) expect(level - levels[i - 1]).toBeLessThanOrEqual(1);
    });
  });
});
