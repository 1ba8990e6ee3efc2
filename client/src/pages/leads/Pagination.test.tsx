import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';

import { BASE_VARIABLES, lead, leadsMock, renderPage } from './leadsTestUtils';

const location = () => screen.getByTestId('location').textContent;
const pageOf = (n: number) =>
  Array.from({ length: 2 }, (_, i) => lead(`p${n}-${i}`, 90 - n * 10 - i));
const pager = () => screen.getByRole('navigation', { name: 'Pagination' });

describe('LeadsPage: pagination', () => {
  it('pages forward and back, disabling previous and next at the ends', async () => {
    const user = userEvent.setup();
    const opts = { total: 60, totalPages: 3 };
    renderPage({
      mocks: [
        leadsMock(BASE_VARIABLES, pageOf(1), opts),
        leadsMock({ ...BASE_VARIABLES, page: 2 }, pageOf(2), { ...opts, delay: 50 }),
        leadsMock({ ...BASE_VARIABLES, page: 3 }, pageOf(3), opts),
        leadsMock({ ...BASE_VARIABLES, page: 2 }, pageOf(2), opts),
      ],
    });
    await screen.findByRole('rowheader', { name: /Lead p1-0/ });
    expect(within(pager()).getByText('Page 1 of 3')).toBeInTheDocument();
    expect(within(pager()).getByText('60 leads')).toBeInTheDocument();
    const previous = within(pager()).getByRole('button', { name: 'Previous' });
    const next = within(pager()).getByRole('button', { name: 'Next' });
    expect(previous).toBeDisabled();
    expect(next).toBeEnabled();

    await user.click(next);
    expect(location()).toBe('?page=2');
    expect(within(pager()).getByText('Page 2 of 3')).toBeInTheDocument();
    // The previous rows stay while the next page loads.
    expect(screen.getByRole('rowheader', { name: /Lead p1-0/ })).toBeInTheDocument();
    expect(screen.getByRole('status')).toHaveTextContent('Loading…');
    expect(screen.getByRole('table')).toHaveAttribute('aria-busy', 'true');
    await screen.findByRole('rowheader', { name: /Lead p2-0/ });
    expect(previous).toBeEnabled();

    await user.click(next);
    await screen.findByRole('rowheader', { name: /Lead p3-0/ });
    expect(within(pager()).getByText('Page 3 of 3')).toBeInTheDocument();
    expect(next).toBeDisabled();

    await user.click(previous);
    expect(location()).toBe('?page=2');
    await screen.findByRole('rowheader', { name: /Lead p2-0/ });
  });

  it('goes back to page 1 when a filter, the sort or the page size changes', async () => {
    const user = userEvent.setup();
    const opts = { total: 60, totalPages: 3 };
    renderPage({
      url: '/?page=2',
      mocks: [
        leadsMock({ ...BASE_VARIABLES, page: 2 }, pageOf(2), opts),
        leadsMock({ ...BASE_VARIABLES, filter: { status: 'WORKING' } }, pageOf(1), {
          total: 2,
        }),
        leadsMock({ ...BASE_VARIABLES, filter: { status: 'WORKING' }, limit: 50 }, pageOf(1), {
          total: 2,
        }),
      ],
    });
    await screen.findByRole('rowheader', { name: /Lead p2-0/ });
    await user.selectOptions(screen.getByLabelText('Status'), 'WORKING');
    expect(location()).toBe('?status=WORKING');
    await screen.findByRole('rowheader', { name: /Lead p1-0/ });
    expect(within(pager()).getByText('Page 1 of 1')).toBeInTheDocument();
    expect(within(pager()).getByRole('button', { name: 'Next' })).toBeDisabled();

    await user.selectOptions(screen.getByLabelText('Rows per page'), '50');
    expect(location()).toBe('?status=WORKING&size=50');
    await waitFor(() => expect(screen.getByRole('status')).toHaveTextContent(''));
    expect(screen.queryByRole('alert')).not.toBeInTheDocument();
  });

  it('moves to the last page when the URL points past it', async () => {
    renderPage({
      url: '/?page=9',
      mocks: [
        leadsMock({ ...BASE_VARIABLES, page: 9 }, [], { total: 30, totalPages: 2 }),
        leadsMock({ ...BASE_VARIABLES, page: 2 }, pageOf(2), { total: 30, totalPages: 2 }),
      ],
    });
    await screen.findByRole('rowheader', { name: /Lead p2-0/ });
    expect(location()).toBe('?page=2');
  });
});
