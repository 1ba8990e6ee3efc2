import { graphql } from '../../../gql';

export const ML_MODEL = graphql(`
  query AdminMlModel($id: ID!) {
    mlModel(id: $id) {
      id
      type
      version
      status
      failure
      notes
      params
      seed
      trainedAt
      trainedBy
      trainingJobId
      deployedAt
      deployedBy
      retiredAt
      datasetVersionId
      featureImportance {
        feature
        importance
      }
      split {
        method
        reason
        trainRows
        testRows
        cutoff
      }
      transformation {
        features
        exclude
        numeric {
          fill
          log1p
          missingIndicator
          standardize
        }
        categorical {
          maxLevels
          minFrequency
        }
      }
      metrics {
        auc
        prAuc
        logLoss
        brier
        accuracy
        precision
        recall
        f1
        threshold
        liftTopDecile
        rows
        positives
        negatives
        confusion {
          tp
          fp
          tn
          fn
        }
      }
    }
  }
`);

export const MODEL_PERFORMANCE = graphql(`
  query AdminModelPerformance($id: ID!) {
    modelPerformance(id: $id) {
      modelId
      roc {
        fpr
        tpr
        threshold
      }
      calibration {
        bin
        lower
        upper
        meanPredicted
        observedRate
        count
      }
    }
  }
`);

export const DEPLOY_MODEL = graphql(`
  mutation AdminDeployModel($id: ID!) {
    deployModel(id: $id) {
      previousModelId
      rescoreJobId
      deployed {
        id
        status
        deployedAt
        deployedBy
        retiredAt
      }
    }
  }
`);

export const ROLLBACK_MODEL = graphql(`
  mutation AdminRollbackModel {
    rollbackModel {
      previousModelId
      rescoreJobId
      deployed {
        id
        type
        version
        status
        deployedAt
        deployedBy
        retiredAt
      }
    }
  }
`);
