import { ParamProblem } from '../model.types';

export interface NaiveBayesParams {
  /** Laplace smoothing: alpha added to every bin's count; > 0 and ≤ 100. */
  readonly alpha: number;
  /** Quantile bins for a column with more distinct training values than this; 2..100. */
  readonly bins: number;
}

export const DEFAULT_NAIVE_BAYES_PARAMS: NaiveBayesParams = Object.freeze({ alpha: 1, bins: 10 });

type Check = (value: unknown) => string | null;

const CHECKS: { readonly [K in keyof NaiveBayesParams]: Check } = {
  alpha: (value) =>
    typeof value === 'number' && Number.isFinite(value) && value > 0 && value <= 100
      ? null
      : 'must be a number > 0 and ≤ 100',
  bins: (value) =>
    typeof value === 'number' && Number.isInteger(value) && value >= 2 && value <= 100
      ? null
      : 'must be an integer from 2 to 100',
};

/**
 * The params with defaults filled in for absent (undefined) fields, and every bad field named by
 * its path (unknown key, wrong type, out of range). A bad field keeps its default in `params`, so
 * the result is always usable, but a caller with problems should refuse to train.
 */
export function naiveBayesParams(input: Record<string, unknown> | null | undefined): {
  params: NaiveBayesParams;
  problems: ParamProblem[];
} {
  const problems: ParamProblem[] = [];
  if (input == null) return { params: { ...DEFAULT_NAIVE_BAYES_PARAMS }, problems };
  if (typeof input !== 'object' || Array.isArray(input)) {
    problems.push({ path: '', message: 'params must be an object' });
    return { params: { ...DEFAULT_NAIVE_BAYES_PARAMS }, problems };
  }
  const params: Record<string, unknown> = { ...DEFAULT_NAIVE_BAYES_PARAMS };
  for (const key of Object.keys(CHECKS) as (keyof NaiveBayesParams)[]) {
    const value = input[key];
    if (value === undefined) continue;
    const problem = CHECKS[key](value);
    if (problem === null) params[key] = value;
    else problems.push({ path: key, message: problem });
  }
  for (const key of Object.keys(input)) {
    if (!Object.prototype.hasOwnProperty.call(CHECKS, key)) {
      problems.push({ path: key, message: 'unknown parameter' });
    }
  }
  return { params: params as unknown as NaiveBayesParams, problems };
}
