import { GradientBoostingModel, TreeNodes } from './gradient-boosting.types';
import { laneForest, laneLogit, rankRow } from './lane-walk.util';

/** The leaf of `tree` that the row at `offset` of `x` reaches. */
export function treeLeaf(tree: TreeNodes, x: ArrayLike<number>, offset = 0): number {
  const { feature, threshold, missingLeft, left, right } = tree;
  let node = 0;
  while (feature[node] >= 0) {
    const v = x[offset + feature[node]];
    if (v !== v) node = missingLeft[node] ? left[node] : right[node];
    else node = v <= threshold[node] ? left[node] : right[node];
  }
  return node;
}

/**
 * The model's raw output for one row: baseLogit + Σ leaf values; its probability is sigmoid of it.
 * Through the model's lane layout (lane-walk.util.ts) unless the row has a missing value in a
 * column split on; both walks add the same leaf values in the same order.
 */
export function gradientBoostingLogit(
  model: GradientBoostingModel,
  x: ArrayLike<number>,
  offset = 0,
): number {
  const forest = laneForest(model);
  if (forest && rankRow(forest, x, offset)) return laneLogit(forest, model.baseLogit);
  return plainLogit(model, x, offset);
}

/** The same sum, tree by tree on the stored arrays: NaN goes the way `missingLeft` says. */
export function plainLogit(model: GradientBoostingModel, x: ArrayLike<number>, offset = 0): number {
  let logit = model.baseLogit;
  for (const tree of model.trees) logit += tree.value[treeLeaf(tree, x, offset)];
  return logit;
}
