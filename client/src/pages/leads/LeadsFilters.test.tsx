import { act, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';

import { BASE_VARIABLES, lead, leadsMock, renderPage } from './leadsTestUtils';

const rows = [lead('a1', 90), lead('b2', 50), lead('c3', 10)];

const location = () => screen.getByTestId('location').textContent;
const rowIds = () =>
  [...document.querySelectorAll('tr[data-lead-id]')].map((tr) => tr.getAttribute('data-lead-id'));

describe('LeadsPage: filters', () => {
  beforeEach(() => {
    // Time passes only when the test says so. Testing Library steps fake timers through the
    // `jest` global it looks for (in waitFor and around user events).
    vi.useFakeTimers();
    vi.stubGlobal('jest', { advanceTimersByTime: (ms: number) => vi.advanceTimersByTime(ms) });
  });
  afterEach(() => {
    vi.useRealTimers();
    vi.unstubAllGlobals();
  });

  const setup = () => userEvent.setup({ advanceTimers: vi.advanceTimersByTime });

  it('validates the minimum score and applies a valid one after the pause', async () => {
    const user = setup();
    renderPage({
      mocks: [
        leadsMock(BASE_VARIABLES, rows),
        leadsMock({ ...BASE_VARIABLES, filter: { minScore: 40 } }, rows.slice(0, 2)),
      ],
    });
    await screen.findByRole('rowheader', { name: /Lead a1/ });
    const input = screen.getByLabelText('Minimum score');

    await user.type(input, '150');
    expect(input).toHaveAttribute('aria-invalid', 'true');
    expect(input).toHaveAccessibleDescription('The minimum score must be between 0 and 100.');
    act(() => {
      vi.advanceTimersByTime(1000);
    });
    // Not applied: no request (none is mocked), the URL unchanged.
    expect(location()).toBe('');

    await user.clear(input);
    await user.type(input, 'abc');
    expect(input).toHaveAccessibleDescription('Enter a number from 0 to 100.');

    await user.clear(input);
    await user.type(input, '40');
    expect(input).not.toHaveAttribute('aria-invalid');
    expect(location()).toBe('');
    act(() => {
      vi.advanceTimersByTime(300);
    });
    expect(location()).toBe('?minScore=40');
    await waitFor(() => expect(rowIds()).toEqual(['L-a1', 'L-b2']));
    expect(screen.queryByRole('alert')).not.toBeInTheDocument();
  });

  it('debounces the search: one request for what was typed, after 300 ms', async () => {
    renderPage({
      mocks: [
        leadsMock(BASE_VARIABLES, rows),
        // Only the whole word is mocked: a request per keystroke would fail.
        leadsMock({ ...BASE_VARIABLES, filter: { search: 'acme' } }, [lead('b2', 50)]),
      ],
    });
    await screen.findByRole('rowheader', { name: /Lead a1/ });
    const user = setup();
    await user.type(screen.getByLabelText('Search'), 'acme');
    act(() => {
      vi.advanceTimersByTime(299);
    });
    expect(location()).toBe('');
    act(() => {
      vi.advanceTimersByTime(1);
    });
    expect(location()).toBe('?q=acme');
    await waitFor(() => expect(rowIds()).toEqual(['L-b2']));
    expect(screen.queryByRole('alert')).not.toBeInTheDocument();
  });

  it('filters by status, and the search box follows the URL', async () => {
    const user = setup();
    renderPage({
      url: '/?q=acme',
      mocks: [
        leadsMock({ ...BASE_VARIABLES, filter: { search: 'acme' } }, rows),
        leadsMock({ ...BASE_VARIABLES, filter: { status: 'QUALIFIED', search: 'acme' } }, [
          lead('c3', 10, { status: 'QUALIFIED' }),
        ]),
      ],
    });
    expect(screen.getByLabelText('Search')).toHaveValue('acme');
    await screen.findByRole('rowheader', { name: /Lead a1/ });
    await user.selectOptions(screen.getByLabelText('Status'), 'QUALIFIED');
    expect(location()).toBe('?status=QUALIFIED&q=acme');
    await waitFor(() => expect(rowIds()).toEqual(['L-c3']));
  });

  it('sends every filter together, reading them from the URL', async () => {
    renderPage({
      role: 'ADMIN',
      url: '/?minScore=12.5&owner=u-2&status=NEW&q=bob&size=50',
      mocks: [
        leadsMock(
          {
            ...BASE_VARIABLES,
            limit: 50,
            filter: { minScore: 12.5, ownerId: 'u-2', status: 'NEW', search: 'bob' },
          },
          rows,
        ),
        {
          request: { query: (await import('./operations')).USERS },
          result: { data: { users: [] } },
          delay: 0,
        },
      ],
    });
    expect(await screen.findByRole('rowheader', { name: /Lead a1/ })).toBeInTheDocument();
    expect(screen.getByLabelText('Minimum score')).toHaveValue('12.5');
    expect(screen.getByLabelText('Status')).toHaveValue('NEW');
    expect(screen.getByLabelText('Owner')).toHaveValue('u-2');
  });
});
