import type { AdminTrainingJobFragment } from '../../../gql/graphql';

/** A training job halfway through fitting, for tests. */
export const fittingJob: AdminTrainingJobFragment = {
  id: 'job1',
  status: 'ACTIVE',
  stage: 'FITTING',
  progress: 0.42,
  iteration: 42,
  maxIterations: 100,
  modelType: 'GRADIENT_BOOSTING',
  modelId: null,
  datasetVersionId: 'v1',
  failure: null,
  cancelRequested: false,
  auc: null,
  attempts: 1,
  seed: 42,
  createdAt: '2025-06-01T10:00:00Z',
  startedAt: '2025-06-01T10:00:01Z',
  finishedAt: null,
};
