import { MockedProvider } from '@apollo/client/testing/react';
import { render, screen } from '@testing-library/react';

import { JobProgress } from './JobProgress';
import { BATCH_SCORING_PROGRESS, SCORING_JOB } from './operations';

const job = (status: string, processed: number, error: string | null = null) => ({
  __typename: 'ScoringJob',
  id: 'job-1',
  reason: 'CONFIG_CHANGED',
  status,
  processed,
  total: 400,
  changed: 12,
  error,
  createdAt: '2026-12-03T10:00:00.000Z',
  finishedAt: null,
});

describe('JobProgress', () => {
  it('polls scoringJob when no progress event arrives, until the job ends', async () => {
    render(
      <MockedProvider
        mocks={[
          {
            request: { query: BATCH_SCORING_PROGRESS, variables: { jobId: 'job-1' } },
            result: { data: undefined },
            delay: Number.POSITIVE_INFINITY,
          },
          {
            request: { query: SCORING_JOB, variables: { jobId: 'job-1' } },
            result: { data: { scoringJob: job('FAILED', 380, 'worker died') } },
          },
        ]}
        mockLinkDefaultOptions={{ delay: 0 }}
      >
        <JobProgress
          jobId="job-1"
          initial={{ status: 'RUNNING', processed: 100, total: 400, changed: 5 }}
          pollMs={30}
        />
      </MockedProvider>,
    );
    expect(screen.getByRole('status')).toHaveTextContent('Rescoring leads…');
    expect(screen.getByRole('progressbar', { name: 'Rescoring progress' })).toHaveAttribute(
      'value',
      '100',
    );
    expect(await screen.findByText('Rescoring failed: worker died')).toBeVisible();
    expect(screen.getByText(/380 of 400 leads rescored · 12 changed/)).toBeVisible();
  });

  it('follows progress events to completion', async () => {
    render(
      <MockedProvider
        mocks={[
          {
            request: { query: BATCH_SCORING_PROGRESS, variables: { jobId: 'job-1' } },
            result: {
              data: {
                batchScoringProgress: {
                  __typename: 'BatchScoringProgress',
                  jobId: 'job-1',
                  status: 'COMPLETED',
                  processed: 400,
                  total: 400,
                  changed: 33,
                },
              },
            },
          },
        ]}
        mockLinkDefaultOptions={{ delay: 0 }}
      >
        <JobProgress
          jobId="job-1"
          initial={{ status: 'QUEUED', processed: 0, total: 0, changed: 0 }}
          pollMs={60_000}
        />
      </MockedProvider>,
    );
    expect(
      await screen.findByText('Rescoring completed: 33 of 400 leads changed score.'),
    ).toBeVisible();
    expect(screen.getByRole('progressbar', { name: 'Rescoring progress' })).toHaveAttribute(
      'value',
      '400',
    );
  });
});
