import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';

import {
  BASE_VARIABLES,
  lead,
  leadsErrorMock,
  leadsMock,
  renderPage,
  usersMock,
} from './leadsTestUtils';

const rows = [lead('a1', 94.7), lead('b2', 61.2, { name: null, email: null }), lead('c3', 12)];

function location() {
  return screen.getByTestId('location').textContent;
}

async function table() {
  return screen.findByRole('table', { name: 'Leads ranked by score' });
}

describe('LeadsPage: the table', () => {
  it('shows a skeleton while loading, then the ranked rows with their columns', async () => {
    renderPage({ mocks: [leadsMock(BASE_VARIABLES, rows)] });
    expect(screen.getByRole('heading', { level: 1, name: 'Leads' })).toBeInTheDocument();
    expect(screen.getByRole('status')).toHaveTextContent('Loading leads…');
    expect(screen.getByRole('table')).toHaveAttribute('aria-busy', 'true');

    const grid = await table();
    await within(grid).findByRole('rowheader', { name: /Lead a1/ });
    const headers = within(grid)
      .getAllByRole('columnheader')
      .map((th) => th.textContent?.replace(/[↑↓↕]/g, '').replace('Sort by ', '').split(',')[0]);
    expect(headers).toEqual([
      'Lead Name',
      'Score',
      'Priority',
      'Email Opens',
      'Website Visits',
      'Time Spent',
      'Last Activity',
      'Owner',
    ]);

    const first = within(grid).getByRole('row', { name: /Lead a1/ });
    expect(first).toHaveAttribute('data-lead-id', 'L-a1');
    expect(first).toHaveAttribute('data-score', '94.7');
    expect(within(first).getByRole('link', { name: 'Lead a1' })).toHaveAttribute(
      'href',
      '/lead/a1',
    );
    expect(first).toHaveTextContent('a1@example.com');
    expect(first).toHaveTextContent('94.7');
    expect(first).toHaveTextContent('Hot');
    expect(first).toHaveTextContent('1m 15s');
    expect(first).toHaveTextContent('Never');
    // A rep's own leads: their own name as the owner.
    expect(first).toHaveTextContent('Rita Rep');

    // No name: the lead id instead.
    expect(within(grid).getByRole('link', { name: 'L-b2' })).toBeInTheDocument();
    const order = grid.querySelectorAll('tr[data-lead-id]');
    expect([...order].map((tr) => tr.getAttribute('data-lead-id'))).toEqual([
      'L-a1',
      'L-b2',
      'L-c3',
    ]);
    expect(screen.getByRole('status')).toHaveTextContent('');
    expect(screen.getByText(/Updated/)).toHaveTextContent('Updated just now');
  });
});

describe('LeadsPage: sorting', () => {
  it('sorts by score descending by default; the header toggles it; another header starts descending', async () => {
    const user = userEvent.setup();
    renderPage({
      mocks: [
        leadsMock(BASE_VARIABLES, rows),
        leadsMock({ ...BASE_VARIABLES, order: 'ASC' }, [...rows].reverse()),
        leadsMock({ ...BASE_VARIABLES, sort: 'LAST_ACTIVITY' }, rows),
        leadsMock({ ...BASE_VARIABLES, sort: 'LAST_ACTIVITY', order: 'ASC' }, rows),
      ],
    });
    await screen.findByRole('rowheader', { name: /Lead a1/ });
    const scoreHeader = () => screen.getByRole('columnheader', { name: /Score/ });
    const activityHeader = () => screen.getByRole('columnheader', { name: /Last Activity/ });
    expect(scoreHeader()).toHaveAttribute('aria-sort', 'descending');
    expect(activityHeader()).not.toHaveAttribute('aria-sort');

    await user.click(screen.getByRole('button', { name: 'Sort by Score, lowest first' }));
    expect(location()).toBe('?order=asc');
    expect(scoreHeader()).toHaveAttribute('aria-sort', 'ascending');
    expect(screen.getByRole('table')).toHaveAccessibleName('Leads ranked by score, lowest first');
    await waitFor(() => expect(screen.getAllByRole('rowheader')[0]).toHaveTextContent('Lead c3'));
    expect(screen.getByRole('button', { name: 'Sort by Score, highest first' })).toBeVisible();

    await user.click(
      screen.getByRole('button', { name: 'Sort by Last Activity, most recent first' }),
    );
    expect(location()).toBe('?sort=activity');
    expect(activityHeader()).toHaveAttribute('aria-sort', 'descending');
    expect(scoreHeader()).not.toHaveAttribute('aria-sort');
    await waitFor(() => expect(screen.getAllByRole('rowheader')[0]).toHaveTextContent('Lead a1'));

    await user.click(screen.getByRole('button', { name: 'Sort by Last Activity, oldest first' }));
    expect(location()).toBe('?sort=activity&order=asc');
    expect(activityHeader()).toHaveAttribute('aria-sort', 'ascending');
    await waitFor(() => expect(screen.getByRole('status')).toHaveTextContent(''));
    expect(screen.queryByRole('alert')).not.toBeInTheDocument();
  });

  it('reads the sort from the URL', async () => {
    renderPage({
      url: '/?sort=activity&order=asc',
      mocks: [leadsMock({ ...BASE_VARIABLES, sort: 'LAST_ACTIVITY', order: 'ASC' }, rows)],
    });
    await screen.findByRole('rowheader', { name: /Lead a1/ });
    expect(screen.getByRole('columnheader', { name: /Last Activity/ })).toHaveAttribute(
      'aria-sort',
      'ascending',
    );
  });
});

describe('LeadsPage: states', () => {
  it('says when no lead matches the filters, and clears them', async () => {
    const user = userEvent.setup();
    renderPage({
      url: '/?status=LOST',
      mocks: [
        leadsMock({ ...BASE_VARIABLES, filter: { status: 'LOST' } }, []),
        leadsMock(BASE_VARIABLES, rows),
      ],
    });
    expect(await screen.findByText('No leads match these filters.')).toBeInTheDocument();
    await user.click(screen.getByRole('button', { name: 'Clear filters' }));
    expect(location()).toBe('');
    expect(await screen.findByRole('rowheader', { name: /Lead a1/ })).toBeInTheDocument();
    expect(screen.getByLabelText('Status')).toHaveValue('');
  });

  it('says so when there are no leads at all', async () => {
    renderPage({ mocks: [leadsMock(BASE_VARIABLES, [])] });
    expect(await screen.findByText('No leads yet.')).toBeInTheDocument();
    expect(screen.queryByRole('button', { name: 'Clear filters' })).not.toBeInTheDocument();
    expect(screen.getByText('0 leads')).toBeInTheDocument();
  });

  it('shows the error with a retry that loads the rows', async () => {
    const user = userEvent.setup();
    renderPage({ mocks: [leadsErrorMock(BASE_VARIABLES), leadsMock(BASE_VARIABLES, rows)] });
    const alert = await screen.findByRole('alert');
    expect(alert).toHaveTextContent('The ranking is unavailable.');
    expect(screen.queryByRole('table')).not.toBeInTheDocument();
    await user.click(within(alert).getByRole('button', { name: 'Try again' }));
    expect(await screen.findByRole('rowheader', { name: /Lead a1/ })).toBeInTheDocument();
    expect(screen.queryByRole('alert')).not.toBeInTheDocument();
  });

  it('keeps the rows while refreshing, and says it is refreshing', async () => {
    const user = userEvent.setup();
    renderPage({
      mocks: [
        leadsMock(BASE_VARIABLES, rows),
        leadsMock(BASE_VARIABLES, [lead('a1', 96), ...rows.slice(1)], { delay: 50 }),
      ],
    });
    await screen.findByRole('rowheader', { name: /Lead a1/ });
    await user.click(screen.getByRole('button', { name: 'Refresh' }));
    expect(screen.getByRole('status')).toHaveTextContent('Refreshing…');
    expect(screen.getByRole('rowheader', { name: /Lead a1/ })).toBeInTheDocument();
    await waitFor(() =>
      expect(screen.getByRole('row', { name: /Lead a1/ })).toHaveAttribute('data-score', '96'),
    );
    expect(screen.getByRole('status')).toHaveTextContent('');
  });
});

describe('LeadsPage: owners', () => {
  it('lets managers filter by owner and names each owner', async () => {
    const user = userEvent.setup();
    renderPage({
      role: 'MANAGER',
      mocks: [
        usersMock,
        leadsMock(BASE_VARIABLES, [lead('a1', 90), lead('b2', 50, { ownerId: 'u-2' })]),
        leadsMock({ ...BASE_VARIABLES, filter: { ownerId: 'u-2' } }, [
          lead('b2', 50, { ownerId: 'u-2' }),
        ]),
      ],
    });
    expect(await screen.findByRole('row', { name: /Lead b2/ })).toHaveTextContent('Sam Seller');
    const owner = await screen.findByRole('combobox', { name: 'Owner' });
    await screen.findByRole('option', { name: 'Sam Seller' });
    await user.selectOptions(owner, 'u-2');
    expect(location()).toBe('?owner=u-2');
    await waitFor(() => expect(screen.queryByRole('row', { name: /Lead a1/ })).toBeNull());
  });

  it('gives reps no owner filter, does not ask for users, and ignores an owner in the URL', async () => {
    const askedForUsers = vi.fn(() => usersResult);
    const usersResult = { data: { users: [] } };
    renderPage({
      url: '/?owner=u-2',
      mocks: [
        { ...usersMock, result: askedForUsers },
        // No owner in the variables: reps get their own leads.
        leadsMock(BASE_VARIABLES, rows),
      ],
    });
    await screen.findByRole('rowheader', { name: /Lead a1/ });
    expect(screen.queryByLabelText('Owner')).not.toBeInTheDocument();
    expect(screen.queryByRole('alert')).not.toBeInTheDocument();
    expect(askedForUsers).not.toHaveBeenCalled();
  });
});
