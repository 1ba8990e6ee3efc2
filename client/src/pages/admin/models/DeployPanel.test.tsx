import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { GraphQLError } from 'graphql';

import { rememberedAbTestId } from '../lifecycle/abTestStore';
import { renderWithApi } from '../testUtils';
import { DeployPanel } from './DeployPanel';
import { DEPLOY_MODEL, ROLLBACK_MODEL } from './modelOperations';

const model = { id: 'm3', type: 'GRADIENT_BOOSTING', version: 3, status: 'READY' as const };

const deployed = {
  request: { query: DEPLOY_MODEL, variables: { id: 'm3' } },
  result: {
    data: {
      deployModel: {
        __typename: 'ModelDeploymentResult',
        previousModelId: 'weighted-sum',
        rescoreJobId: 'job9',
        deployed: {
          __typename: 'MlModel',
          id: 'm3',
          status: 'DEPLOYED',
          deployedAt: '2025-06-01T10:00:00Z',
          deployedBy: 'u1',
          retiredAt: null,
        },
      },
    },
  },
};

describe('DeployPanel', () => {
  it('asks in a dialog, which Escape closes with nothing done', async () => {
    renderWithApi(<DeployPanel model={model} />);
    expect(screen.getByText('Ready')).toBeInTheDocument();
    const deploy = screen.getByRole('button', { name: 'Deploy' });
    await userEvent.click(deploy);

    const dialog = screen.getByRole('dialog', { name: 'Deploy Gradient boosting v3?' });
    expect(dialog).toHaveAttribute('aria-modal', 'true');
    expect(within(dialog).getByRole('button', { name: 'Cancel' })).toHaveFocus();
    expect(within(dialog).getByRole('button', { name: 'Confirm deploy' })).toBeInTheDocument();

    await userEvent.keyboard('{Escape}');
    expect(screen.queryByRole('dialog')).not.toBeInTheDocument();
    expect(deploy).toHaveFocus();
  });

  it('deploys on confirmation and says so', async () => {
    renderWithApi(<DeployPanel model={model} />, { mocks: [deployed] });
    await userEvent.click(screen.getByRole('button', { name: 'Deploy' }));
    await userEvent.click(screen.getByRole('button', { name: 'Confirm deploy' }));

    await waitFor(() => expect(screen.queryByRole('dialog')).not.toBeInTheDocument());
    expect(screen.getByRole('status')).toHaveTextContent(
      'Gradient boosting v3 now scores every lead. Rescoring job job9 is updating the open leads.',
    );
  });

  it('shows the CONFLICT of a running A/B test and keeps the dialog open', async () => {
    const message =
      'an A/B test is running (ab1): stop it (stopAbTest, with a winner to deploy) first';
    renderWithApi(<DeployPanel model={model} />, {
      mocks: [
        {
          request: { query: DEPLOY_MODEL, variables: { id: 'm3' } },
          result: {
            errors: [
              new GraphQLError(message, { extensions: { code: 'CONFLICT', abTestId: 'ab1' } }),
            ],
          },
        },
      ],
    });
    await userEvent.click(screen.getByRole('button', { name: 'Deploy' }));
    await userEvent.click(screen.getByRole('button', { name: 'Confirm deploy' }));

    const alert = await screen.findByRole('alert');
    expect(alert).toHaveTextContent(`Refused: ${message}`);
    expect(within(alert).getByRole('link', { name: /Open the A\/B test/ })).toHaveAttribute(
      'href',
      '/admin/lifecycle',
    );
    expect(screen.getByRole('dialog')).toBeInTheDocument();
    // The lifecycle page will show that test.
    expect(rememberedAbTestId()).toBe('ab1');
    await userEvent.keyboard('{Escape}');
    expect(screen.queryByRole('dialog')).not.toBeInTheDocument();
  });

  it('offers a roll back, not a deploy, for the deployed model', () => {
    renderWithApi(
      <DeployPanel model={{ ...model, status: 'DEPLOYED', deployedAt: '2025-06-01T10:00:00Z' }} />,
    );
    expect(screen.getByText('Deployed')).toBeInTheDocument();
    expect(screen.queryByRole('button', { name: 'Deploy' })).not.toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Roll back' })).toBeInTheDocument();
  });

  it('rolls back on confirmation', async () => {
    renderWithApi(
      <DeployPanel model={{ ...model, status: 'DEPLOYED', deployedAt: '2025-06-01T10:00:00Z' }} />,
      {
        mocks: [
          {
            request: { query: ROLLBACK_MODEL },
            result: {
              data: {
                rollbackModel: {
                  __typename: 'ModelDeploymentResult',
                  previousModelId: 'm3',
                  rescoreJobId: 'job10',
                  deployed: {
                    __typename: 'MlModel',
                    id: 'weighted-sum',
                    type: 'WEIGHTED_SUM',
                    version: 1,
                    status: 'DEPLOYED',
                    deployedAt: '2025-06-02T10:00:00Z',
                    deployedBy: 'u1',
                    retiredAt: null,
                  },
                },
              },
            },
          },
        ],
      },
    );
    await userEvent.click(screen.getByRole('button', { name: 'Roll back' }));
    expect(
      screen.getByRole('dialog', { name: 'Roll back Gradient boosting v3?' }),
    ).toBeInTheDocument();
    await userEvent.click(screen.getByRole('button', { name: 'Confirm roll back' }));
    expect(await screen.findByRole('status')).toHaveTextContent(
      'Rolled back: Weighted sum v1 scores leads again.',
    );
    expect(screen.queryByRole('dialog')).not.toBeInTheDocument();
  });
});
