import { render, screen, within } from '@testing-library/react';

import { Breakdown } from './Breakdown';
import { weightedLead } from './fixtures';

const trained = {
  ...weightedLead().breakdown,
  modelType: 'GRADIENT_BOOSTING',
  modelId: 'gb-7',
  modelVersion: 7,
  rawScore: 0.731,
  baseValue: -0.4,
  logit: 1.0,
  explanationMethod: 'TREE_SHAP',
  terms: [],
  factors: [
    {
      __typename: 'ScoreFactor' as const,
      feature: 'industry',
      value: 'retail',
      contribution: -0.3,
    },
    { __typename: 'ScoreFactor' as const, feature: 'emailOpens', value: '12', contribution: 1.2 },
    { __typename: 'ScoreFactor' as const, feature: 'region', value: null, contribution: 0 },
    { __typename: 'ScoreFactor' as const, feature: 'visits', value: '3', contribution: 0.5 },
  ],
};

describe('Breakdown', () => {
  it('lists a trained model’s factors by direction, signed and labelled', () => {
    render(<Breakdown breakdown={trained} />);
    const up = screen.getByRole('list', { name: 'Top factors raising the score' });
    const items = within(up).getAllByRole('listitem');
    expect(items.map((li) => li.textContent)).toEqual([
      'emailOpens = 12+1.200 (raises)',
      'visits = 3+0.500 (raises)',
    ]);
    const down = screen.getByRole('list', { name: 'Top factors lowering the score' });
    expect(within(down).getByRole('listitem')).toHaveTextContent(
      'industry = retail−0.300 (lowers)',
    );
    expect(screen.getByText('1 factor has no effect.')).toBeVisible();
    expect(screen.getByText('TreeSHAP (exact)')).toBeVisible();
    expect(screen.getByText('73.1%')).toBeVisible();
    expect(screen.getByText('−0.400')).toBeVisible();
  });

  it('shows the weighted sum’s arithmetic', () => {
    render(<Breakdown breakdown={weightedLead().breakdown} />);
    expect(screen.getByText(/0\.4 × 0\.8 \+ 0\.35 × 0\.5 \+ 0\.25 × 1\s+= 0\.745/)).toBeVisible();
    expect(screen.getByText(/2 days since last activity/)).toBeVisible();
    expect(screen.getByText(/0\.745 × 0\.821 × 100 =/)).toHaveTextContent('61.13');
  });
});
