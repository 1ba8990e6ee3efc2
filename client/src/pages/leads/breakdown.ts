/** Reading a score's breakdown: labels, signed numbers, the top factors. Pure. */

interface Term {
  contribution: number;
}

interface Factor {
  feature: string;
  value: string | null;
  contribution: number;
}

const FEATURE_LABELS: Record<string, string> = {
  emailOpens: 'Email opens',
  websiteVisits: 'Website visits',
  timeSpent: 'Time spent',
};

/** "emailOpens" → "Email opens"; a trained model's own feature names as they are. */
export function featureLabel(feature: string): string {
  return FEATURE_LABELS[feature] ?? feature;
}

const points = new Intl.NumberFormat('en-US', { maximumFractionDigits: 2 });
const signed = new Intl.NumberFormat('en-US', {
  minimumFractionDigits: 2,
  maximumFractionDigits: 2,
  signDisplay: 'exceptZero',
});

/** Points of the score, to the hundredth the terms are given in: 37.8, 40.12. */
export function formatPoints(value: number): string {
  return points.format(value);
}

/** "+0.82", "−0.31" (a real minus sign, read as "minus"). */
export function formatSigned(value: number): string {
  return signed.format(value).replace('-', '−');
}

/** The terms' total, rounded to the hundredth (no floating-point dust). */
export function sumPoints(terms: readonly Term[]): number {
  return Math.round(terms.reduce((total, term) => total + term.contribution * 100, 0)) / 100;
}

/** The largest positive contributions first, and the largest negative ones (most negative first). */
export function topFactors<T extends Factor>(
  factors: readonly T[],
  limit = 5,
): { raising: T[]; lowering: T[] } {
  const raising = factors
    .filter((factor) => factor.contribution > 0)
    .sort((a, b) => b.contribution - a.contribution)
    .slice(0, limit);
  const lowering = factors
    .filter((factor) => factor.contribution < 0)
    .sort((a, b) => a.contribution - b.contribution)
    .slice(0, limit);
  return { raising, lowering };
}

const METHODS: Record<string, string> = {
  TREE_SHAP: 'explained with TREE_SHAP (exact tree attributions)',
  SAABAS: 'explained with SAABAS (path attributions)',
};

/** How the factors were computed, from `explanationMethod` or the model type. */
export function explanationOf(breakdown: {
  explanationMethod: string | null;
  modelType: string;
}): string {
  const method = breakdown.explanationMethod;
  if (method) return METHODS[method] ?? `explained with ${method}`;
  if (breakdown.modelType === 'LOGISTIC_REGRESSION') return 'each a weight × its input';
  if (breakdown.modelType === 'NAIVE_BAYES') return 'each a log-likelihood ratio';
  return 'as the model reports them';
}
