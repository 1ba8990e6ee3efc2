import {
  checkParams,
  defaultParams,
  ParamProblem,
  ParamSpecs,
} from '../../common/param-checks.util';

export interface NaiveBayesParams {
  /** Laplace smoothing: alpha added to every bin's count; > 0 and ≤ 100. */
  readonly alpha: number;
  /** Quantile bins for a column with more distinct training values than this; 2..100. */
  readonly bins: number;
}

const SPECS: ParamSpecs<NaiveBayesParams> = {
  alpha: { kind: 'number', above: 0, atMost: 100, default: 1 },
  bins: { kind: 'integer', min: 2, max: 100, default: 10 },
};

export const DEFAULT_NAIVE_BAYES_PARAMS: NaiveBayesParams = defaultParams(SPECS);

/**
 * The params with defaults filled in for absent (undefined) fields, and every bad field named by
 * its path (unknown key, wrong type, out of range). A bad field keeps its default in `params`, so
 * the result is always usable, but a caller with problems should refuse to train.
 */
export function naiveBayesParams(input: Record<string, unknown> | null | undefined): {
  params: NaiveBayesParams;
  problems: ParamProblem[];
} {
  return checkParams(input, SPECS);
}
