import { render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { MemoryRouter } from 'react-router';

import type { AdminTrainingJobFragment } from '../../../gql/graphql';
import { fittingJob } from './fixtures';
import { TrainingProgress } from './TrainingProgress';

function renderJob(job: AdminTrainingJobFragment, onCancel = vi.fn()) {
  render(
    <MemoryRouter>
      <TrainingProgress job={job} onCancel={onCancel} live="subscription" />
    </MemoryRouter>,
  );
  return onCancel;
}

describe('TrainingProgress', () => {
  it('shows stage, iteration and a labelled progress bar while fitting', async () => {
    const onCancel = renderJob(fittingJob);
    const bar = screen.getByRole('progressbar', { name: 'Training progress' });
    expect(bar).toHaveAttribute('value', '0.42');
    expect(bar).toHaveAttribute('max', '1');
    expect(screen.getByRole('status')).toHaveTextContent('Status: ACTIVE Fitting');
    expect(screen.getByText('Iteration 42 of 100')).toBeInTheDocument();
    expect(screen.getByText('42% done')).toBeInTheDocument();
    await userEvent.click(screen.getByRole('button', { name: 'Cancel training' }));
    expect(onCancel).toHaveBeenCalledOnce();
  });

  it('links the trained model once completed, without a cancel button', () => {
    renderJob({
      ...fittingJob,
      status: 'COMPLETED',
      stage: 'DONE',
      progress: 1,
      iteration: 100,
      modelId: 'm7',
      auc: 0.8049,
    });
    expect(screen.getByRole('status')).toHaveTextContent('COMPLETED');
    expect(screen.getByRole('progressbar', { name: 'Training progress' })).toHaveAttribute(
      'value',
      '1',
    );
    expect(screen.getByText(/Test AUC 0.805/)).toBeInTheDocument();
    expect(screen.getByRole('link', { name: 'Open the trained model' })).toHaveAttribute(
      'href',
      '/admin/models/m7',
    );
    expect(screen.queryByRole('button', { name: 'Cancel training' })).not.toBeInTheDocument();
  });

  it('gives the failure reason', () => {
    renderJob({ ...fittingJob, status: 'FAILED', failure: 'worker died twice' });
    expect(screen.getByRole('alert')).toHaveTextContent('Training failed: worker died twice');
  });
});
