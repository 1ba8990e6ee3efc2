import type { MockLink } from '@apollo/client/testing';
import { MockedProvider } from '@apollo/client/testing/react';
import { render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';

import { AUTHOR, CONFIG } from './fixtures';
import { toFormValues } from './formValues';
import {
  CONFIG_AUTHOR,
  RECENT_SCORING_JOBS,
  SCORING_CONFIG,
  UPDATE_SCORING_CONFIG,
} from './operations';
import ScoringConfigPage from './ScoringConfigPage';
import { NO_SIGNAL, NOT_ENOUGH_DATA, SUGGESTED } from './suggestionFixtures';
import { SUGGEST_SCORING_WEIGHTS } from './suggestionOperations';
import { applyWeightPatch } from './weightSuggestion';
import { WeightSuggestionPanel } from './WeightSuggestionPanel';

const suggestMock = (answer: object, fitHalfLife = true): MockLink.MockedResponse => ({
  request: { query: SUGGEST_SCORING_WEIGHTS, variables: { input: { fitHalfLife } } },
  result: { data: { suggestScoringWeights: answer } },
});

function renderPanel(mocks: MockLink.MockedResponse[], onUse = vi.fn()) {
  render(
    <MockedProvider mocks={mocks} mockLinkDefaultOptions={{ delay: 0 }}>
      <WeightSuggestionPanel onUse={onUse} />
    </MockedProvider>,
  );
  return { onUse, region: screen.getByRole('region', { name: 'Suggest weights from outcomes' }) };
}

const cells = (row: HTMLElement) =>
  within(row)
    .getAllByRole('cell')
    .map((c) => c.textContent);

describe('WeightSuggestionPanel', () => {
  it('SUGGESTED: current against suggested weights, half-life, held-out AUC and distributions', async () => {
    const user = userEvent.setup();
    const { region, onUse } = renderPanel([suggestMock(SUGGESTED)]);
    await user.click(within(region).getByRole('button', { name: 'Suggest weights' }));

    expect(await within(region).findByText('Weights suggested')).toBeVisible();
    expect(region).toHaveTextContent('AUC 0.741 against 0.612');
    expect(region).toHaveTextContent(
      '400 outcomes considered (120 converted, 280 lost). A fit needs at least 50, 10 of each. Fitted on 300, compared on 100 held out (the latest 25% of outcomes held out).',
    );

    const config = within(region).getByRole('table', {
      name: 'Current and suggested configuration',
    });
    const row = (name: string) => within(config).getByRole('row', { name: new RegExp(name) });
    expect(cells(row('Email opens weight'))).toEqual(['0.400', '0.150']);
    expect(cells(row('Website visits weight'))).toEqual(['0.350', '0.600']);
    expect(cells(row('Time spent weight'))).toEqual(['0.250', '0.250']);
    expect(cells(row('Half-life'))).toEqual(['7 days', '14 days']);
    expect(cells(row('Held-out AUC'))).toEqual(['0.612', '0.741']);

    const dist = within(region).getByRole('table', { name: /Scores of the outcomes’ leads/ });
    const drow = (name: string) => within(dist).getByRole('row', { name: new RegExp(name) });
    expect(cells(drow('Mean score'))).toEqual(['38.2', '44.6']);
    expect(cells(drow('Median'))).toEqual(['35', '42']);
    expect(cells(drow('90th percentile'))).toEqual(['71.5', '80']);
    expect(cells(drow('Hot'))).toEqual(['30 of 60 converted (50%)', '60 of 90 converted (67%)']);
    expect(cells(drow('Cold'))).toEqual(['40 of 200 converted (20%)', '20 of 160 converted (13%)']);

    await user.click(within(region).getByRole('button', { name: 'Use these weights' }));
    expect(onUse).toHaveBeenCalledWith(SUGGESTED.patch);
    expect(within(region).getByRole('status')).toHaveTextContent(
      'The editor now holds the suggested weights and half-life.',
    );
  });

  it('NO_SIGNAL: its message and the current figures, nothing to use', async () => {
    const user = userEvent.setup();
    const { region } = renderPanel([suggestMock(NO_SIGNAL)]);
    await user.click(within(region).getByRole('button', { name: 'Suggest weights' }));
    expect(await within(region).findByText(NO_SIGNAL.message)).toBeVisible();
    expect(region).toHaveTextContent('No signal: keep the current weights');
    const config = within(region).getByRole('table', {
      name: 'Current and suggested configuration',
    });
    expect(
      within(config)
        .getAllByRole('columnheader')
        .map((c) => c.textContent),
    ).toEqual(['Measure', 'Current']);
    expect(cells(within(config).getByRole('row', { name: /Held-out AUC/ }))).toEqual(['0.612']);
    expect(within(region).queryByRole('button', { name: 'Use these weights' })).toBeNull();
  });

  it('NOT_ENOUGH_DATA: its message and how many more outcomes are needed', async () => {
    const user = userEvent.setup();
    const { region } = renderPanel([suggestMock(NOT_ENOUGH_DATA, false)]);
    await user.click(within(region).getByRole('checkbox', { name: 'Fit the half-life too' }));
    await user.click(within(region).getByRole('button', { name: 'Suggest weights' }));
    expect(await within(region).findByText(NOT_ENOUGH_DATA.message)).toBeVisible();
    expect(region).toHaveTextContent('Not enough outcomes yet');
    expect(region).toHaveTextContent(
      'Still needed: 18 more outcomes (at least 5 more converted and 13 more lost).',
    );
    expect(within(region).queryByRole('table')).toBeNull();
    expect(within(region).queryByRole('button', { name: 'Use these weights' })).toBeNull();
  });

  it('shows an error', async () => {
    const user = userEvent.setup();
    const { region } = renderPanel([
      {
        request: { query: SUGGEST_SCORING_WEIGHTS, variables: { input: { fitHalfLife: true } } },
        result: { errors: [{ message: 'Forbidden resource' }] },
      },
    ]);
    await user.click(within(region).getByRole('button', { name: 'Suggest weights' }));
    expect(await within(region).findByRole('alert')).toHaveTextContent(
      'The suggestion could not be computed: Forbidden resource',
    );
  });
});

describe('ScoringConfigPage with a weight suggestion', () => {
  it('"Use these weights" fills the editor, which saves them as a new version', async () => {
    const user = userEvent.setup();
    const saveVars = vi.fn((_vars: unknown) => true);
    const saved = {
      ...CONFIG,
      version: 4,
      weights: { ...CONFIG.weights, emailOpens: 0.15, websiteVisits: 0.6, timeSpent: 0.25 },
      halfLifeDays: 14,
      createdAt: '2026-12-03T10:00:00.000Z',
    };
    render(
      <MockedProvider
        mocks={[
          { request: { query: SCORING_CONFIG }, result: { data: { scoringConfig: CONFIG } } },
          {
            request: { query: CONFIG_AUTHOR, variables: { userId: AUTHOR.id } },
            result: { data: { user: AUTHOR } },
            maxUsageCount: 5,
          },
          suggestMock(SUGGESTED),
          {
            request: { query: UPDATE_SCORING_CONFIG, variables: saveVars },
            result: { data: { updateScoringConfig: saved } },
          },
          {
            request: { query: RECENT_SCORING_JOBS, variables: { limit: 5 } },
            result: { data: { scoringJobs: [] } },
            maxUsageCount: Number.POSITIVE_INFINITY,
          },
        ]}
        mockLinkDefaultOptions={{ delay: 0 }}
      >
        <ScoringConfigPage />
      </MockedProvider>,
    );
    await screen.findByLabelText('Email opens weight');
    // Beside the preview.
    expect(screen.getByRole('region', { name: 'Score distribution preview' })).toBeVisible();
    const region = screen.getByRole('region', { name: 'Suggest weights from outcomes' });
    await user.click(within(region).getByRole('button', { name: 'Suggest weights' }));
    await user.click(await within(region).findByRole('button', { name: 'Use these weights' }));

    expect(screen.getByLabelText('Email opens weight')).toHaveValue(0.15);
    expect(screen.getByLabelText('Website visits weight')).toHaveValue(0.6);
    expect(screen.getByLabelText('Time spent weight')).toHaveValue(0.25);
    expect(screen.getByLabelText('Half-life (days)')).toHaveValue(14);
    // Caps and thresholds are left as they were.
    expect(screen.getByLabelText('Time spent cap')).toHaveValue(600);
    expect(screen.getByLabelText('Hot threshold')).toHaveValue(70);
    expect(
      screen.getByText('Unsaved changes. Saving creates a new version and rescores every lead.'),
    ).toBeVisible();

    await user.click(screen.getByRole('button', { name: 'Save as new version' }));
    expect(await screen.findByText('Saved as version 4.')).toBeVisible();
    await waitFor(() => expect(saveVars).toHaveBeenCalled());
    expect(saveVars).toHaveBeenCalledWith({
      input: {
        weights: { emailOpens: 0.15, websiteVisits: 0.6, timeSpent: 0.25 },
        caps: { emailOpens: 10, websiteVisits: 20, timeSpent: 600 },
        halfLifeDays: 14,
        thresholds: { hot: 70, warm: 40 },
      },
    });
  });

  it('keeps the half-life when it was not fitted', () => {
    const values = applyWeightPatch(toFormValues(CONFIG), {
      weights: { emailOpens: 0.2, websiteVisits: 0.3, timeSpent: 0.5 },
      halfLifeDays: null,
    });
    expect(values.weights).toEqual({ emailOpens: '0.2', websiteVisits: '0.3', timeSpent: '0.5' });
    expect(values.halfLifeDays).toBe('7');
    expect(values.hot).toBe('70');
  });
});
