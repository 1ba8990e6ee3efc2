/** suggestScoringWeights answers in its three statuses, for tests. */

const weights = (emailOpens: number, websiteVisits: number, timeSpent: number) => ({
  __typename: 'FeatureValues',
  emailOpens,
  websiteVisits,
  timeSpent,
});

const tier = (outcomes: number, converted: number) => ({
  __typename: 'OutcomeClassCounts',
  outcomes,
  converted,
});

const choice = (
  w: ReturnType<typeof weights>,
  halfLifeDays: number,
  heldOutAuc: number,
  mean: number,
  [p10, p50, p90]: [number, number, number],
  tiers: [[number, number], [number, number], [number, number]],
) => ({
  __typename: 'WeightChoice',
  weights: w,
  halfLifeDays,
  heldOutAuc,
  distribution: {
    __typename: 'OutcomeScoreDistribution',
    outcomes: 400,
    mean,
    p10,
    p50,
    p90,
    tiers: {
      __typename: 'OutcomeTiers',
      hot: tier(...tiers[0]),
      warm: tier(...tiers[1]),
      cold: tier(...tiers[2]),
    },
  },
});

const counts = (outcomes: number, converted: number) => ({
  __typename: 'OutcomeCounts',
  outcomes,
  converted,
  lost: outcomes - converted,
});

const base = {
  __typename: 'ScoringWeightSuggestion',
  basedOnVersion: 3,
  capped: false,
  maxOutcomes: 20000,
  minimum: { __typename: 'OutcomeMinimum', outcomes: 50, perClass: 10 },
};

const current = choice(
  weights(0.4, 0.35, 0.25),
  7,
  0.612,
  38.2,
  [8, 35, 71.5],
  [
    [60, 30],
    [140, 50],
    [200, 40],
  ],
);

const split = {
  __typename: 'WeightFitSplit',
  method: 'TIME',
  reason: 'the latest 25% of outcomes held out',
  train: { __typename: 'OutcomeClassCounts', outcomes: 300, converted: 90 },
  heldOut: { __typename: 'OutcomeClassCounts', outcomes: 100, converted: 30 },
};

export const SUGGESTED = {
  ...base,
  status: 'SUGGESTED',
  message: 'Suggested weights rank the held-out outcomes better: AUC 0.741 against 0.612.',
  counts: counts(400, 120),
  patch: {
    __typename: 'ScoringConfigPatch',
    weights: weights(0.15, 0.6, 0.25),
    halfLifeDays: 14,
  },
  current,
  suggested: choice(
    weights(0.15, 0.6, 0.25),
    14,
    0.741,
    44.6,
    [10, 42, 80],
    [
      [90, 60],
      [150, 40],
      [160, 20],
    ],
  ),
  split,
  needed: null,
};

export const NO_SIGNAL = {
  ...base,
  status: 'NO_SIGNAL',
  message: 'No engagement component rises with converting: keep the current weights.',
  counts: counts(400, 120),
  patch: null,
  current,
  suggested: null,
  split,
  needed: null,
};

export const NOT_ENOUGH_DATA = {
  ...base,
  status: 'NOT_ENOUGH_DATA',
  message: '32 outcomes (5 converted): a fit needs 50, at least 10 of each.',
  counts: counts(32, 5),
  patch: null,
  current: null,
  suggested: null,
  split: null,
  needed: counts(18, 5),
};
