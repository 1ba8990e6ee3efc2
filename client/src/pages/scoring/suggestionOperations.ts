import { graphql } from '../../gql';

export const WEIGHT_CHOICE_FIELDS = graphql(`
  fragment ScoringPageWeightChoice on WeightChoice {
    weights {
      emailOpens
      websiteVisits
      timeSpent
    }
    halfLifeDays
    heldOutAuc
    distribution {
      outcomes
      mean
      p10
      p50
      p90
      tiers {
        hot {
          outcomes
          converted
        }
        warm {
          outcomes
          converted
        }
        cold {
          outcomes
          converted
        }
      }
    }
  }
`);

/** Weights (and half-life) of the weighted sum fitted to the tenant's outcomes; nothing saved. */
export const SUGGEST_SCORING_WEIGHTS = graphql(`
  query ScoringPageSuggestWeights($input: SuggestScoringWeightsInput) {
    suggestScoringWeights(input: $input) {
      status
      message
      basedOnVersion
      counts {
        outcomes
        converted
        lost
      }
      capped
      maxOutcomes
      patch {
        weights {
          emailOpens
          websiteVisits
          timeSpent
        }
        halfLifeDays
      }
      current {
        ...ScoringPageWeightChoice
      }
      suggested {
        ...ScoringPageWeightChoice
      }
      split {
        method
        reason
        train {
          outcomes
          converted
        }
        heldOut {
          outcomes
          converted
        }
      }
      needed {
        outcomes
        converted
        lost
      }
      minimum {
        outcomes
        perClass
      }
    }
  }
`);
