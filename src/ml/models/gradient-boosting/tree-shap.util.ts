import { Explanation } from '../model.types';
import { GradientBoostingModel, TreeNodes } from './gradient-boosting.types';

/**
 * Exact path-dependent TreeSHAP (Lundberg, Erion & Lee 2018, Algorithm 2): each column's Shapley
 * value for the value function "expected output given the known columns", where an unknown column
 * sends a row down both sides in proportion to the training rows that went each way (`cover`).
 * Fairer than Saabas (a column's credit does not depend on how deep it sits) at O(leaves · depth²)
 * a tree. The base is baseLogit plus each tree's cover-weighted mean leaf value, so
 * base + Σ contributions = logit.
 */
export function explainGradientBoostingTreeShap(
  model: GradientBoostingModel,
  x: ArrayLike<number>,
  offset = 0,
): Explanation {
  const contributions = new Float64Array(model.importance.length);
  let base = model.baseLogit;
  for (const tree of model.trees) {
    base += expectedValue(tree);
    if (tree.feature[0] < 0) continue;
    const depth = treeDepth(tree);
    // One path per recursion level, each up to depth + 2 long, in one buffer (as the reference
    // implementation lays them out).
    const size = ((depth + 2) * (depth + 3)) / 2;
    const path: Path = {
      feature: new Int32Array(size),
      zero: new Float64Array(size),
      one: new Float64Array(size),
      weight: new Float64Array(size),
    };
    recurse(tree, x, offset, contributions, path, -1, 0, 0, 1, 1, -1);
  }
  return { base, contributions };
}

interface Path {
  readonly feature: Int32Array;
  /** Share of the rows that reach here with the column unknown. */
  readonly zero: Float64Array;
  /** 1 when the row itself comes this way with the column known, else 0. */
  readonly one: Float64Array;
  readonly weight: Float64Array;
}

function recurse(
  tree: TreeNodes,
  x: ArrayLike<number>,
  offset: number,
  phi: Float64Array,
  path: Path,
  parentAt: number,
  depth: number,
  node: number,
  zeroFraction: number,
  oneFraction: number,
  feature: number,
): void {
  // This level's path, after the parent's in the buffer: the parent's elements, then the split
  // that led here.
  const at = parentAt + depth + 1;
  for (let i = 0; i < depth; i++) {
    path.feature[at + i] = path.feature[parentAt + i];
    path.zero[at + i] = path.zero[parentAt + i];
    path.one[at + i] = path.one[parentAt + i];
    path.weight[at + i] = path.weight[parentAt + i];
  }
  extend(path, at, depth, zeroFraction, oneFraction, feature);

  const split = tree.feature[node];
  if (split < 0) {
    const value = tree.value[node];
    for (let i = 1; i <= depth; i++) {
      const w = unwoundSum(path, at, depth, i);
      phi[path.feature[at + i]] += w * (path.one[at + i] - path.zero[at + i]) * value;
    }
    return;
  }

  const v = x[offset + split];
  const goLeft = v !== v ? tree.missingLeft[node] : v <= tree.threshold[node];
  const hot = goLeft ? tree.left[node] : tree.right[node];
  const cold = goLeft ? tree.right[node] : tree.left[node];
  const cover = tree.cover[node];

  // A column already on the path is taken off and put back with both splits' fractions combined.
  let incomingZero = 1;
  let incomingOne = 1;
  let d = depth;
  let k = 0;
  while (k <= d && path.feature[at + k] !== split) k++;
  if (k <= d) {
    incomingZero = path.zero[at + k];
    incomingOne = path.one[at + k];
    unwind(path, at, d, k);
    d -= 1;
  }
  recurse(
    tree,
    x,
    offset,
    phi,
    path,
    at,
    d + 1,
    hot,
    (tree.cover[hot] / cover) * incomingZero,
    incomingOne,
    split,
  );
  recurse(
    tree,
    x,
    offset,
    phi,
    path,
    at,
    d + 1,
    cold,
    (tree.cover[cold] / cover) * incomingZero,
    0,
    split,
  );
}

function extend(
  path: Path,
  at: number,
  depth: number,
  zeroFraction: number,
  oneFraction: number,
  feature: number,
): void {
  const { weight } = path;
  path.feature[at + depth] = feature;
  path.zero[at + depth] = zeroFraction;
  path.one[at + depth] = oneFraction;
  weight[at + depth] = depth === 0 ? 1 : 0;
  for (let i = depth - 1; i >= 0; i--) {
    weight[at + i + 1] += (oneFraction * weight[at + i] * (i + 1)) / (depth + 1);
    weight[at + i] = (zeroFraction * weight[at + i] * (depth - i)) / (depth + 1);
  }
}

function unwind(path: Path, at: number, depth: number, index: number): void {
  const { weight } = path;
  const one = path.one[at + index];
  const zero = path.zero[at + index];
  let nextOne = weight[at + depth];
  for (let i = depth - 1; i >= 0; i--) {
    if (one !== 0) {
      const held = weight[at + i];
      weight[at + i] = (nextOne * (depth + 1)) / ((i + 1) * one);
      nextOne = held - (weight[at + i] * zero * (depth - i)) / (depth + 1);
    } else {
      weight[at + i] = (weight[at + i] * (depth + 1)) / (zero * (depth - i));
    }
  }
  for (let i = index; i < depth; i++) {
    path.feature[at + i] = path.feature[at + i + 1];
    path.zero[at + i] = path.zero[at + i + 1];
    path.one[at + i] = path.one[at + i + 1];
  }
}

/** The total weight the path would have with element `index` unwound, without unwinding it. */
function unwoundSum(path: Path, at: number, depth: number, index: number): number {
  const { weight } = path;
  const one = path.one[at + index];
  const zero = path.zero[at + index];
  let nextOne = weight[at + depth];
  let total = 0;
  for (let i = depth - 1; i >= 0; i--) {
    if (one !== 0) {
      const held = (nextOne * (depth + 1)) / ((i + 1) * one);
      total += held;
      nextOne = weight[at + i] - (held * zero * (depth - i)) / (depth + 1);
    } else {
      total += (weight[at + i] * (depth + 1)) / (zero * (depth - i));
    }
  }
  return total;
}

/** The mean leaf value over the training rows (cover-weighted). */
function expectedValue(tree: TreeNodes): number {
  let total = 0;
  for (let node = 0; node < tree.feature.length; node++) {
    if (tree.feature[node] < 0) total += tree.cover[node] * tree.value[node];
  }
  return total / tree.cover[0];
}

function treeDepth(tree: TreeNodes): number {
  const depths = new Int32Array(tree.feature.length);
  let deepest = 0;
  // Children always come after their parent, so one forward pass sees every parent first.
  for (let node = 0; node < tree.feature.length; node++) {
    if (tree.feature[node] < 0) continue;
    depths[tree.left[node]] = depths[node] + 1;
    depths[tree.right[node]] = depths[node] + 1;
    deepest = Math.max(deepest, depths[node] + 1);
  }
  return deepest;
}
