import { graphql } from '../../gql';

/** What a row of the table shows (the breakdown is loaded on demand, see LEAD_BREAKDOWN). */
export const LEAD_ROW = graphql(`
  fragment LeadsTableRow on Lead {
    id
    leadId
    name
    email
    ownerId
    status
    score
    tier
    engagement {
      emailOpens
      websiteVisits
      timeSpentSeconds
      lastActivityAt
    }
  }
`);

export const LEAD_BREAKDOWN_FIELDS = graphql(`
  fragment LeadsTableBreakdownFields on Lead {
    id
    score
    tier
    breakdown {
      modelType
      modelId
      modelVersion
      rawScore
      decayFactor
      daysSinceLastActivity
      explanationMethod
      baseValue
      logit
      computedAt
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
    }
  }
`);

export const LEADS = graphql(`
  query LeadsTable(
    $filter: LeadFilterInput
    $sort: LeadSortField!
    $order: SortOrder!
    $page: Int!
    $limit: Int!
  ) {
    leads(filter: $filter, sort: $sort, order: $order, page: $page, limit: $limit) {
      page
      limit
      total
      totalPages
      items {
        ...LeadsTableRow
      }
    }
  }
`);

/** One lead's fresh counters and breakdown, fetched in the background after a live change. */
export const LEAD_FRESH = graphql(`
  query LeadsTableLeadFresh($id: ID!) {
    lead(id: $id) {
      ...LeadsTableRow
      ...LeadsTableBreakdownFields
    }
  }
`);

/** The breakdown of one row, when its "Why this score?" is opened. */
export const LEAD_BREAKDOWN = graphql(`
  query LeadsTableRowBreakdown($id: ID!) {
    lead(id: $id) {
      ...LeadsTableBreakdownFields
    }
  }
`);

/** Managers and admins only: reps may not list users. */
export const USERS = graphql(`
  query LeadsTableUsers {
    users {
      id
      name
      isActive
    }
  }
`);

export const LEAD_SCORE_CHANGED = graphql(`
  subscription LeadsTableScoreChanged($minScore: Float, $ownerId: ID) {
    leadScoreChanged(minScore: $minScore, ownerId: $ownerId) {
      id
      leadId
      ownerId
      score
      previousScore
      tier
      reason
      at
    }
  }
`);
