import { Explanation, ExplanationMethod } from '../model.types';
import { GradientBoostingModel } from './gradient-boosting.types';
import { LaneForest, laneForest, laneSaabas, rankRow } from './lane-walk.util';
import { explainGradientBoostingTreeShap } from './tree-shap.util';

/**
 * Saabas path contributions: walking each tree from its root, a split's column is credited with
 * how much the expected output moved (child value − node value). The base is baseLogit plus every
 * root's value, so base + Σ contributions telescopes to the logit. Cheap (one path per tree) but,
 * unlike TreeSHAP, it credits columns near the root less fairly. Through the model's lane layout
 * (lane-walk.util.ts) unless the row has a missing value in a column split on.
 */
export function explainGradientBoosting(
  model: GradientBoostingModel,
  x: ArrayLike<number>,
  offset = 0,
): Explanation {
  return saabas(model, laneForest(model), x, offset);
}

function saabas(
  model: GradientBoostingModel,
  forest: LaneForest | null,
  x: ArrayLike<number>,
  offset: number,
): Explanation {
  if (forest && rankRow(forest, x, offset)) {
    const sums = laneSaabas(forest);
    const contributions = new Float64Array(forest.cols);
    for (let j = 0; j < contributions.length; j++) contributions[j] = sums[j];
    return { base: forest.saabasBase, contributions, method: 'SAABAS' };
  }
  return plainSaabas(model, x, offset);
}

/** The same, tree by tree on the stored arrays: NaN goes the way `missingLeft` says. */
export function plainSaabas(
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
  return { base, contributions, method: 'SAABAS' };
}

/**
 * The most nodes (all trees together) a model may have for its explanations to be exact TreeSHAP;
 * a larger model is explained by Saabas. TreeSHAP visits every node of every tree for every row,
 * with an O(depth) path update at each, so its cost grows with the model, and the leaf-wise trees
 * of this trainer are deep (31 leaves: depth 10 – 20). Measured on the bank data through
 * `scoreRawFeatures` (2-core EPYC), leads/s with TreeSHAP: one 31-leaf tree (61 nodes) 65k; two
 * (122 nodes) 47k; 99 nodes in 1 – 2 trees 56 – 58k; 16 trees of 8 leaves (240 nodes) 62k; the
 * default model (84 trees, 5,124 nodes) 1.8k; a tuned one (585 trees, 35,685 nodes) 0.18k. The
 * goal is ≥ 50,000 leads/s with explanations, so TreeSHAP is kept to models that meet it with a
 * margin (load on the machine costs 10 – 20 %): in practice single-tree and toy models. Saabas
 * through the lane layout scores the 585-tree model 2.5× faster than the walk of the stored trees
 * did (17k → 44k leads/s on this machine the same way, busier than when bench:ml measured 20k).
 */
export const TREE_SHAP_MAX_NODES = 64;

const nodeCounts = new WeakMap<GradientBoostingModel['trees'], number>();

/** Every node of every tree (leaves included). */
export function gradientBoostingNodeCount(model: GradientBoostingModel): number {
  const forest = laneForest(model);
  if (forest) return forest.nodeCount;
  let count = nodeCounts.get(model.trees);
  if (count === undefined) {
    count = model.trees.reduce((sum, tree) => sum + tree.feature.length, 0);
    nodeCounts.set(model.trees, count);
  }
  return count;
}

/** TREE_SHAP up to TREE_SHAP_MAX_NODES nodes, SAABAS above: deterministic for a model. */
export function gradientBoostingExplanationMethod(model: GradientBoostingModel): ExplanationMethod {
  return gradientBoostingNodeCount(model) <= TREE_SHAP_MAX_NODES ? 'TREE_SHAP' : 'SAABAS';
}

/**
 * How a gradient-boosting model's predictions are explained when scoring: exact TreeSHAP for a
 * model of at most TREE_SHAP_MAX_NODES nodes, Saabas path contributions above (both additive:
 * base + Σ contributions = logit). The result's `method` says which.
 */
export function explainGradientBoostingModel(
  model: GradientBoostingModel,
  x: ArrayLike<number>,
  offset = 0,
): Explanation {
  const forest = laneForest(model);
  const nodes = forest ? forest.nodeCount : gradientBoostingNodeCount(model);
  return nodes <= TREE_SHAP_MAX_NODES
    ? explainGradientBoostingTreeShap(model, x, offset)
    : saabas(model, forest, x, offset);
}
