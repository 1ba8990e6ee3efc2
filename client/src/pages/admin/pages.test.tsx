import { screen, within } from '@testing-library/react';

import DatasetsPage from './DatasetsPage';
import LifecyclePage from './LifecyclePage';
import ModelsPage from './ModelsPage';
import { datasetsPageMocks, lifecyclePageMocks, modelsPageMocks } from './pageMocks';
import { renderWithApi } from './testUtils';

describe('admin pages', () => {
  it('Models: readiness, the training form, the models and the recent jobs', async () => {
    renderWithApi(<ModelsPage />, { mocks: modelsPageMocks });
    expect(screen.getByRole('heading', { level: 1, name: 'Models' })).toBeInTheDocument();
    expect(
      await screen.findByRole('heading', { name: 'Not enough data to train yet' }),
    ).toBeInTheDocument();
    expect(
      screen.getByText(/Still needed: 30 more converted and 0 more lost\./),
    ).toBeInTheDocument();
    expect(screen.getByRole('link', { name: 'Weighted sum v1' })).toBeInTheDocument();
    expect(screen.getByRole('form', { name: 'Train a model' })).toBeInTheDocument();

    const link = await screen.findByRole('link', { name: /Naive Bayes v2/ });
    const row = link.closest('tr')!;
    expect(row).toHaveTextContent('0.771');
    expect(row).toHaveTextContent('0.550');
    expect(row).toHaveTextContent('0.520');
    expect(row).toHaveTextContent('0.180');

    const jobs = await screen.findByRole('table', { name: 'Training jobs, newest first' });
    expect(within(jobs).getByText('FAILED')).toBeInTheDocument();
    expect(within(jobs).getByText('the worker died twice')).toBeInTheDocument();
  });

  it('Dataset versions: the list with counts and label balance', async () => {
    renderWithApi(<DatasetsPage />, { mocks: datasetsPageMocks, route: '/admin/datasets' });
    expect(screen.getByRole('heading', { level: 1, name: 'Dataset versions' })).toBeInTheDocument();
    const table = await screen.findByRole('table', { name: 'Dataset versions, newest first' });
    const row = within(table).getAllByRole('row')[1];
    expect(row).toHaveTextContent('June');
    expect(row).toHaveTextContent('800');
    expect(row).toHaveTextContent('250');
    expect(row).toHaveTextContent('550');
    expect(row).toHaveTextContent('31.3%');
    expect(row).toHaveTextContent('Active');
    expect(screen.getByRole('form', { name: 'Create a dataset version' })).toBeInTheDocument();
    expect(screen.getByRole('form', { name: 'Compare two versions' })).toBeInTheDocument();
  });

  it('Model lifecycle: settings, decisions, A/B test, shadow, drift', async () => {
    renderWithApi(<LifecyclePage />, { mocks: lifecyclePageMocks });
    expect(screen.getByRole('heading', { level: 1, name: 'Model lifecycle' })).toBeInTheDocument();
    expect(await screen.findByText('Scheduled retraining')).toBeInTheDocument();
    const decisions = await screen.findByRole('table', {
      name: 'Retraining decisions, newest first',
    });
    expect(decisions).toHaveTextContent('KEPT');
    expect(decisions).toHaveTextContent('AUC 0.770');
    expect(screen.getByText('No A/B test known here.', { exact: false })).toBeInTheDocument();
    expect(await screen.findByText('No shadow model.')).toBeInTheDocument();
    expect(
      await screen.findByText('No drift check yet for the deployed model.'),
    ).toBeInTheDocument();
  });
});
