import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';

import { renderWithApi } from '../testUtils';
import { defaultLifecycle } from './fixtures';
import { LifecycleSettingsForm } from './LifecycleSettingsForm';
import { UPDATE_MODEL_LIFECYCLE } from './operations';

describe('LifecycleSettingsForm', () => {
  it('shows each bad field and sends nothing', async () => {
    const onSaved = vi.fn();
    renderWithApi(
      <LifecycleSettingsForm current={defaultLifecycle} onSaved={onSaved} onCancel={vi.fn()} />,
    );
    const cadence = screen.getByLabelText('Every (days)');
    await userEvent.clear(cadence);
    await userEvent.type(cadence, '0');
    const drift = screen.getByLabelText('Drift threshold (PSI)');
    await userEvent.clear(drift);
    await userEvent.type(drift, '9');
    await userEvent.click(screen.getByRole('button', { name: 'Save settings' }));

    expect(cadence).toHaveAttribute('aria-invalid', 'true');
    expect(cadence).toHaveAccessibleDescription(/A whole number of days from 1 to 90\./);
    expect(drift).toHaveAccessibleDescription(/A number from 0.01 to 5\./);
    expect(onSaved).not.toHaveBeenCalled();
  });

  it('saves the changed fields only', async () => {
    const onSaved = vi.fn();
    const seen: unknown[] = [];
    renderWithApi(
      <LifecycleSettingsForm current={defaultLifecycle} onSaved={onSaved} onCancel={vi.fn()} />,
      {
        mocks: [
          {
            request: {
              query: UPDATE_MODEL_LIFECYCLE,
              variables: (v: unknown) => {
                seen.push(v);
                return true;
              },
            },
            result: {
              data: {
                updateModelLifecycle: {
                  __typename: 'ModelLifecycle',
                  ...defaultLifecycle,
                  retrainingEnabled: true,
                  cadenceDays: 3,
                  promotion: { __typename: 'PromotionRule', ...defaultLifecycle.promotion },
                },
              },
            },
          },
        ],
      },
    );
    await userEvent.click(screen.getByLabelText('Retrain on a schedule'));
    const cadence = screen.getByLabelText('Every (days)');
    await userEvent.clear(cadence);
    await userEvent.type(cadence, '3');
    await userEvent.click(screen.getByRole('button', { name: 'Save settings' }));

    await waitFor(() =>
      expect(onSaved).toHaveBeenCalledWith('Saved: retrainingEnabled, cadenceDays.'),
    );
    expect(seen[0]).toEqual({ input: { retrainingEnabled: true, cadenceDays: 3 } });
  });
});
