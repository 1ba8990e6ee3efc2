import { screen, waitFor } from '@testing-library/react';

import { renderWithApi } from '../testUtils';
import { fittingJob } from './fixtures';
import { TRAINING_JOB, TRAINING_JOB_UPDATED } from './operations';
import { TrainingJobTracker } from './TrainingJobTracker';

const queued = {
  ...fittingJob,
  status: 'QUEUED' as const,
  stage: 'QUEUED' as const,
  progress: 0,
  iteration: 0,
};
const asJob = (job: typeof fittingJob) => ({ __typename: 'TrainingJob' as const, ...job });

describe('TrainingJobTracker', () => {
  it('shows the progress the subscription streams', async () => {
    renderWithApi(<TrainingJobTracker initial={queued} onFinished={vi.fn()} />, {
      mocks: [
        {
          request: { query: TRAINING_JOB, variables: { id: 'job1' } },
          result: { data: { trainingJob: asJob(fittingJob) } },
          maxUsageCount: Number.POSITIVE_INFINITY,
        },
        {
          request: { query: TRAINING_JOB_UPDATED, variables: { jobId: 'job1' } },
          result: {
            data: { trainingJobUpdated: asJob({ ...fittingJob, progress: 0.8, iteration: 80 }) },
          },
          delay: 50,
        },
      ],
    });
    const bar = screen.getByRole('progressbar', { name: 'Training progress' });
    expect(bar).toHaveAttribute('value', '0');
    await waitFor(() => expect(bar).toHaveAttribute('value', '0.8'));
    expect(screen.getByText('Iteration 80 of 100')).toBeInTheDocument();
    expect(screen.getByText('Live updates')).toBeInTheDocument();
  });

  it('polls trainingJob when the subscription fails, until the job ends', async () => {
    const onFinished = vi.fn();
    renderWithApi(<TrainingJobTracker initial={queued} onFinished={onFinished} />, {
      mocks: [
        {
          request: { query: TRAINING_JOB_UPDATED, variables: { jobId: 'job1' } },
          error: new Error('socket closed'),
        },
        {
          request: { query: TRAINING_JOB, variables: { id: 'job1' } },
          result: { data: { trainingJob: asJob(fittingJob) } },
        },
        {
          request: { query: TRAINING_JOB, variables: { id: 'job1' } },
          result: {
            data: {
              trainingJob: asJob({
                ...fittingJob,
                status: 'COMPLETED',
                stage: 'DONE',
                progress: 1,
                iteration: 100,
                modelId: 'm7',
                auc: 0.81,
              }),
            },
          },
        },
      ],
    });
    await waitFor(() => expect(screen.getByText('Iteration 42 of 100')).toBeInTheDocument());
    await waitFor(() => expect(screen.getByText('Checking every 2 seconds')).toBeInTheDocument());
    await waitFor(() => expect(onFinished).toHaveBeenCalledOnce(), { timeout: 4000 });
    expect(onFinished.mock.calls[0][0]).toMatchObject({ status: 'COMPLETED', modelId: 'm7' });
    expect(screen.getByRole('status')).toHaveTextContent('COMPLETED');
    expect(screen.getByRole('link', { name: 'Open the trained model' })).toBeInTheDocument();
  });
});
