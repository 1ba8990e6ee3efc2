import { graphql } from '../../../gql';

/** Guided model setup on a dataset version: its profile with the leakage screen's flags. */
export const SETUP_FLAG_FIELDS = graphql(`
  fragment AdminSetupFlag on SetupFlag {
    column
    kind
    message
    reason
    evidence {
      singleFeatureAuc
      dropColumnImportance
      quickModelAuc
      aloneShareOfLift
      dropShareOfLift
    }
  }
`);

export const DATASET_PROFILE = graphql(`
  query AdminDatasetProfile($versionId: ID!) {
    datasetProfile(versionId: $versionId) {
      versionId
      status
      queued
      error
      durationMs
      requestedAt
      finishedAt
      flags {
        ...AdminSetupFlag
      }
      profile {
        rows
        positives
        sampleRows
        sampled
        seed
        split {
          method
          trainRows
          testRows
          reason
        }
        quickModel {
          type
          features
          auc
        }
        notes
        columns {
          name
          kind
          role
          roleReason
          missingShare
          distinct
          distinctCapped
          singleFeatureAuc
          aucMethod
          orientation
          dropColumnImportance
        }
      }
    }
  }
`);

export const SETUP_CHOICE_FIELDS = graphql(`
  fragment AdminSetupChoice on SetupChoice {
    field
    value
    reason
  }
`);

export const SETUP_RECOMMENDATION_FIELDS = graphql(`
  fragment AdminSetupRecommendation on SetupRecommendation {
    source
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
    included {
      name
      role
      reason
    }
    excluded {
      name
      role
      reason
    }
    transformationChoices {
      ...AdminSetupChoice
    }
    model {
      type
      params
      reason
      choices {
        ...AdminSetupChoice
      }
    }
    notes
  }
`);

export const RECOMMEND_SETUP = graphql(`
  query AdminRecommendSetup($versionId: ID!) {
    recommendSetup(versionId: $versionId) {
      versionId
      status
      deterministic {
        ...AdminSetupRecommendation
      }
      ai {
        ...AdminSetupRecommendation
      }
      aiModel
      aiUnavailableReason
      applied {
        source
        modelType
        keptFlagged
        appliedAt
      }
    }
  }
`);

export const APPLY_SETUP = graphql(`
  mutation AdminApplySetup($versionId: ID!, $input: ApplySetupInput) {
    applySetup(versionId: $versionId, input: $input) {
      versionId
      source
      modelType
      params
      seed
      keptFlagged
      trainInput
      appliedAt
    }
  }
`);
