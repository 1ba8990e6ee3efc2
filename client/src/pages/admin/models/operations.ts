import { graphql } from '../../../gql';

export const TRAINING_READINESS = graphql(`
  query AdminTrainingReadiness {
    trainingReadiness {
      ready
      converted
      lost
      minConverted
      minLost
      neededConverted
      neededLost
      deployedModelId
      deployedModelType
      deployedModelVersion
    }
  }
`);

export const ML_MODELS = graphql(`
  query AdminMlModels($page: Int!, $limit: Int!) {
    mlModels(page: $page, limit: $limit) {
      page
      limit
      total
      totalPages
      items {
        id
        type
        version
        status
        trainedAt
        deployedAt
        retiredAt
        datasetVersionId
        failure
        metrics {
          auc
          prAuc
          logLoss
          brier
        }
      }
    }
  }
`);

export const TRAINING_JOB_FIELDS = graphql(`
  fragment AdminTrainingJob on TrainingJob {
    id
    status
    stage
    progress
    iteration
    maxIterations
    modelType
    modelId
    datasetVersionId
    failure
    cancelRequested
    auc
    attempts
    seed
    createdAt
    startedAt
    finishedAt
  }
`);

export const TRAIN_MODEL = graphql(`
  mutation AdminTrainModel($input: TrainModelInput!) {
    trainModel(input: $input) {
      ...AdminTrainingJob
    }
  }
`);

export const TRAINING_JOB = graphql(`
  query AdminTrainingJob($id: ID!) {
    trainingJob(id: $id) {
      ...AdminTrainingJob
    }
  }
`);

export const TRAINING_JOB_UPDATED = graphql(`
  subscription AdminTrainingJobUpdated($jobId: ID!) {
    trainingJobUpdated(jobId: $jobId) {
      ...AdminTrainingJob
    }
  }
`);

export const CANCEL_TRAINING_JOB = graphql(`
  mutation AdminCancelTrainingJob($id: ID!) {
    cancelTrainingJob(id: $id) {
      ...AdminTrainingJob
    }
  }
`);

export const TRAINING_JOBS = graphql(`
  query AdminTrainingJobs($page: Int!, $limit: Int!) {
    trainingJobs(page: $page, limit: $limit) {
      page
      total
      totalPages
      items {
        ...AdminTrainingJob
      }
    }
  }
`);

/** Versions a model can train on (archived ones are hidden from the picker). */
export const TRAINABLE_VERSIONS = graphql(`
  query AdminTrainableVersions {
    datasetVersions(page: 1, limit: 200, includeArchived: false) {
      items {
        id
        name
        rowCount
        converted
        lost
        createdAt
      }
    }
  }
`);
