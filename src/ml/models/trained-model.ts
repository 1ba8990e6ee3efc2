import {
  explainGradientBoostingModel,
  GradientBoostingModel,
  gradientBoostingLogit,
} from './gradient-boosting/gradient-boosting.util';
import {
  explainLogisticRegression,
  LogisticRegressionModel,
  logisticRegressionLogit,
} from './logistic-regression/logistic-regression.util';
import { Explanation } from './model.types';
import {
  explainNaiveBayes,
  NaiveBayesModel,
  naiveBayesLogit,
} from './naive-bayes/naive-bayes.util';

/** Every trained model type, as stored (plain JSON). */
export type TrainedModel = LogisticRegressionModel | GradientBoostingModel | NaiveBayesModel;
export type TrainedModelType = TrainedModel['type'];
export const TRAINED_MODEL_TYPES: readonly TrainedModelType[] = [
  'LOGISTIC_REGRESSION',
  'GRADIENT_BOOSTING',
  'NAIVE_BAYES',
];

/** The model's raw output (the logit) for the input row starting at `offset`. */
export function modelLogit(model: TrainedModel, x: ArrayLike<number>, offset = 0): number {
  switch (model.type) {
    case 'LOGISTIC_REGRESSION':
      return logisticRegressionLogit(model, x, offset);
    case 'GRADIENT_BOOSTING':
      return gradientBoostingLogit(model, x, offset);
    case 'NAIVE_BAYES':
      return naiveBayesLogit(model, x, offset);
  }
}

/**
 * `base + Σ contributions = modelLogit(model, x, offset)`, one contribution per input column;
 * for gradient boosting, `method` says how (TreeSHAP for small models, Saabas for large ones).
 */
export function explainModel(model: TrainedModel, x: ArrayLike<number>, offset = 0): Explanation {
  switch (model.type) {
    case 'LOGISTIC_REGRESSION':
      return explainLogisticRegression(model, x, offset);
    case 'GRADIENT_BOOSTING':
      return explainGradientBoostingModel(model, x, offset);
    case 'NAIVE_BAYES':
      return explainNaiveBayes(model, x, offset);
  }
}

/** Logits of every row of a row-major matrix. */
export function modelLogits(
  model: TrainedModel,
  x: Float64Array,
  rows: number,
  cols: number,
): Float64Array {
  const out = new Float64Array(rows);
  for (let r = 0; r < rows; r++) out[r] = modelLogit(model, x, r * cols);
  return out;
}
