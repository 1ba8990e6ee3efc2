import type { MlModelStatus } from '../../../gql/graphql';
import type { Tone } from '../components/Badge';

const TYPE_LABEL: Record<string, string> = {
  LOGISTIC_REGRESSION: 'Logistic regression',
  GRADIENT_BOOSTING: 'Gradient boosting',
  NAIVE_BAYES: 'Naive Bayes',
  WEIGHTED_SUM: 'Weighted sum',
};

/** "GRADIENT_BOOSTING" → "Gradient boosting"; an unknown type is shown as the API names it. */
export function modelTypeLabel(type: string): string {
  return TYPE_LABEL[type] ?? type;
}

/** "Gradient boosting v3": how a model is named everywhere on these pages. */
export function modelName(model: { type: string; version: number }): string {
  return `${modelTypeLabel(model.type)} v${model.version}`;
}

export const MODEL_STATUS_LABEL: Record<MlModelStatus, string> = {
  TRAINING: 'Training',
  READY: 'Ready',
  FAILED: 'Failed',
  DEPLOYED: 'Deployed',
  RETIRED: 'Retired',
};

export const MODEL_STATUS_TONE: Record<MlModelStatus, Tone> = {
  TRAINING: 'info',
  READY: 'neutral',
  FAILED: 'bad',
  DEPLOYED: 'good',
  RETIRED: 'neutral',
};

/** A metric to 3 decimals, or a dash when the API has none (e.g. AUC with one class). */
export function formatMetric(value: number | null | undefined, digits = 3): string {
  return value === null || value === undefined || Number.isNaN(value) ? '—' : value.toFixed(digits);
}
