import { graphql } from '../../gql';

/** Everything the lead page shows about the lead itself (header, breakdown, engagement). */
export const LEAD = graphql(`
  query LeadPageLead($id: ID!, $refresh: Boolean! = false) {
    lead(id: $id, refresh: $refresh) {
      id
      leadId
      name
      email
      status
      ownerId
      score
      tier
      isStale
      engagement {
        emailOpens
        websiteVisits
        timeSpentSeconds
        lastActivityAt
      }
      breakdown {
        modelType
        modelId
        modelVersion
        configVersion
        computedAt
        rawScore
        decayFactor
        daysSinceLastActivity
        terms {
          feature
          value
          cap
          normalized
          weight
          contribution
        }
        factors {
          feature
          value
          contribution
        }
        baseValue
        logit
        explanationMethod
      }
    }
  }
`);

export const LEAD_SCORE_HISTORY = graphql(`
  query LeadPageScoreHistory($id: ID!, $limit: Int!) {
    leadScoreHistory(id: $id, limit: $limit) {
      at
      score
      previousScore
      reason
      configVersion
      modelVersion
    }
  }
`);

/** Live score changes; the page keeps only its own lead's. */
export const LEAD_SCORE_CHANGED = graphql(`
  subscription LeadPageScoreChanged {
    leadScoreChanged {
      id
      leadId
      score
      tier
      at
    }
  }
`);

/** The signed-in user's current rating of the lead (one per user and lead). */
export const MY_FEEDBACK = graphql(`
  query LeadPageMyFeedback($leadId: String!, $userId: ID!) {
    feedback(filter: { leadId: $leadId, userId: $userId }, limit: 1) {
      items {
        id
        rating
        comment
        submittedAt
      }
    }
  }
`);

export const SUBMIT_FEEDBACK = graphql(`
  mutation LeadPageSubmitFeedback($input: SubmitFeedbackInput!) {
    submitFeedback(input: $input) {
      id
      rating
      comment
      submittedAt
    }
  }
`);

/** The lead's current outcome, if it is closed (history left out). */
export const CURRENT_OUTCOME = graphql(`
  query LeadPageCurrentOutcome($leadId: String!) {
    outcomes(filter: { leadId: $leadId }, limit: 1) {
      items {
        id
        outcome
        reason
        at
        recordedAt
        recordedBy
        current
      }
    }
  }
`);

export const RECORD_OUTCOME = graphql(`
  mutation LeadPageRecordOutcome($input: RecordOutcomeInput!) {
    recordOutcome(input: $input) {
      id
      outcome
      reason
      at
      recordedAt
      recordedBy
      current
    }
  }
`);

export const REOPEN_LEAD = graphql(`
  mutation LeadPageReopenLead($leadId: String!) {
    reopenLead(leadId: $leadId) {
      leadId
      status
      cleared {
        id
        outcome
        current
      }
    }
  }
`);

/** Everything the AI insight section shows of a lead's insight. */
export const LEAD_INSIGHT_FIELDS = graphql(`
  fragment LeadPageInsight on LeadInsight {
    leadId
    status
    current
    insight {
      summary
      nextBestAction
      talkingPoints
      risks
      fitEstimate
    }
    source
    fallbackReason
    model
    usage {
      promptTokens
      completionTokens
      totalTokens
    }
    latencyMs
    score
    generatedAt
    requestedAt
    failure
  }
`);

/** The lead's latest insight and its status (null before the first request). */
export const LEAD_INSIGHT = graphql(`
  query LeadPageInsight($leadId: String!) {
    leadInsight(leadId: $leadId) {
      ...LeadPageInsight
    }
  }
`);

/** Asks for the insight: READY at once when the stored one is current (no call), else QUEUED. */
export const REQUEST_INSIGHT = graphql(`
  mutation LeadPageRequestInsight($leadId: String!) {
    requestInsight(leadId: $leadId) {
      ...LeadPageInsight
    }
  }
`);

/** The lead's insight was written (or could not be). */
export const INSIGHT_READY = graphql(`
  subscription LeadPageInsightReady($leadId: String) {
    insightReady(leadId: $leadId) {
      ...LeadPageInsight
    }
  }
`);
