import { Explanation } from '../model.types';
import { GradientBoostingModel } from './gradient-boosting.types';

/**
 * Saabas path contributions: walking each tree from its root, a split's column is credited with
 * how much the expected output moved (child value − node value). The base is baseLogit plus every
 * root's value, so base + Σ contributions telescopes to the logit. Cheap (one path per tree) but,
 * unlike TreeSHAP, it credits columns near the root less fairly.
 */
export function explainGradientBoosting(
  model: GradientBoostingModel,
  x: ArrayLike<number>,
  offset = 0,
): Explanation {
  const contributions = new Float64Array(model.importance.length);
  let base = model.baseLogit;
  for (const tree of model.trees) {
    const { feature, threshold, missingLeft, left, right, value } = tree;
    let node = 0;
    base += value[0];
    while (feature[node] >= 0) {
      const v = x[offset + feature[node]];
      const goLeft = v !== v ? missingLeft[node] : v <= threshold[node];
      const child = goLeft ? left[node] : right[node];
      contributions[feature[node]] += value[child] - value[node];
      node = child;
    }
  }
  return { base, contributions };
}
