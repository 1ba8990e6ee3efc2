import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';

import { renderWithApi } from '../testUtils';
import { fittingJob } from './fixtures';
import { TRAIN_MODEL } from './operations';
import { TrainModelForm } from './TrainModelForm';

const versions = [
  { id: 'v2', name: 'July', rowCount: 900, converted: 300, lost: 600 },
  { id: 'v1', name: 'June', rowCount: 800, converted: 250, lost: 550 },
];

describe('TrainModelForm', () => {
  it('refuses bad hyper-parameters before calling the API', async () => {
    const onStarted = vi.fn();
    const variables = vi.fn(() => true);
    renderWithApi(<TrainModelForm versions={versions} onStarted={onStarted} />, {
      mocks: [{ request: { query: TRAIN_MODEL, variables }, result: { data: null } }],
    });
    const form = screen.getByRole('form', { name: 'Train a model' });
    expect(form).toBeInTheDocument();

    await userEvent.selectOptions(screen.getByLabelText('Model type'), 'GRADIENT_BOOSTING');
    await userEvent.type(screen.getByLabelText('Learning rate'), '2');
    await userEvent.clear(screen.getByLabelText('Seed'));
    await userEvent.type(screen.getByLabelText('Seed'), '1.5');
    await userEvent.click(screen.getByRole('button', { name: 'Start training' }));

    expect(screen.getByLabelText('Learning rate')).toHaveAccessibleDescription(
      /Must be a number > 0 and ≤ 1\./,
    );
    expect(screen.getByLabelText('Learning rate')).toHaveAttribute('aria-invalid', 'true');
    expect(screen.getByLabelText('Seed')).toHaveAccessibleDescription(/Must be a whole number/);
    expect(variables).not.toHaveBeenCalled();
    expect(onStarted).not.toHaveBeenCalled();
  });

  it('asks for a model type', async () => {
    renderWithApi(<TrainModelForm versions={versions} onStarted={vi.fn()} />);
    await userEvent.selectOptions(screen.getByLabelText('Model type'), '');
    await userEvent.click(screen.getByRole('button', { name: 'Start training' }));
    expect(screen.getByLabelText('Model type')).toHaveAccessibleDescription('Choose a model type.');
  });

  it('sends the type, the chosen version, the seed and the params set', async () => {
    const onStarted = vi.fn();
    const seen: unknown[] = [];
    renderWithApi(<TrainModelForm versions={versions} onStarted={onStarted} />, {
      mocks: [
        {
          request: {
            query: TRAIN_MODEL,
            variables: (vars: unknown) => {
              seen.push(vars);
              return true;
            },
          },
          result: {
            data: { trainModel: { __typename: 'TrainingJob', ...fittingJob, status: 'QUEUED' } },
          },
        },
      ],
    });
    // The newest version is chosen by default.
    expect(screen.getByLabelText('Dataset version')).toHaveValue('v2');
    await userEvent.selectOptions(screen.getByLabelText('Model type'), 'GRADIENT_BOOSTING');
    await userEvent.selectOptions(screen.getByLabelText('Dataset version'), 'v1');
    await userEvent.type(screen.getByLabelText('Learning rate'), '0.05');
    await userEvent.type(screen.getByLabelText('Max depth'), '6');
    await userEvent.selectOptions(screen.getByLabelText('Early stopping'), 'OFF');
    await userEvent.clear(screen.getByLabelText('Seed'));
    await userEvent.type(screen.getByLabelText('Seed'), '7');
    await userEvent.click(screen.getByRole('button', { name: 'Start training' }));

    await waitFor(() => expect(onStarted).toHaveBeenCalledOnce());
    expect(seen[0]).toEqual({
      input: {
        modelType: 'GRADIENT_BOOSTING',
        datasetVersionId: 'v1',
        seed: 7,
        params: { learningRate: 0.05, maxDepth: 6, earlyStopping: 'OFF' },
      },
    });
    expect(onStarted.mock.calls[0][0]).toMatchObject({ id: 'job1', status: 'QUEUED' });
  });
});
