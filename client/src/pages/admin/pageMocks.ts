/** GraphQL answers for rendering whole admin pages in tests. */
import { DATASET_VERSIONS } from './datasets/operations';
import { defaultLifecycle } from './lifecycle/fixtures';
import {
  MODEL_DECISIONS,
  MODEL_DRIFT,
  MODEL_LIFECYCLE,
  SHADOW_STATUS,
  USABLE_MODELS,
} from './lifecycle/operations';
import { fittingJob } from './models/fixtures';
import {
  ML_MODELS,
  TRAINABLE_VERSIONS,
  TRAINING_JOBS,
  TRAINING_READINESS,
} from './models/operations';

const version = {
  __typename: 'DatasetVersion',
  id: 'v1',
  name: 'June',
  parentId: null,
  rowCount: 800,
  converted: 250,
  lost: 550,
  labelRate: 0.3125,
  createdAt: '2025-06-01T10:00:00Z',
  archivedAt: null,
  contentHash: 'abc',
  usedBy: [],
};

const readiness = {
  __typename: 'TrainingReadiness',
  ready: false,
  converted: 20,
  lost: 70,
  minConverted: 50,
  minLost: 50,
  neededConverted: 30,
  neededLost: 0,
  deployedModelId: 'weighted-sum',
  deployedModelType: 'WEIGHTED_SUM',
  deployedModelVersion: 1,
};

const models = [
  {
    __typename: 'MlModel',
    id: 'm2',
    type: 'NAIVE_BAYES',
    version: 2,
    status: 'READY',
    trainedAt: '2025-06-01T10:00:00Z',
    deployedAt: null,
    retiredAt: null,
    datasetVersionId: 'v1',
    failure: null,
    metrics: { __typename: 'ModelMetrics', auc: 0.7712, prAuc: 0.55, logLoss: 0.52, brier: 0.18 },
  },
  {
    __typename: 'MlModel',
    id: 'weighted-sum',
    type: 'WEIGHTED_SUM',
    version: 1,
    status: 'DEPLOYED',
    trainedAt: null,
    deployedAt: null,
    retiredAt: null,
    datasetVersionId: null,
    failure: null,
    metrics: null,
  },
];

const page = { page: 1, limit: 20, total: 1, totalPages: 1 };

export const datasetsPageMocks = [
  {
    request: { query: DATASET_VERSIONS, variables: { page: 1, limit: 20, includeArchived: false } },
    result: {
      data: { datasetVersions: { __typename: 'DatasetVersionPage', ...page, items: [version] } },
    },
  },
  {
    request: { query: DATASET_VERSIONS, variables: { page: 1, limit: 200, includeArchived: true } },
    result: {
      data: {
        datasetVersions: {
          __typename: 'DatasetVersionPage',
          ...page,
          limit: 200,
          items: [version],
        },
      },
    },
  },
];

export const modelsPageMocks = [
  { request: { query: TRAINING_READINESS }, result: { data: { trainingReadiness: readiness } } },
  {
    request: { query: ML_MODELS, variables: { page: 1, limit: 20 } },
    result: { data: { mlModels: { __typename: 'MlModelPage', ...page, total: 2, items: models } } },
  },
  {
    request: { query: TRAINABLE_VERSIONS },
    result: {
      data: {
        datasetVersions: {
          __typename: 'DatasetVersionPage',
          items: [
            {
              __typename: 'DatasetVersion',
              id: 'v1',
              name: 'June',
              rowCount: 800,
              converted: 250,
              lost: 550,
              createdAt: '2025-06-01T10:00:00Z',
            },
          ],
        },
      },
    },
  },
  {
    request: { query: TRAINING_JOBS, variables: { page: 1, limit: 10 } },
    result: {
      data: {
        trainingJobs: {
          __typename: 'TrainingJobPage',
          page: 1,
          total: 1,
          totalPages: 1,
          items: [
            {
              __typename: 'TrainingJob',
              ...fittingJob,
              status: 'FAILED',
              failure: 'the worker died twice',
            },
          ],
        },
      },
    },
  },
];

export const lifecyclePageMocks = [
  {
    request: { query: USABLE_MODELS },
    result: {
      data: {
        mlModels: {
          __typename: 'MlModelPage',
          items: models.map(({ __typename, id, type, version, status }) => ({
            __typename,
            id,
            type,
            version,
            status,
          })),
        },
      },
    },
  },
  {
    request: { query: MODEL_LIFECYCLE },
    result: {
      data: {
        modelLifecycle: {
          __typename: 'ModelLifecycle',
          ...defaultLifecycle,
          promotion: { __typename: 'PromotionRule', ...defaultLifecycle.promotion },
        },
      },
    },
  },
  {
    request: { query: MODEL_DECISIONS, variables: { page: 1, limit: 20, trigger: null } },
    result: {
      data: {
        modelDecisions: {
          __typename: 'ModelDecisionPage',
          page: 1,
          total: 1,
          totalPages: 1,
          items: [
            {
              __typename: 'ModelDecision',
              id: 'd1',
              trigger: 'MANUAL',
              status: 'DONE',
              stage: 'DONE',
              outcome: 'KEPT',
              createdAt: '2025-06-01T10:00:00Z',
              decidedAt: '2025-06-01T10:05:00Z',
              failure: null,
              reasons: ['challenger AUC 0.70 is below 0.77 − 0.005'],
              championId: 'm2',
              challengerId: 'm3',
              datasetVersionId: 'v1',
              trainingJobId: 'job1',
              testRows: 200,
              converted: 60,
              lost: 140,
              champion: {
                __typename: 'DecisionFigures',
                auc: 0.77,
                prAuc: 0.5,
                logLoss: 0.5,
                brier: 0.18,
              },
              challenger: {
                __typename: 'DecisionFigures',
                auc: 0.7,
                prAuc: 0.45,
                logLoss: 0.55,
                brier: 0.2,
              },
            },
          ],
        },
      },
    },
  },
  {
    request: { query: SHADOW_STATUS },
    result: {
      data: {
        shadowStatus: {
          __typename: 'ShadowStatus',
          modelId: null,
          since: null,
          rescoreJobId: null,
        },
        trainingReadiness: {
          __typename: 'TrainingReadiness',
          deployedModelId: 'weighted-sum',
          deployedModelType: 'WEIGHTED_SUM',
          deployedModelVersion: 1,
        },
      },
    },
  },
  { request: { query: MODEL_DRIFT }, result: { data: { modelDrift: null } } },
];
