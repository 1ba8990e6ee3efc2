import { graphql } from '../../../gql';

export const MODEL_LIFECYCLE = graphql(`
  query AdminModelLifecycle {
    modelLifecycle {
      ...AdminLifecycle
    }
  }
`);

export const LIFECYCLE_FIELDS = graphql(`
  fragment AdminLifecycle on ModelLifecycle {
    retrainingEnabled
    cadenceDays
    modelType
    params
    transformation
    driftThreshold
    retrainOnDrift
    minConverted
    minLost
    nextRunAt
    custom
    updatedAt
    updatedBy
    promotion {
      maxAucDrop
      maxBrierIncrease
      maxChampionAgeDays
    }
  }
`);

export const UPDATE_MODEL_LIFECYCLE = graphql(`
  mutation AdminUpdateModelLifecycle($input: UpdateModelLifecycleInput!) {
    updateModelLifecycle(input: $input) {
      ...AdminLifecycle
    }
  }
`);

export const DECISION_FIELDS = graphql(`
  fragment AdminDecision on ModelDecision {
    id
    trigger
    status
    stage
    outcome
    createdAt
    decidedAt
    failure
    reasons
    championId
    challengerId
    datasetVersionId
    trainingJobId
    testRows
    converted
    lost
    champion {
      auc
      prAuc
      logLoss
      brier
    }
    challenger {
      auc
      prAuc
      logLoss
      brier
    }
  }
`);

export const MODEL_DECISIONS = graphql(`
  query AdminModelDecisions($page: Int!, $limit: Int!, $trigger: RetrainingTrigger) {
    modelDecisions(page: $page, limit: $limit, trigger: $trigger) {
      page
      total
      totalPages
      items {
        ...AdminDecision
      }
    }
  }
`);

export const RUN_RETRAINING = graphql(`
  mutation AdminRunRetraining {
    runRetraining {
      ...AdminDecision
    }
  }
`);

export const AB_TEST_FIELDS = graphql(`
  fragment AdminAbTest on AbTest {
    id
    status
    modelA
    modelB
    shareA
    startedAt
    stoppedAt
    winner
    rescoreJobId
    significance {
      difference
      z
      pValue
    }
    arms {
      arm
      modelId
      leads
      outcomes
      converted
      conversionRate
    }
  }
`);

export const AB_TEST = graphql(`
  query AdminAbTest($id: ID!) {
    abTest(id: $id) {
      ...AdminAbTest
    }
  }
`);

export const START_AB_TEST = graphql(`
  mutation AdminStartAbTest($input: StartAbTestInput!) {
    startAbTest(input: $input) {
      ...AdminAbTest
    }
  }
`);

export const STOP_AB_TEST = graphql(`
  mutation AdminStopAbTest($id: ID!, $winner: String) {
    stopAbTest(id: $id, winner: $winner) {
      ...AdminAbTest
    }
  }
`);

export const SHADOW_STATUS = graphql(`
  query AdminShadowStatus {
    shadowStatus {
      modelId
      since
      rescoreJobId
    }
    trainingReadiness {
      deployedModelId
      deployedModelType
      deployedModelVersion
    }
  }
`);

export const SHADOW_MODEL = graphql(`
  mutation AdminShadowModel($id: ID!) {
    shadowModel(id: $id) {
      modelId
      since
      rescoreJobId
    }
  }
`);

export const STOP_SHADOW_MODEL = graphql(`
  mutation AdminStopShadowModel {
    stopShadowModel {
      modelId
      since
      rescoreJobId
    }
  }
`);

export const MODEL_COMPARISON = graphql(`
  query AdminModelComparison($championId: ID!, $challengerId: ID!) {
    modelComparison(championId: $championId, challengerId: $challengerId) {
      outcomes
      converted
      champion {
        ...AdminLiveFigures
      }
      challenger {
        ...AdminLiveFigures
      }
    }
  }
`);

export const LIVE_FIGURES_FIELDS = graphql(`
  fragment AdminLiveFigures on LiveModelFigures {
    modelId
    auc
    byTier {
      tier
      outcomes
      converted
      conversionRate
    }
  }
`);

export const DRIFT_REPORT_FIELDS = graphql(`
  fragment AdminDriftReport on ModelDriftReport {
    id
    modelId
    modelType
    modelVersion
    computedAt
    trigger
    threshold
    flagged
    flaggedFeatures
    maxFeaturePsi
    baselineRows
    currentRows
    versionRows
    openLeads
    deployed
    datasetVersionId
    notes
    score {
      psi
      flagged
    }
    features {
      name
      kind
      psi
      flagged
    }
    retraining {
      action
      decisionId
      reason
    }
  }
`);

export const MODEL_DRIFT = graphql(`
  query AdminModelDrift {
    modelDrift {
      ...AdminDriftReport
    }
  }
`);

export const CHECK_MODEL_DRIFT = graphql(`
  mutation AdminCheckModelDrift {
    checkModelDrift {
      ...AdminDriftReport
    }
  }
`);

/** Models an A/B test or shadow can use (the weighted sum is listed as version 1). */
export const USABLE_MODELS = graphql(`
  query AdminUsableModels {
    mlModels(page: 1, limit: 200) {
      items {
        id
        type
        version
        status
      }
    }
  }
`);
