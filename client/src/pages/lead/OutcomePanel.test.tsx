import { screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';

import { CURRENT_OUTCOME, RECORD_OUTCOME, REOPEN_LEAD } from './operations';
import { OutcomePanel } from './OutcomePanel';
import { renderWithApollo } from './testUtils';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

const outcome = {
  __typename: 'Outcome',
  id: 'o-1',
  outcome: 'CONVERTED',
  reason: 'Signed',
  at: '2026-12-03T10:00:00.000Z',
  recordedAt: '2026-12-03T10:00:00.000Z',
  recordedBy: 'u-1',
  current: true,
};

const outcomesQuery = (items: unknown[]) => ({
  request: { query: CURRENT_OUTCOME, variables: { leadId: 'crm-42' } },
  result: { data: { outcomes: { __typename: 'OutcomePage', items } } },
});

describe('OutcomePanel', () => {
  it('asks for a confirmation, then records the outcome with a UUID idempotency key', async () => {
    const user = userEvent.setup();
    const onChanged = vi.fn();
    const seen: Record<string, unknown>[] = [];
    renderWithApollo(<OutcomePanel leadId="crm-42" status="WORKING" onChanged={onChanged} />, {
      mocks: [
        outcomesQuery([]),
        {
          request: {
            query: RECORD_OUTCOME,
            variables: (vars: Record<string, unknown>) => {
              seen.push(vars);
              return true;
            },
          },
          result: { data: { recordOutcome: outcome } },
        },
        outcomesQuery([outcome]),
      ],
    });
    await user.type(screen.getByLabelText('Reason (optional)'), 'Signed');
    await user.click(screen.getByRole('button', { name: 'Mark as converted' }));

    expect(screen.getByText('Record this lead as converted?')).toHaveFocus();
    expect(seen).toHaveLength(0);

    await user.click(screen.getByRole('button', { name: 'Yes, record it' }));
    expect(await screen.findByText(/the lead is converted/i)).toBeVisible();
    const input = (seen[0] as { input: Record<string, unknown> }).input;
    expect(input).toMatchObject({ leadId: 'crm-42', outcome: 'CONVERTED', reason: 'Signed' });
    expect(input.idempotencyKey).toMatch(UUID);
    expect(onChanged).toHaveBeenCalled();
  });

  it('cancels without recording', async () => {
    const user = userEvent.setup();
    renderWithApollo(<OutcomePanel leadId="crm-42" status="NEW" onChanged={() => {}} />, {
      mocks: [outcomesQuery([])],
    });
    await user.click(screen.getByRole('button', { name: 'Mark as lost' }));
    expect(screen.getByText('Record this lead as lost?')).toBeVisible();
    await user.click(screen.getByRole('button', { name: 'Cancel' }));
    expect(screen.queryByText('Record this lead as lost?')).not.toBeInTheDocument();
  });

  it('shows the current outcome and reopens the lead', async () => {
    const user = userEvent.setup();
    renderWithApollo(<OutcomePanel leadId="crm-42" status="CONVERTED" onChanged={() => {}} />, {
      mocks: [
        outcomesQuery([outcome]),
        {
          request: { query: REOPEN_LEAD, variables: { leadId: 'crm-42' } },
          result: {
            data: {
              reopenLead: {
                __typename: 'ReopenLeadResult',
                leadId: 'crm-42',
                status: 'WORKING',
                cleared: { __typename: 'Outcome', id: 'o-1', outcome: 'CONVERTED', current: false },
              },
            },
          },
        },
        outcomesQuery([]),
      ],
    });
    expect(await screen.findByText('Converted')).toBeVisible();
    expect(screen.getByText(/“Signed”/)).toBeVisible();
    await user.click(screen.getByRole('button', { name: 'Reopen lead' }));
    await user.click(screen.getByRole('button', { name: 'Yes, reopen' }));
    expect(await screen.findByText('The lead is reopened.')).toBeVisible();
  });
});
