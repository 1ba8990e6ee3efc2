/** GraphQL answers for the guided setup's tests: a small bank-like version with a planted leak. */

const LEAK_MESSAGE = 'possible leakage — recorded after the outcome?';

export const leakFlag = {
  __typename: 'SetupFlag',
  column: 'duration',
  kind: 'POSSIBLE_LEAKAGE',
  message: LEAK_MESSAGE,
  reason:
    'its AUC alone is 0.912 (≥ 0.85); it carries 95% of the quick model’s lift: a value filled in after the outcome looks like this',
  evidence: {
    __typename: 'LeakageEvidence',
    singleFeatureAuc: 0.912,
    dropColumnImportance: 0.081,
    quickModelAuc: 0.93,
    aloneShareOfLift: 0.953,
    dropShareOfLift: 0.188,
  },
} as const;

export const removalFlag = {
  __typename: 'SetupFlag',
  column: 'customer_id',
  kind: 'PROPOSE_REMOVAL',
  message: 'identifier: propose removal',
  reason: 'unique per row (800 of 800): nothing in it generalizes to a new lead',
  evidence: null,
} as const;

const column = (over: Record<string, unknown>) => ({
  __typename: 'ColumnProfile',
  kind: 'FEATURE',
  roleReason: 'numbers',
  missingShare: 0,
  distinct: 10,
  distinctCapped: false,
  singleFeatureAuc: null,
  aucMethod: null,
  orientation: null,
  dropColumnImportance: null,
  ...over,
});

export const profileColumns = [
  column({ name: 'y', kind: 'LABEL', role: 'LABEL', roleReason: 'the outcome', distinct: 2 }),
  column({
    name: 'age',
    role: 'NUMERIC',
    roleReason: '77 distinct numbers',
    distinct: 77,
    singleFeatureAuc: 0.561,
    aucMethod: 'RANK',
    orientation: 'HIGHER_IS_POSITIVE',
    dropColumnImportance: 0.004,
  }),
  column({
    name: 'customer_id',
    role: 'IDENTIFIER',
    roleReason: 'unique per row',
    distinct: 800,
    distinctCapped: true,
  }),
  column({
    name: 'duration',
    role: 'NUMERIC',
    roleReason: '700 distinct numbers',
    distinct: 700,
    singleFeatureAuc: 0.912,
    aucMethod: 'RANK',
    orientation: 'HIGHER_IS_POSITIVE',
    dropColumnImportance: 0.081,
  }),
  column({
    name: 'job',
    role: 'CATEGORICAL',
    roleReason: '12 levels',
    missingShare: 0.025,
    distinct: 12,
    singleFeatureAuc: 0.602,
    aucMethod: 'LEVEL_RATE',
    dropColumnImportance: 0.012,
  }),
];

export function profileResult(status: 'PENDING' | 'RUNNING' | 'READY' | 'FAILED') {
  const ready = status === 'READY';
  return {
    __typename: 'DatasetProfileResult',
    versionId: 'v1',
    status,
    queued: true,
    error: status === 'FAILED' ? 'the worker ran out of memory' : null,
    durationMs: ready ? 1530 : null,
    requestedAt: '2025-06-01T10:00:00Z',
    finishedAt: ready ? '2025-06-01T10:00:02Z' : null,
    flags: ready ? [removalFlag, leakFlag] : [],
    profile: ready
      ? {
          __typename: 'DatasetProfile',
          rows: 800,
          positives: 250,
          sampleRows: 800,
          sampled: false,
          seed: 42,
          split: {
            __typename: 'ProfileSplit',
            method: 'STRATIFIED',
            trainRows: 600,
            testRows: 200,
            reason: 'no time column',
          },
          quickModel: {
            __typename: 'QuickModel',
            type: 'LOGISTIC_REGRESSION',
            features: ['age', 'duration', 'job'],
            auc: 0.93,
          },
          notes: [],
          columns: profileColumns,
        }
      : null,
  };
}

const decision = (name: string, role: string, reason: string) => ({
  __typename: 'FeatureDecision',
  name,
  role,
  reason,
});

const transformation = (features: string[], exclude: string[]) => ({
  __typename: 'Transformation',
  features,
  exclude,
  numeric: {
    __typename: 'NumericTransformation',
    fill: 'MEDIAN',
    log1p: [],
    missingIndicator: true,
    standardize: true,
  },
  categorical: { __typename: 'CategoricalTransformation', maxLevels: 50, minFrequency: 5 },
});

const choice = (field: string, value: string, reason: string) => ({
  __typename: 'SetupChoice',
  field,
  value,
  reason,
});

export const deterministicRecommendation = {
  __typename: 'SetupRecommendation',
  source: 'DETERMINISTIC',
  transformation: transformation(['age', 'job'], ['customer_id', 'duration']),
  included: [
    decision('age', 'NUMERIC', 'numeric, 0% missing'),
    decision('job', 'CATEGORICAL', 'categorical, 12 levels'),
  ],
  excluded: [
    decision('customer_id', 'IDENTIFIER', 'identifier: propose removal'),
    decision('duration', 'NUMERIC', `${LEAK_MESSAGE} its AUC alone is 0.912`),
  ],
  transformationChoices: [
    choice('numeric.log1p', '[]', 'no numeric feature has a long tail'),
    choice('numeric.fill', '"MEDIAN"', 'the median: a long tail does not pull it'),
  ],
  model: {
    __typename: 'ModelProposal',
    type: 'GRADIENT_BOOSTING',
    params: { learningRate: 0.1, maxDepth: 3 },
    reason: '800 rows with categorical columns: trees handle the interactions',
    choices: [choice('earlyStopping', '"AUTO"', 'enough rows to hold some out')],
  },
  notes: [],
};

export const aiRecommendation = {
  ...deterministicRecommendation,
  source: 'AI',
  transformation: transformation(['age'], ['customer_id', 'duration', 'job']),
  included: [decision('age', 'NUMERIC', 'age is known before the call')],
  excluded: [
    decision('customer_id', 'IDENTIFIER', 'an identifier'),
    decision('duration', 'NUMERIC', 'the call’s length is only known after it'),
    decision('job', 'CATEGORICAL', 'a "job" entered by sales after the call'),
  ],
  model: {
    __typename: 'ModelProposal',
    type: 'LOGISTIC_REGRESSION',
    params: { l2: 1 },
    reason: 'one numeric column: a linear model is enough',
    choices: [],
  },
};

export function recommendations(withAi: boolean) {
  return {
    __typename: 'SetupRecommendations',
    versionId: 'v1',
    status: 'READY',
    deterministic: deterministicRecommendation,
    ai: withAi ? aiRecommendation : null,
    aiModel: withAi ? 'gpt-4o-mini' : null,
    aiUnavailableReason: withAi ? null : 'OPENAI_API_KEY is not set',
    applied: null,
  };
}

export const trainInput = {
  datasetVersionId: 'v1',
  modelType: 'GRADIENT_BOOSTING',
  seed: 42,
  params: { learningRate: 0.1, maxDepth: 3 },
  transformation: { features: ['age', 'duration'], exclude: ['customer_id', 'job'] },
};

export const appliedSetup = {
  __typename: 'AppliedSetup',
  versionId: 'v1',
  source: 'DETERMINISTIC',
  modelType: 'GRADIENT_BOOSTING',
  params: { learningRate: 0.1, maxDepth: 3 },
  seed: 42,
  keptFlagged: ['duration'],
  trainInput,
  appliedAt: '2025-06-01T10:05:00Z',
};
