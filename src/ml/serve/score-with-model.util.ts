import { categoryOf } from '../dataset/feature-stats.util';
import { LeadFeatureSource, RawFeatures, rawFeaturesOf } from '../features/raw-features.util';
import { sigmoid } from '../models/model.types';
import { explainModel, TrainedModel } from '../models/trained-model';
import {
  FittedTransformation,
  outputNamesOf,
  transformFeatures,
} from '../transform/transformation.util';

/** A deployed model ready to score: the model and the transformation it was trained with. */
export interface ServingModel {
  readonly model: TrainedModel;
  readonly fitted: FittedTransformation;
  /** For each model input, the raw feature it comes from (an index into fitted.features). */
  readonly inputFeature: readonly number[];
}

export function servingModel(model: TrainedModel, fitted: FittedTransformation): ServingModel {
  const inputFeature = fitted.features.flatMap((feature, i) => outputNamesOf(feature).map(() => i));
  return { model, fitted, inputFeature };
}

/** What one raw feature did to a score: its value and its share of the logit. */
export interface ScoreFactor {
  readonly feature: string;
  /** The lead's raw value (a number as text, a category, or null when missing). */
  readonly value: string | null;
  /** Additive, in logit units: base + Σ contributions = logit. */
  readonly contribution: number;
}

export interface ModelScore {
  /** round(100 × probability). */
  readonly score: number;
  readonly probability: number;
  readonly logit: number;
  readonly base: number;
  /** Every raw feature the model uses, largest contribution first (top positive … top negative). */
  readonly factors: readonly ScoreFactor[];
}

/**
 * A live lead scored by a trained model through the same path training used: `rawFeaturesOf`
 * (as of `now`), the fitted transformation, the model, and its additive explanation summed per
 * raw feature (one-hot columns of `job` add up to one `job` factor).
 */
export function scoreWithModel(
  serving: ServingModel,
  lead: LeadFeatureSource,
  now: Date,
): ModelScore {
  return scoreRawFeatures(serving, rawFeaturesOf(lead, now));
}

export function scoreRawFeatures(serving: ServingModel, raw: RawFeatures): ModelScore {
  const vector = transformFeatures(serving.fitted, raw);
  const { base, contributions } = explainModel(serving.model, vector);
  const perFeature = new Float64Array(serving.fitted.features.length);
  let logit = base;
  for (let j = 0; j < contributions.length; j++) {
    perFeature[serving.inputFeature[j]] += contributions[j];
    logit += contributions[j];
  }
  const factors = serving.fitted.features
    .map((feature, i) => ({
      feature: feature.name,
      value: categoryOf(Object.hasOwn(raw, feature.name) ? (raw[feature.name] ?? null) : null),
      contribution: perFeature[i],
    }))
    .sort((a, b) => b.contribution - a.contribution || (a.feature < b.feature ? -1 : 1));
  const probability = sigmoid(logit);
  return { score: Math.round(100 * probability), probability, logit, base, factors };
}
