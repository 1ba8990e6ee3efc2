import { graphql } from '../../gql';

export const SCORING_CONFIG = graphql(`
  query ScoringPageConfig {
    scoringConfig {
      version
      weights {
        emailOpens
        websiteVisits
        timeSpent
      }
      caps {
        emailOpens
        websiteVisits
        timeSpent
      }
      halfLifeDays
      thresholds {
        hot
        warm
      }
      createdAt
      createdBy
    }
  }
`);

export const UPDATE_SCORING_CONFIG = graphql(`
  mutation ScoringPageUpdateConfig($input: UpdateScoringConfigInput!) {
    updateScoringConfig(input: $input) {
      version
      weights {
        emailOpens
        websiteVisits
        timeSpent
      }
      caps {
        emailOpens
        websiteVisits
        timeSpent
      }
      halfLifeDays
      thresholds {
        hot
        warm
      }
      createdAt
      createdBy
    }
  }
`);

/** Who saved the current version (managers and admins may read the tenant's users). */
export const CONFIG_AUTHOR = graphql(`
  query ScoringPageConfigAuthor($userId: ID!) {
    user(userId: $userId) {
      id
      name
      email
    }
  }
`);

/** The newest rescoring jobs: the one a save started is among them. */
export const RECENT_SCORING_JOBS = graphql(`
  query ScoringPageRecentJobs($limit: Int!) {
    scoringJobs(limit: $limit) {
      id
      reason
      status
      processed
      total
      changed
      error
      createdAt
      finishedAt
    }
  }
`);

export const SCORING_JOB = graphql(`
  query ScoringPageJob($jobId: ID!) {
    scoringJob(jobId: $jobId) {
      id
      reason
      status
      processed
      total
      changed
      error
      createdAt
      finishedAt
    }
  }
`);

export const BATCH_SCORING_PROGRESS = graphql(`
  subscription ScoringPageJobProgress($jobId: ID!) {
    batchScoringProgress(jobId: $jobId) {
      jobId
      status
      processed
      total
      changed
    }
  }
`);

/** How scores would spread under proposed values (nothing saved), next to the saved config's. */
export const SCORING_CONFIG_PREVIEW = graphql(`
  query ScoringPagePreview($input: UpdateScoringConfigInput!) {
    scoringConfigPreview(input: $input) {
      leads
      sampled
      changed
      current {
        buckets {
          from
          to
          count
        }
        tiers {
          hot
          warm
          cold
        }
        mean
        median
      }
      proposed {
        buckets {
          from
          to
          count
        }
        tiers {
          hot
          warm
          cold
        }
        mean
        median
      }
      tierMoves {
        from
        to
        count
      }
    }
  }
`);
