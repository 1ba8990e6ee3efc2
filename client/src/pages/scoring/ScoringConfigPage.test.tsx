import { MockedProvider } from '@apollo/client/testing/react';
import type { MockLink } from '@apollo/client/testing';
import { render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';

import { AUTHOR, CONFIG } from './fixtures';
import {
  BATCH_SCORING_PROGRESS,
  CONFIG_AUTHOR,
  RECENT_SCORING_JOBS,
  SCORING_CONFIG,
  UPDATE_SCORING_CONFIG,
} from './operations';
import ScoringConfigPage from './ScoringConfigPage';

const configMock = {
  request: { query: SCORING_CONFIG },
  result: { data: { scoringConfig: CONFIG } },
};
const authorMock = {
  request: { query: CONFIG_AUTHOR, variables: { userId: AUTHOR.id } },
  result: { data: { user: AUTHOR } },
  maxUsageCount: 5,
};

function renderPage(mocks: MockLink.MockedResponse[] = []) {
  return render(
    <MockedProvider
      mocks={[configMock, authorMock, ...mocks]}
      mockLinkDefaultOptions={{ delay: 0 }}
    >
      <ScoringConfigPage />
    </MockedProvider>,
  );
}

async function loaded() {
  await screen.findByLabelText('Email opens weight');
}

async function replace(user: ReturnType<typeof userEvent.setup>, label: string, value: string) {
  const field = screen.getByLabelText(label);
  await user.clear(field);
  if (value) await user.type(field, value);
  return field;
}

describe('ScoringConfigPage', () => {
  it('loads the current version with who saved it', async () => {
    renderPage();
    expect(screen.getByRole('heading', { level: 1, name: 'Scoring configuration' })).toBeVisible();
    expect(screen.getByRole('status')).toHaveTextContent(/loading/i);
    await loaded();
    expect(screen.getByLabelText('Email opens weight')).toHaveValue(0.4);
    expect(screen.getByLabelText('Time spent cap')).toHaveValue(600);
    expect(screen.getByLabelText('Half-life (days)')).toHaveValue(7);
    expect(screen.getByLabelText('Hot threshold')).toHaveValue(70);
    expect(screen.getByLabelText('Warm threshold')).toHaveValue(40);
    expect(await screen.findByText(/Mia Manager/)).toBeVisible();
    expect(screen.getByText('Version 3')).toBeVisible();
    expect(screen.getByRole('button', { name: 'Save as new version' })).toBeEnabled();
    expect(screen.getByRole('region', { name: 'Score distribution preview' })).toBeVisible();
  });

  it('shows every problem next to its field and disables saving and previewing', async () => {
    const user = userEvent.setup();
    renderPage();
    await loaded();

    const cap = await replace(user, 'Email opens cap', '0');
    const halfLife = await replace(user, 'Half-life (days)', '');
    const warm = await replace(user, 'Warm threshold', '80');

    expect(cap).toHaveAttribute('aria-invalid', 'true');
    expect(cap).toHaveAccessibleDescription(/Email opens cap must be greater than 0/);
    expect(halfLife).toHaveAttribute('aria-invalid', 'true');
    expect(halfLife).toHaveAccessibleDescription('Enter a number.');
    expect(warm).toHaveAttribute('aria-invalid', 'true');
    expect(warm).toHaveAccessibleDescription('The warm threshold must be below the hot threshold.');
    expect(screen.getByLabelText('Hot threshold')).toHaveAttribute('aria-invalid', 'true');
    expect(screen.getByLabelText('Email opens weight')).toHaveAttribute('aria-invalid', 'false');

    expect(screen.getByRole('button', { name: 'Save as new version' })).toBeDisabled();
    expect(screen.getByText('Fix the 3 problems marked above to save.')).toBeVisible();
    expect(screen.getByRole('button', { name: 'Preview distribution' })).toBeDisabled();

    await user.click(screen.getByRole('button', { name: 'Reset' }));
    expect(screen.getByLabelText('Warm threshold')).toHaveValue(40);
    expect(screen.getByRole('button', { name: 'Save as new version' })).toBeEnabled();
  });

  it('flags the weights together when they sum to 0', async () => {
    const user = userEvent.setup();
    renderPage();
    await loaded();
    await replace(user, 'Email opens weight', '0');
    await replace(user, 'Website visits weight', '0');
    await replace(user, 'Time spent weight', '0');
    for (const label of ['Email opens weight', 'Website visits weight', 'Time spent weight']) {
      expect(screen.getByLabelText(label)).toHaveAttribute('aria-invalid', 'true');
      expect(screen.getByLabelText(label)).toHaveAccessibleDescription(/add up to more than 0/);
    }
    expect(screen.getByRole('button', { name: 'Save as new version' })).toBeDisabled();
  });

  it('saves a new version, shows its number and follows the rescoring job', async () => {
    const user = userEvent.setup();
    const saved = { ...CONFIG, version: 4, thresholds: { ...CONFIG.thresholds, hot: 65 } };
    saved.createdAt = '2026-12-03T10:00:00.000Z';
    renderPage([
      {
        request: {
          query: UPDATE_SCORING_CONFIG,
          variables: {
            input: {
              weights: { emailOpens: 0.4, websiteVisits: 0.35, timeSpent: 0.25 },
              caps: { emailOpens: 10, websiteVisits: 20, timeSpent: 600 },
              halfLifeDays: 7,
              thresholds: { hot: 65, warm: 40 },
            },
          },
        },
        result: { data: { updateScoringConfig: saved } },
      },
      {
        request: { query: RECENT_SCORING_JOBS, variables: { limit: 5 } },
        result: {
          data: {
            scoringJobs: [
              {
                __typename: 'ScoringJob',
                id: 'job-9',
                reason: 'CONFIG_CHANGED',
                status: 'QUEUED',
                processed: 0,
                total: 0,
                changed: 0,
                error: null,
                createdAt: '2026-12-03T10:00:00.050Z',
                finishedAt: null,
              },
            ],
          },
        },
      },
      {
        request: { query: BATCH_SCORING_PROGRESS, variables: { jobId: 'job-9' } },
        result: {
          data: {
            batchScoringProgress: {
              __typename: 'BatchScoringProgress',
              jobId: 'job-9',
              status: 'RUNNING',
              processed: 250,
              total: 1000,
              changed: 31,
            },
          },
        },
        delay: 20,
      },
    ]);
    await loaded();
    await replace(user, 'Hot threshold', '65');
    await user.click(screen.getByRole('button', { name: 'Save as new version' }));

    expect(await screen.findByText('Saved as version 4.')).toBeVisible();
    expect(await screen.findByText('Version 4')).toBeVisible();
    expect(screen.getByLabelText('Hot threshold')).toHaveValue(65);

    const progress = await screen.findByRole('progressbar', { name: 'Rescoring progress' });
    await waitFor(() => expect(progress).toHaveAttribute('value', '250'));
    expect(progress).toHaveAttribute('max', '1000');
    expect(screen.getByText(/250 of 1,000 leads rescored · 31 changed/)).toBeVisible();
  });

  it('shows the server’s field errors next to the fields', async () => {
    const user = userEvent.setup();
    renderPage([
      {
        request: { query: UPDATE_SCORING_CONFIG, variables: () => true },
        result: {
          errors: [
            {
              message: 'invalid input: halfLifeDays: halfLifeDays must not be less than 0.001',
              extensions: {
                code: 'BAD_USER_INPUT',
                fields: [
                  { path: 'halfLifeDays', messages: ['halfLifeDays must not be less than 0.001'] },
                ],
              },
            },
          ],
        },
      },
    ]);
    await loaded();
    await replace(user, 'Half-life (days)', '5');
    await user.click(screen.getByRole('button', { name: 'Save as new version' }));

    const alert = await screen.findByRole('alert');
    expect(within(alert).getByText('Not saved.')).toBeVisible();
    const halfLife = screen.getByLabelText('Half-life (days)');
    expect(halfLife).toHaveAttribute('aria-invalid', 'true');
    expect(halfLife).toHaveAccessibleDescription('halfLifeDays must not be less than 0.001');

    await replace(user, 'Half-life (days)', '6');
    expect(halfLife).toHaveAttribute('aria-invalid', 'false');
  });
});
