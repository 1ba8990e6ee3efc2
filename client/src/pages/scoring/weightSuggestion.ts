/** The weight suggestion's patch in the editor, and how its figures read. */
import type { ScoringPageSuggestWeightsQuery } from '../../gql/graphql';
import { FEATURES, type ConfigFormValues } from './formValues';

export type WeightSuggestion = ScoringPageSuggestWeightsQuery['suggestScoringWeights'];
export type WeightPatch = NonNullable<WeightSuggestion['patch']>;

/**
 * The form with the suggestion's weights and, when it was fitted, its half-life; caps and
 * thresholds stay as they are. Saving is still the editor's (a new version, leads rescored).
 */
export function applyWeightPatch(values: ConfigFormValues, patch: WeightPatch): ConfigFormValues {
  const weights = { ...values.weights };
  for (const feature of FEATURES) weights[feature] = String(patch.weights[feature]);
  return {
    ...values,
    weights,
    halfLifeDays: patch.halfLifeDays === null ? values.halfLifeDays : String(patch.halfLifeDays),
  };
}

export function formatWeight(value: number): string {
  return value.toFixed(3);
}

export function formatAuc(value: number): string {
  return value.toFixed(3);
}

const days = new Intl.NumberFormat('en-US', { maximumFractionDigits: 1 });

export function formatDays(value: number): string {
  return `${days.format(value)} ${value === 1 ? 'day' : 'days'}`;
}

const score = new Intl.NumberFormat('en-US', { maximumFractionDigits: 1 });

export function formatOutcomeScore(value: number): string {
  return score.format(value);
}

/** "12 of 30 converted (40%)"; a dash for an empty tier's rate. */
export function formatTier(tier: { outcomes: number; converted: number }): string {
  const rate = tier.outcomes > 0 ? ` (${Math.round((tier.converted / tier.outcomes) * 100)}%)` : '';
  return `${tier.converted} of ${tier.outcomes} converted${rate}`;
}
