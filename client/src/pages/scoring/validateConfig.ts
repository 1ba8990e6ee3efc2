import {
  FEATURE_LABELS,
  FEATURES,
  type ConfigErrors,
  type ConfigFormValues,
  type Feature,
  type ScoringConfigInput,
} from './formValues';

/**
 * The server's rules for a scoring configuration (UpdateScoringConfigInput and
 * src/scoring/dto/scoring-config.rules.ts), checked in the browser so every problem shows at once,
 * next to its field, before anything is sent:
 *   weights: each a number ≥ 0, their sum > 0;
 *   caps: each a number > 0;
 *   half-life: a number of days from 0.001 to 3650 (> 0);
 *   thresholds: each from 0 to 100, warm < hot.
 */
export type ConfigValidation =
  | { valid: true; errors: ConfigErrors; input: ScoringConfigInput }
  | { valid: false; errors: ConfigErrors; input: null };

export const HALF_LIFE_MIN = 0.001;
export const HALF_LIFE_MAX = 3650;

/** A finite number, or null for an empty or unreadable entry. */
export function parseNumber(raw: string): number | null {
  const text = raw.trim();
  if (text === '') return null;
  const n = Number(text);
  return Number.isFinite(n) ? n : null;
}

const ENTER_A_NUMBER = 'Enter a number.';

export function validateConfig(values: ConfigFormValues): ConfigValidation {
  const errors: ConfigErrors = {};

  const weights = {} as Record<Feature, number | null>;
  const caps = {} as Record<Feature, number | null>;
  for (const feature of FEATURES) {
    const label = FEATURE_LABELS[feature];
    const weight = parseNumber(values.weights[feature]);
    weights[feature] = weight;
    if (weight === null) errors[`weights.${feature}`] = ENTER_A_NUMBER;
    else if (weight < 0) errors[`weights.${feature}`] = `${label} weight must be 0 or more.`;

    const cap = parseNumber(values.caps[feature]);
    caps[feature] = cap;
    if (cap === null) errors[`caps.${feature}`] = ENTER_A_NUMBER;
    else if (cap <= 0) errors[`caps.${feature}`] = `${label} cap must be greater than 0.`;
  }
  const allWeights = FEATURES.map((f) => weights[f]);
  if (allWeights.every((w): w is number => w !== null && w >= 0)) {
    if (allWeights.reduce((sum, w) => sum + w, 0) <= 0)
      errors.weights = 'The weights must add up to more than 0: give at least one a weight.';
  }

  const halfLife = parseNumber(values.halfLifeDays);
  if (halfLife === null) errors.halfLifeDays = ENTER_A_NUMBER;
  else if (halfLife < HALF_LIFE_MIN)
    errors.halfLifeDays = `Half-life must be greater than 0 (at least ${HALF_LIFE_MIN} days).`;
  else if (halfLife > HALF_LIFE_MAX)
    errors.halfLifeDays = `Half-life must be at most ${HALF_LIFE_MAX} days.`;

  const hot = parseNumber(values.hot);
  const warm = parseNumber(values.warm);
  const inRange = (n: number) => n >= 0 && n <= 100;
  if (hot === null) errors['thresholds.hot'] = ENTER_A_NUMBER;
  else if (!inRange(hot)) errors['thresholds.hot'] = 'Hot threshold must be from 0 to 100.';
  if (warm === null) errors['thresholds.warm'] = ENTER_A_NUMBER;
  else if (!inRange(warm)) errors['thresholds.warm'] = 'Warm threshold must be from 0 to 100.';
  if (hot !== null && warm !== null && warm >= hot)
    errors.thresholds = 'The warm threshold must be below the hot threshold.';

  if (Object.keys(errors).length > 0) return { valid: false, errors, input: null };
  const num = (n: number | null) => n as number;
  return {
    valid: true,
    errors,
    input: {
      weights: {
        emailOpens: num(weights.emailOpens),
        websiteVisits: num(weights.websiteVisits),
        timeSpent: num(weights.timeSpent),
      },
      caps: {
        emailOpens: num(caps.emailOpens),
        websiteVisits: num(caps.websiteVisits),
        timeSpent: num(caps.timeSpent),
      },
      halfLifeDays: num(halfLife),
      thresholds: { hot: num(hot), warm: num(warm) },
    },
  };
}
