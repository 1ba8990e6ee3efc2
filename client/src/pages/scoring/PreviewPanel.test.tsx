import { MockedProvider } from '@apollo/client/testing/react';
import { render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';

import type { ScoringConfigInput } from './formValues';
import { PREVIEW } from './fixtures';
import { PreviewPanel } from './PreviewPanel';
import { SCORING_CONFIG_PREVIEW } from './operations';

const INPUT: ScoringConfigInput = {
  weights: { emailOpens: 0.5, websiteVisits: 0.3, timeSpent: 0.2 },
  caps: { emailOpens: 10, websiteVisits: 20, timeSpent: 600 },
  halfLifeDays: 10,
  thresholds: { hot: 65, warm: 40 },
};

beforeEach(() => {
  vi.stubGlobal(
    'ResizeObserver',
    class {
      observe() {}
      unobserve() {}
      disconnect() {}
    },
  );
});

function renderPanel(
  input: ScoringConfigInput | null,
  result: object = { data: { scoringConfigPreview: PREVIEW } },
) {
  return render(
    <MockedProvider
      mocks={[{ request: { query: SCORING_CONFIG_PREVIEW, variables: { input: INPUT } }, result }]}
      mockLinkDefaultOptions={{ delay: 0 }}
    >
      <PreviewPanel input={input} />
    </MockedProvider>,
  );
}

describe('PreviewPanel', () => {
  it('renders the distribution, tiers, mean/median and tier moves of a preview', async () => {
    const user = userEvent.setup();
    renderPanel(INPUT);
    const region = screen.getByRole('region', { name: 'Score distribution preview' });
    await user.click(within(region).getByRole('button', { name: 'Preview distribution' }));

    expect(
      await within(region).findByText(/200 leads scored \(a sample of your leads\)/),
    ).toBeVisible();
    expect(region).toHaveTextContent('57 leads would change score by a point or more');

    const tiers = within(region).getByRole('table', { name: 'Leads per tier' });
    const hot = within(tiers).getByRole('row', { name: /hot/i });
    expect(
      within(hot)
        .getAllByRole('cell')
        .map((c) => c.textContent),
    ).toEqual(['35', '47', '+12']);
    const cold = within(tiers).getByRole('row', { name: /cold/i });
    expect(
      within(cold)
        .getAllByRole('cell')
        .map((c) => c.textContent),
    ).toEqual(['110', '93', '−17']);

    expect(region).toHaveTextContent('Mean score38.2 → 43.6 (+5.4)');
    expect(region).toHaveTextContent('Median score35 → 41.5 (+6.5)');

    const moves = within(region)
      .getAllByRole('listitem')
      .map((li) => li.textContent);
    expect(moves).toEqual(['17 leads COLD → WARM', '12 leads WARM → HOT']);

    const buckets = within(region).getByRole('table', { name: /score range/i });
    const rows = within(buckets).getAllByRole('row').slice(1);
    expect(rows).toHaveLength(10);
    expect(
      within(rows[0])
        .getAllByRole('cell')
        .map((c) => c.textContent),
    ).toEqual(['40', '30', '−10']);
    expect(within(rows[9]).getByRole('rowheader')).toHaveTextContent('90–100');
  });

  it('cannot preview invalid values', () => {
    renderPanel(null);
    expect(screen.getByRole('button', { name: 'Preview distribution' })).toBeDisabled();
    expect(screen.getByText(/fix the values marked/i)).toBeVisible();
  });

  it('shows a preview error', async () => {
    const user = userEvent.setup();
    renderPanel(INPUT, {
      errors: [{ message: 'Cannot query field "scoringConfigPreview" on type "Query".' }],
    });
    await user.click(screen.getByRole('button', { name: 'Preview distribution' }));
    expect(await screen.findByRole('alert')).toHaveTextContent(/could not be computed/);
  });
});
