import { categoryOf } from '../dataset/feature-stats.util';
import { LeadFeatureSource, RawFeatures, rawFeaturesOf } from '../features/raw-features.util';
import { ExplanationMethod, sigmoid } from '../models/model.types';
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
  /**
   * Gradient boosting only: how the contributions were computed, exact TreeSHAP (models of at most
   * TREE_SHAP_MAX_NODES tree nodes) or Saabas path attributions (larger models). Absent for
   * logistic regression and naive Bayes, whose logit is itself the sum of the contributions.
   */
  readonly method?: ExplanationMethod;
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

/** Buffers every call for one serving model reuses (scoring is synchronous, so never shared). */
interface Scratch {
  readonly vector: Float64Array;
  readonly perFeature: Float64Array;
  readonly inputFeature: Int32Array;
  readonly names: readonly string[];
  readonly order: Int32Array;
}

const scratches = new WeakMap<ServingModel, Scratch>();

function scratchOf(serving: ServingModel): Scratch {
  let scratch = scratches.get(serving);
  if (!scratch) {
    const features = serving.fitted.features.length;
    scratch = {
      vector: new Float64Array(serving.inputFeature.length),
      perFeature: new Float64Array(features),
      inputFeature: Int32Array.from(serving.inputFeature),
      names: serving.fitted.features.map((feature) => feature.name),
      order: new Int32Array(features),
    };
    scratches.set(serving, scratch);
  }
  return scratch;
}

/** Up to this many raw features the factors are ordered by insertion sort (no comparator calls). */
const INSERTION_SORT_MAX = 64;

/** Factor i before factor j: larger contribution first, then by name. */
function comesBefore(perFeature: Float64Array, names: readonly string[], i: number, j: number) {
  const difference = perFeature[j] - perFeature[i];
  if (difference < 0) return true;
  if (difference > 0) return false;
  return names[i] < names[j];
}

export function scoreRawFeatures(serving: ServingModel, raw: RawFeatures): ModelScore {
  const scratch = scratchOf(serving);
  const vector = transformFeatures(serving.fitted, raw, scratch.vector);
  const { base, contributions, method } = explainModel(serving.model, vector);
  const { perFeature, inputFeature, names, order } = scratch;
  perFeature.fill(0);
  let logit = base;
  for (let j = 0; j < contributions.length; j++) {
    perFeature[inputFeature[j]] += contributions[j];
    logit += contributions[j];
  }
  const count = names.length;
  if (count <= INSERTION_SORT_MAX) {
    for (let i = 0; i < count; i++) {
      let k = i;
      while (k > 0 && comesBefore(perFeature, names, i, order[k - 1])) {
        order[k] = order[k - 1];
        k--;
      }
      order[k] = i;
    }
  } else {
    const sorted = names
      .map((_, i) => i)
      .sort((i, j) => (comesBefore(perFeature, names, i, j) ? -1 : 1));
    order.set(sorted);
  }
  const factors: ScoreFactor[] = [];
  for (let r = 0; r < count; r++) {
    const i = order[r];
    const name = names[i];
    factors.push({
      feature: name,
      value: categoryOf(Object.hasOwn(raw, name) ? (raw[name] ?? null) : null),
      contribution: perFeature[i],
    });
  }
  const probability = sigmoid(logit);
  const score = Math.round(100 * probability);
  return method
    ? { score, probability, logit, base, factors, method }
    : { score, probability, logit, base, factors };
}
