/** Pure helpers of the score breakdown: labels, the weighted sum's arithmetic, factor lists. */

export interface Term {
  feature: string;
  value: number;
  cap: number;
  normalized: number;
  weight: number;
  contribution: number;
}

export interface Factor {
  feature: string;
  value?: string | null;
  contribution: number;
}

const FEATURE_LABELS: Record<string, string> = {
  emailOpens: 'Email opens',
  websiteVisits: 'Website visits',
  timeSpent: 'Time spent',
};

export function featureLabel(feature: string): string {
  return FEATURE_LABELS[feature] ?? feature;
}

const upTo2 = new Intl.NumberFormat('en-US', { maximumFractionDigits: 2 });
const upTo3 = new Intl.NumberFormat('en-US', { maximumFractionDigits: 3 });
const exactly2 = new Intl.NumberFormat('en-US', {
  minimumFractionDigits: 2,
  maximumFractionDigits: 2,
});

/** Points (contributions, scores): two decimals, as the API keeps them. */
export function formatPoints(points: number): string {
  return exactly2.format(points);
}

/** Ratios and weights: up to three decimals. */
export function formatRatio(value: number): string {
  return upTo3.format(value);
}

export function formatNumber(value: number): string {
  return upTo2.format(value);
}

/** "+0.42" / "−0.42" (a real minus sign), readable without colour. */
export function formatSigned(value: number, digits = 3): string {
  const abs = new Intl.NumberFormat('en-US', {
    minimumFractionDigits: digits,
    maximumFractionDigits: digits,
  }).format(Math.abs(value));
  if (value > 0) return `+${abs}`;
  if (value < 0) return `−${abs}`;
  return abs;
}

export interface WeightedSumSteps {
  /** Σ weight × normalized (the API's rawScore). */
  rawScore: number;
  /** rawScore clamped to [0, 1]. */
  clamped: number;
  decayFactor: number;
  /** clamped × decay × 100, to the hundredth. */
  score: number;
  /** Σ contributions (add up to the score shown). */
  contributionSum: number;
}

/** The arithmetic of a weighted-sum score, from its breakdown. */
export function weightedSumSteps(
  terms: readonly Term[],
  rawScore: number,
  decayFactor: number,
): WeightedSumSteps {
  const clamped = Math.min(Math.max(rawScore, 0), 1);
  const score = Math.round(clamped * decayFactor * 100 * 100) / 100;
  const contributionSum =
    Math.round(terms.reduce((sum, term) => sum + term.contribution, 0) * 100) / 100;
  return { rawScore, clamped, decayFactor, score, contributionSum };
}

export interface SplitFactors {
  /** Raising the score, largest first. */
  positive: Factor[];
  /** Lowering the score, most negative first. */
  negative: Factor[];
  /** Factors with no effect (contribution 0). */
  neutral: number;
}

export function splitFactors(factors: readonly Factor[]): SplitFactors {
  const positive = factors
    .filter((f) => f.contribution > 0)
    .sort((a, b) => b.contribution - a.contribution);
  const negative = factors
    .filter((f) => f.contribution < 0)
    .sort((a, b) => a.contribution - b.contribution);
  return { positive, negative, neutral: factors.length - positive.length - negative.length };
}

const METHOD_LABELS: Record<string, string> = {
  TREE_SHAP: 'TreeSHAP (exact)',
  SAABAS: 'Saabas (path attributions)',
};

const MODEL_METHODS: Record<string, string> = {
  LOGISTIC_REGRESSION: 'weight × input',
  NAIVE_BAYES: 'log-likelihood ratios',
};

/** How the factors were computed, in words. */
export function explanationLabel(method: string | null | undefined, modelType: string): string {
  if (method) return METHOD_LABELS[method] ?? method;
  return MODEL_METHODS[modelType] ?? 'not reported';
}

const MODEL_TYPE_LABELS: Record<string, string> = {
  WEIGHTED_SUM: 'Weighted sum',
  LOGISTIC_REGRESSION: 'Logistic regression',
  GRADIENT_BOOSTING: 'Gradient boosting',
  NAIVE_BAYES: 'Naive Bayes',
};

export function modelTypeLabel(modelType: string): string {
  return MODEL_TYPE_LABELS[modelType] ?? modelType;
}

/** A bar's width: `value` as a share of `max`, as a CSS percentage. */
export function formatPercentOf(value: number, max: number): string {
  if (!(max > 0)) return '0%';
  return `${Math.min(100, Math.max(0, (value / max) * 100)).toFixed(1)}%`;
}
