import { gradientBoostingParams } from '../models/gradient-boosting/gradient-boosting.util';
import { logisticRegressionParams } from '../models/logistic-regression/logistic-regression.util';
import { ParamProblem } from '../models/model.types';
import { naiveBayesParams } from '../models/naive-bayes/naive-bayes.util';
import { TrainedModelType } from '../models/trained-model';

/** A model type's parameters with defaults filled in, and every bad field named. */
export function modelParams(
  type: TrainedModelType,
  input: Record<string, unknown> | null | undefined,
): { params: Record<string, unknown>; problems: ParamProblem[] } {
  const checked =
    type === 'LOGISTIC_REGRESSION'
      ? logisticRegressionParams(input)
      : type === 'GRADIENT_BOOSTING'
        ? gradientBoostingParams(input)
        : naiveBayesParams(input);
  return { params: { ...checked.params }, problems: checked.problems };
}
