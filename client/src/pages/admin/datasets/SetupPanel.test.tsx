import type { MockLink } from '@apollo/client/testing';
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';

import DatasetsPage from '../DatasetsPage';
import { fittingJob } from '../models/fixtures';
import { TRAIN_MODEL, TRAINING_JOB, TRAINING_JOB_UPDATED } from '../models/operations';
import { datasetsPageMocks } from '../pageMocks';
import { renderWithApi } from '../testUtils';
import { SetupPanel } from './SetupPanel';
import { appliedSetup, profileResult, recommendations, trainInput } from './setupFixtures';
import { APPLY_SETUP, DATASET_PROFILE, RECOMMEND_SETUP } from './setupOperations';

const profileMock = (status: Parameters<typeof profileResult>[0]): MockLink.MockedResponse => ({
  request: { query: DATASET_PROFILE, variables: { versionId: 'v1' } },
  result: { data: { datasetProfile: profileResult(status) } },
});

const recommendMock = (withAi: boolean): MockLink.MockedResponse => ({
  request: { query: RECOMMEND_SETUP, variables: { versionId: 'v1' } },
  result: { data: { recommendSetup: recommendations(withAi) } },
});

const job = { __typename: 'TrainingJob' as const, ...fittingJob, status: 'QUEUED' as const };

/** The training job as the tracker reads it once started. */
const trackerMocks: MockLink.MockedResponse[] = [
  {
    request: { query: TRAINING_JOB, variables: { id: 'job1' } },
    result: { data: { trainingJob: { __typename: 'TrainingJob', ...fittingJob } } },
    maxUsageCount: Number.POSITIVE_INFINITY,
  },
  {
    request: { query: TRAINING_JOB_UPDATED, variables: { jobId: 'job1' } },
    result: { data: { trainingJobUpdated: { __typename: 'TrainingJob', ...fittingJob } } },
  },
];

function renderPanel(mocks: MockLink.MockedResponse[]) {
  return renderWithApi(<SetupPanel id="v1" name="June" onClose={vi.fn()} pollMs={20} />, {
    mocks,
  });
}

async function ready() {
  return screen.findByRole('table', { name: 'Profile of the columns, the label first' });
}

describe('SetupPanel', () => {
  it('polls the profile while it is PENDING or RUNNING, until READY', async () => {
    renderPanel([
      profileMock('PENDING'),
      profileMock('RUNNING'),
      profileMock('READY'),
      recommendMock(false),
    ]);
    expect(screen.getByRole('heading', { name: 'Setup of “June”' })).toBeInTheDocument();
    expect(
      await screen.findByText(/Profile queued for a worker \(a large version\)/),
    ).toBeInTheDocument();
    expect(await screen.findByText(/Profiling the columns/)).toBeInTheDocument();
    const table = await ready();
    expect(within(table).getAllByRole('row')).toHaveLength(6);
    expect(screen.queryByText(/Profiling the columns/)).not.toBeInTheDocument();
    expect(screen.getByText(/800 rows, 250 converted/)).toBeInTheDocument();
  });

  it('shows the profile with leakage and removal flags, evidence and numbers', async () => {
    renderPanel([profileMock('READY'), recommendMock(false)]);
    const table = await ready();

    const duration = within(table).getByRole('row', { name: /duration/ });
    expect(
      within(duration)
        .getAllByRole('cell')
        .map((c) => c.textContent),
    ).toEqual(['Numeric700 distinct numbers', '0.0%', '700', '0.912', '0.081', 'Possible leakage']);
    const id = within(table).getByRole('row', { name: /customer_id/ });
    expect(id).toHaveTextContent('Proposed for removal');
    expect(id).toHaveTextContent('800+ or more');
    const job = within(table).getByRole('row', { name: /job/ });
    expect(job).toHaveTextContent('2.5%');
    expect(job).not.toHaveTextContent(/Possible leakage|Proposed for removal/);

    const flags = screen.getByRole('list', { name: 'Flagged columns' });
    const items = within(flags).getAllByRole('listitem');
    // Possible leakage first, with its message and evidence.
    expect(items[0]).toHaveTextContent('Possible leakage');
    expect(items[0]).toHaveTextContent('duration');
    expect(items[0]).toHaveTextContent('possible leakage — recorded after the outcome?');
    expect(items[0]).toHaveTextContent('AUC alone0.912');
    expect(items[0]).toHaveTextContent('AUC lost without it0.081');
    expect(items[0]).toHaveTextContent('Quick model AUC0.930');
    expect(items[0]).toHaveTextContent('Share of the lift alone95%');
    expect(items[0]).toHaveTextContent('Share of the lift lost without it19%');
    expect(items[1]).toHaveTextContent('Proposed for removal');
    expect(items[1]).toHaveTextContent('customer_id');
    expect(items[1]).toHaveTextContent('unique per row (800 of 800)');
  });

  it('says when profiling failed and profiles again on request', async () => {
    renderPanel([profileMock('FAILED'), profileMock('READY'), recommendMock(false)]);
    const alert = await screen.findByRole('alert');
    expect(alert).toHaveTextContent('Profiling failed.');
    expect(alert).toHaveTextContent('the worker ran out of memory');
    await userEvent.click(within(alert).getByRole('button', { name: 'Profile again' }));
    await ready();
  });

  it('shows both recommendations side by side with their source and reasons', async () => {
    renderPanel([profileMock('READY'), recommendMock(true)]);
    const det = await screen.findByRole('article', { name: 'Deterministic recommendation' });
    const ai = screen.getByRole('article', { name: 'AI recommendation' });

    expect(det).toHaveTextContent('Source: fixed rules on the profile');
    expect(det).toHaveTextContent(
      'Gradient boosting: 800 rows with categorical columns: trees handle the interactions',
    );
    expect(
      within(within(det).getByRole('list', { name: 'Deterministic recommendation: columns used' }))
        .getAllByRole('listitem')
        .map((li) => li.textContent),
    ).toEqual(['age (Numeric): numeric, 0% missing', 'job (Categorical): categorical, 12 levels']);
    expect(
      within(det).getByRole('list', { name: 'Deterministic recommendation: columns left out' }),
    ).toHaveTextContent('duration (Numeric): possible leakage — recorded after the outcome?');
    expect(det).toHaveTextContent('numeric.log1p = none: no numeric feature has a long tail');
    expect(det).toHaveTextContent('learningRate: 0.1');

    expect(ai).toHaveTextContent('Source: AI (gpt-4o-mini)');
    expect(ai).toHaveTextContent(
      'Logistic regression: one numeric column: a linear model is enough',
    );
    expect(
      within(ai).getByRole('list', { name: 'AI recommendation: columns left out' }),
    ).toHaveTextContent('job (Categorical): a "job" entered by sales after the call');
  });

  it('says why there is no AI recommendation', async () => {
    renderPanel([profileMock('READY'), recommendMock(false)]);
    const ai = await screen.findByRole('article', { name: 'AI recommendation' });
    expect(ai).toHaveTextContent('No AI recommendation: OPENAI_API_KEY is not set');
    expect(screen.getByRole('radio', { name: /AI recommendation/ })).toBeDisabled();
  });

  it('applies the edited column choices, trains with the returned trainInput and follows the job', async () => {
    const user = userEvent.setup();
    const applyVars = vi.fn((_vars: unknown) => true);
    const trainVars = vi.fn((_vars: unknown) => true);
    renderPanel([
      profileMock('READY'),
      recommendMock(true),
      {
        request: { query: APPLY_SETUP, variables: applyVars },
        result: { data: { applySetup: appliedSetup } },
      },
      {
        request: { query: TRAIN_MODEL, variables: trainVars },
        result: { data: { trainModel: job } },
      },
      ...trackerMocks,
    ]);
    const form = await screen.findByRole('form', { name: 'Train with this setup' });
    const use = (name: string) => within(form).getByRole('checkbox', { name: `Use ${name}` });
    // The deterministic recommendation's choices to start with.
    expect(use('age')).toBeChecked();
    expect(use('job')).toBeChecked();
    expect(use('duration')).not.toBeChecked();
    expect(use('customer_id')).not.toBeChecked();

    await user.click(use('duration'));
    await user.click(use('job'));
    expect(form).toHaveTextContent('Kept although flagged as possible leakage: duration');
    expect(within(form).getByRole('row', { name: /duration/ })).toHaveTextContent('Kept by you');
    expect(within(form).getByRole('row', { name: /job/ })).toHaveTextContent('Left out by you');

    await user.click(within(form).getByRole('button', { name: 'Train with this' }));

    await waitFor(() => expect(trainVars).toHaveBeenCalled());
    expect(applyVars).toHaveBeenCalledWith({
      versionId: 'v1',
      input: { source: 'DETERMINISTIC', keepColumns: ['duration'], excludeColumns: ['job'] },
    });
    expect(trainVars).toHaveBeenCalledWith({ input: trainInput });
    expect(applyVars.mock.invocationCallOrder[0]).toBeLessThan(
      trainVars.mock.invocationCallOrder[0],
    );

    expect(await screen.findByRole('heading', { name: 'Training job' })).toBeInTheDocument();
    expect(screen.getByText(/keeping flagged duration/)).toBeInTheDocument();
    const bar = screen.getByRole('progressbar', { name: 'Training progress' });
    await waitFor(() => expect(bar).toHaveAttribute('value', '0.42'));
    expect(screen.getByRole('link', { name: 'the models page' })).toHaveAttribute(
      'href',
      '/admin/models',
    );
  });

  it('starts from the AI recommendation when chosen', async () => {
    const user = userEvent.setup();
    const applyVars = vi.fn((_vars: unknown) => true);
    renderPanel([
      profileMock('READY'),
      recommendMock(true),
      {
        request: { query: APPLY_SETUP, variables: applyVars },
        result: { data: { applySetup: { ...appliedSetup, source: 'AI', keptFlagged: [] } } },
      },
      {
        request: { query: TRAIN_MODEL, variables: { input: trainInput } },
        result: { data: { trainModel: job } },
      },
      ...trackerMocks,
    ]);
    const form = await screen.findByRole('form', { name: 'Train with this setup' });
    await user.click(within(form).getByRole('radio', { name: /AI recommendation/ }));
    expect(within(form).getByRole('checkbox', { name: 'Use job' })).not.toBeChecked();
    expect(form).toHaveTextContent('Model: Logistic regression');
    await user.click(within(form).getByRole('button', { name: 'Train with this' }));
    await screen.findByRole('heading', { name: 'Training job' });
    expect(applyVars).toHaveBeenCalledWith({ versionId: 'v1', input: { source: 'AI' } });
  });

  it('shows the problems applySetup names and does not train', async () => {
    const user = userEvent.setup();
    const trainVars = vi.fn(() => true);
    renderPanel([
      profileMock('READY'),
      recommendMock(false),
      {
        request: { query: APPLY_SETUP, variables: () => true },
        result: {
          errors: [
            {
              message: 'The setup is not valid.',
              extensions: {
                code: 'BAD_USER_INPUT',
                fields: [
                  {
                    path: 'input.keepColumns.0',
                    messages: ['"customer_id" is an identifier'],
                  },
                ],
              },
            },
          ],
        },
      },
      { request: { query: TRAIN_MODEL, variables: trainVars }, result: { data: null } },
    ]);
    const form = await screen.findByRole('form', { name: 'Train with this setup' });
    await user.click(within(form).getByRole('checkbox', { name: 'Use customer_id' }));
    await user.click(within(form).getByRole('button', { name: 'Train with this' }));
    const alert = await within(form).findByRole('alert');
    expect(alert).toHaveTextContent('The setup was not applied.');
    expect(alert).toHaveTextContent('keepColumns.0: "customer_id" is an identifier');
    expect(trainVars).not.toHaveBeenCalled();
  });
});

describe('DatasetsPage setup', () => {
  it('opens the setup of a version from the list', async () => {
    renderWithApi(<DatasetsPage />, {
      mocks: [...datasetsPageMocks, profileMock('READY'), recommendMock(false)],
      route: '/admin/datasets',
    });
    await userEvent.click(await screen.findByRole('button', { name: 'Setup of June' }));
    expect(await screen.findByRole('region', { name: 'Setup of “June”' })).toBeInTheDocument();
    await ready();
    await userEvent.click(screen.getByRole('button', { name: 'Close setup' }));
    expect(screen.queryByRole('region', { name: 'Setup of “June”' })).not.toBeInTheDocument();
  });
});
