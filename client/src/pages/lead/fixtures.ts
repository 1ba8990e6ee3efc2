import type { LeadPageLeadQuery, LeadPageScoreHistoryQuery } from '../../gql/graphql';

export const LEAD_ID = '650000000000000000000001';

export function weightedLead(
  overrides: Partial<LeadPageLeadQuery['lead']> = {},
): LeadPageLeadQuery['lead'] & { __typename: 'Lead' } {
  return {
    __typename: 'Lead',
    id: LEAD_ID,
    leadId: 'crm-42',
    name: 'Ada Lovelace',
    email: 'ada@example.com',
    status: 'WORKING',
    ownerId: '64b000000000000000000001',
    score: 61.13,
    tier: 'WARM',
    isStale: false,
    engagement: {
      __typename: 'EngagementModel',
      emailOpens: 8,
      websiteVisits: 10,
      timeSpentSeconds: 900,
      lastActivityAt: '2026-12-01T10:00:00.000Z',
    },
    breakdown: {
      __typename: 'ScoreBreakdownModel',
      modelType: 'WEIGHTED_SUM',
      modelId: 'weighted-sum',
      modelVersion: 1,
      configVersion: 3,
      computedAt: '2026-12-03T09:00:00.000Z',
      rawScore: 0.745,
      decayFactor: 0.8205,
      daysSinceLastActivity: 2,
      baseValue: null,
      logit: null,
      explanationMethod: null,
      factors: [],
      terms: [
        {
          __typename: 'ScoreTermModel',
          feature: 'emailOpens',
          value: 8,
          cap: 10,
          normalized: 0.8,
          weight: 0.4,
          contribution: 26.26,
        },
        {
          __typename: 'ScoreTermModel',
          feature: 'websiteVisits',
          value: 10,
          cap: 20,
          normalized: 0.5,
          weight: 0.35,
          contribution: 14.36,
        },
        {
          __typename: 'ScoreTermModel',
          feature: 'timeSpent',
          value: 900,
          cap: 600,
          normalized: 1,
          weight: 0.25,
          contribution: 20.51,
        },
      ],
    },
    ...overrides,
  } as LeadPageLeadQuery['lead'] & { __typename: 'Lead' };
}

export const HISTORY: (LeadPageScoreHistoryQuery['leadScoreHistory'][number] & {
  __typename: 'ScoreHistoryEntry';
})[] = [
  {
    __typename: 'ScoreHistoryEntry',
    at: '2026-12-02T10:00:00.000Z',
    score: 61.13,
    previousScore: 40,
    reason: 'CONFIG_CHANGED',
    configVersion: 3,
    modelVersion: 1,
  },
  {
    __typename: 'ScoreHistoryEntry',
    at: '2026-12-01T10:00:00.000Z',
    score: 40,
    previousScore: null,
    reason: 'INTERACTION',
    configVersion: 2,
    modelVersion: 1,
  },
];
