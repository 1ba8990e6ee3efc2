import type { ScoringConfigPreview, Tier } from './preview';

export const CONFIG = {
  __typename: 'ScoringConfig',
  version: 3,
  weights: { __typename: 'FeatureValues', emailOpens: 0.4, websiteVisits: 0.35, timeSpent: 0.25 },
  caps: { __typename: 'FeatureValues', emailOpens: 10, websiteVisits: 20, timeSpent: 600 },
  halfLifeDays: 7,
  thresholds: { __typename: 'TierThresholdsModel', hot: 70, warm: 40 },
  createdAt: '2026-12-02T09:00:00.000Z',
  createdBy: '64b0000000000000000000aa',
};

export const AUTHOR = {
  __typename: 'User',
  id: '64b0000000000000000000aa',
  name: 'Mia Manager',
  email: 'mia@example.com',
};

const dist = (counts: number[], tiers: [number, number, number], mean: number, median: number) => ({
  __typename: 'ScoreDistribution',
  buckets: counts.map((count, i) => ({
    __typename: 'ScoreBucket',
    from: i * 10,
    to: i * 10 + 10,
    count,
  })),
  tiers: { __typename: 'TierCounts', hot: tiers[0], warm: tiers[1], cold: tiers[2] },
  mean,
  median,
});

const move = (from: Tier, to: Tier, count: number) => ({ __typename: 'TierMove', from, to, count });

export const PREVIEW: ScoringConfigPreview & { __typename: string } = {
  __typename: 'ScoringConfigPreview',
  leads: 200,
  sampled: true,
  changed: 57,
  current: dist([40, 30, 20, 20, 20, 20, 15, 15, 10, 10], [35, 55, 110], 38.2, 35),
  proposed: dist([30, 25, 20, 20, 20, 20, 20, 20, 13, 12], [47, 60, 93], 43.6, 41.5),
  tierMoves: [move('WARM', 'HOT', 12), move('COLD', 'WARM', 17)],
};
