import type { AdminLifecycleFragment } from '../../../gql/graphql';

/** The API's default lifecycle settings (gradient boosting, defaults filled), for tests. */
export const defaultLifecycle: AdminLifecycleFragment = {
  retrainingEnabled: false,
  cadenceDays: 7,
  modelType: 'GRADIENT_BOOSTING',
  params: {
    learningRate: 0.1,
    maxIterations: 100,
    maxLeafNodes: 31,
    maxDepth: null,
    minSamplesLeaf: 20,
    l2Regularization: 0,
    maxBins: 255,
    earlyStopping: 'AUTO',
    validationFraction: 0.1,
    nIterNoChange: 10,
    tolerance: 1e-7,
    seed: 42,
  },
  transformation: null,
  driftThreshold: 0.2,
  retrainOnDrift: false,
  minConverted: 50,
  minLost: 50,
  nextRunAt: null,
  custom: false,
  updatedAt: null,
  updatedBy: null,
  promotion: { maxAucDrop: 0.005, maxBrierIncrease: 0.1, maxChampionAgeDays: 90 },
};
