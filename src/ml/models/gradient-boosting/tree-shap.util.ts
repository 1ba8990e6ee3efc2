import { Explanation } from '../model.types';
import { GradientBoostingModel, TreeNodes } from './gradient-boosting.types';
import { wellFormedTree } from './lane-walk.util';

/**
 * Exact path-dependent TreeSHAP (Lundberg, Erion & Lee 2018, Algorithm 2): each column's Shapley
 * value for the value function "expected output given the known columns", where an unknown column
 * sends a row down both sides in proportion to the training rows that went each way (`cover`).
 * Fairer than Saabas (a column's credit does not depend on how deep it sits) at O(leaves · depth²)
 * a tree. The base is baseLogit plus each tree's cover-weighted mean leaf value, so
 * base + Σ contributions = logit. Throws RangeError for a malformed tree (a child index out of
 * range or before its parent).
 *
 * Every row visits every node of every tree, so the cost grows with the model (see
 * TREE_SHAP_MAX_NODES for when scoring uses it): measured on the bank data (2-core EPYC),
 * 1.9k rows/s for 84 trees (5,124 nodes) and 0.18k rows/s for 585 trees (35,685 nodes), 2.9× and
 * 2.1× the first version's. What made it faster: the trees as typed arrays built once per model
 * (with each node's share of its parent's cover and each tree's expected value), path buffers
 * allocated once per model instead of per tree and call, multiplications by precomputed
 * reciprocals instead of divisions, and at a leaf the unwound sums of the path's columns the row
 * does not follow (one fraction 0) taken from one shared sum instead of one O(depth) loop each.
 */
export function explainGradientBoostingTreeShap(
  model: GradientBoostingModel,
  x: ArrayLike<number>,
  offset = 0,
): Explanation {
  const forest = shapForest(model);
  const contributions = new Float64Array(forest.cols);
  const { work, roots } = forest;
  work.x = x;
  work.offset = offset;
  work.phi = contributions;
  try {
    for (let t = 0; t < roots.length; t++) recurse(forest, -1, 0, roots[t], 1, 1, -1);
  } finally {
    work.x = NO_ROW;
    work.phi = NO_PHI;
  }
  return { base: forest.base, contributions, method: 'TREE_SHAP' };
}

/** The row being explained and where its contributions go: set per call, so nothing is allocated. */
interface ShapWork {
  x: ArrayLike<number>;
  offset: number;
  phi: Float64Array;
}

const NO_ROW: ArrayLike<number> = [];
const NO_PHI = new Float64Array(0);

/** Every tree's nodes in one set of typed arrays (node indexes global), with the path buffers. */
interface ShapForest {
  readonly cols: number;
  readonly feature: Int32Array;
  readonly threshold: Float64Array;
  readonly missingLeft: Uint8Array;
  readonly left: Int32Array;
  readonly right: Int32Array;
  readonly value: Float64Array;
  /** cover[node] / cover[parent]: the share of the parent's training rows that came here. */
  readonly share: Float64Array;
  /** The roots of the trees with at least one split (a lone leaf only moves the base). */
  readonly roots: Int32Array;
  /** baseLogit + each tree's cover-weighted mean leaf value, in tree order. */
  readonly base: number;
  /** One path per recursion level, each up to depth + 2 long, in one buffer (as the reference
   * implementation lays them out), sized for the deepest tree. */
  readonly pathFeature: Int32Array;
  /** Share of the rows that reach here with the column unknown. */
  readonly pathZero: Float64Array;
  /** 1 when the row itself comes this way with the column known, else 0. */
  readonly pathOne: Float64Array;
  readonly pathWeight: Float64Array;
  /** 1 / k for k = 0 … deepest + 2: the recursion multiplies instead of dividing. */
  readonly reciprocal: Float64Array;
  readonly work: ShapWork;
}

const forests = new WeakMap<readonly TreeNodes[], ShapForest>();

function shapForest(model: GradientBoostingModel): ShapForest {
  let forest = forests.get(model.trees);
  if (!forest) {
    forest = buildShapForest(model);
    forests.set(model.trees, forest);
  }
  return forest;
}

function buildShapForest(model: GradientBoostingModel): ShapForest {
  const cols = model.importance.length;
  let total = 0;
  for (const tree of model.trees) {
    if (!wellFormedTree(tree, cols)) {
      throw new RangeError('a tree of the model is malformed: TreeSHAP cannot walk it');
    }
    total += tree.feature.length;
  }
  const feature = new Int32Array(total);
  const threshold = new Float64Array(total);
  const missingLeft = new Uint8Array(total);
  const left = new Int32Array(total);
  const right = new Int32Array(total);
  const value = new Float64Array(total);
  const share = new Float64Array(total);
  const roots: number[] = [];
  let base = model.baseLogit;
  let deepest = 0;
  let start = 0;
  for (const tree of model.trees) {
    const size = tree.feature.length;
    const depths = new Int32Array(size);
    share[start] = 1;
    let expected = 0;
    for (let node = 0; node < size; node++) {
      const at = start + node;
      const f = tree.feature[node];
      feature[at] = f;
      value[at] = tree.value[node];
      if (f < 0) {
        left[at] = -1;
        right[at] = -1;
        expected += tree.cover[node] * tree.value[node];
        continue;
      }
      threshold[at] = tree.threshold[node];
      missingLeft[at] = tree.missingLeft[node] ? 1 : 0;
      const l = tree.left[node];
      const r = tree.right[node];
      left[at] = start + l;
      right[at] = start + r;
      share[start + l] = tree.cover[l] / tree.cover[node];
      share[start + r] = tree.cover[r] / tree.cover[node];
      // Children always come after their parent, so one forward pass sees every parent first.
      depths[l] = depths[node] + 1;
      depths[r] = depths[node] + 1;
      deepest = Math.max(deepest, depths[node] + 1);
    }
    base += expected / tree.cover[0];
    if (tree.feature[0] >= 0) roots.push(start);
    start += size;
  }
  const size = ((deepest + 2) * (deepest + 3)) / 2;
  return {
    cols,
    feature,
    threshold,
    missingLeft,
    left,
    right,
    value,
    share,
    roots: Int32Array.from(roots),
    base,
    pathFeature: new Int32Array(size),
    pathZero: new Float64Array(size),
    pathOne: new Float64Array(size),
    pathWeight: new Float64Array(size),
    reciprocal: Float64Array.from({ length: deepest + 3 }, (_, k) => 1 / k),
    work: { x: NO_ROW, offset: 0, phi: NO_PHI },
  };
}

function recurse(
  s: ShapForest,
  parentAt: number,
  depth: number,
  node: number,
  zeroFraction: number,
  oneFraction: number,
  feature: number,
): void {
  const { pathFeature, pathZero, pathOne, pathWeight } = s;
  // This level's path, after the parent's in the buffer: the parent's elements, then the split
  // that led here.
  const at = parentAt + depth + 1;
  for (let i = 0; i < depth; i++) {
    pathFeature[at + i] = pathFeature[parentAt + i];
    pathZero[at + i] = pathZero[parentAt + i];
    pathOne[at + i] = pathOne[parentAt + i];
    pathWeight[at + i] = pathWeight[parentAt + i];
  }
  extend(s, at, depth, zeroFraction, oneFraction, feature);

  const split = s.feature[node];
  if (split < 0) {
    addLeaf(s, at, depth, s.value[node]);
    return;
  }

  const { x, offset } = s.work;
  const v = x[offset + split];
  const goLeft = v !== v ? s.missingLeft[node] === 1 : v <= s.threshold[node];
  const hot = goLeft ? s.left[node] : s.right[node];
  const cold = goLeft ? s.right[node] : s.left[node];

  // A column already on the path is taken off and put back with both splits' fractions combined.
  let incomingZero = 1;
  let incomingOne = 1;
  let d = depth;
  let k = 0;
  while (k <= d && pathFeature[at + k] !== split) k++;
  if (k <= d) {
    incomingZero = pathZero[at + k];
    incomingOne = pathOne[at + k];
    unwind(s, at, d, k);
    d -= 1;
  }
  recurse(s, at, d + 1, hot, s.share[hot] * incomingZero, incomingOne, split);
  recurse(s, at, d + 1, cold, s.share[cold] * incomingZero, 0, split);
}

function extend(
  s: ShapForest,
  at: number,
  depth: number,
  zeroFraction: number,
  oneFraction: number,
  feature: number,
): void {
  const weight = s.pathWeight;
  s.pathFeature[at + depth] = feature;
  s.pathZero[at + depth] = zeroFraction;
  s.pathOne[at + depth] = oneFraction;
  weight[at + depth] = depth === 0 ? 1 : 0;
  const inverse = s.reciprocal[depth + 1];
  const zero = zeroFraction * inverse;
  if (oneFraction === 0) {
    for (let i = depth - 1; i >= 0; i--) weight[at + i] = weight[at + i] * (depth - i) * zero;
    return;
  }
  const one = oneFraction * inverse;
  for (let i = depth - 1; i >= 0; i--) {
    weight[at + i + 1] += weight[at + i] * (i + 1) * one;
    weight[at + i] = weight[at + i] * (depth - i) * zero;
  }
}

function unwind(s: ShapForest, at: number, depth: number, index: number): void {
  const { pathFeature, pathZero, pathOne, pathWeight: weight, reciprocal } = s;
  const one = pathOne[at + index];
  const zero = pathZero[at + index];
  if (one !== 0) {
    const up = (depth + 1) / one;
    const down = zero * reciprocal[depth + 1];
    let nextOne = weight[at + depth];
    for (let i = depth - 1; i >= 0; i--) {
      const held = weight[at + i];
      weight[at + i] = nextOne * up * reciprocal[i + 1];
      nextOne = held - weight[at + i] * (depth - i) * down;
    }
  } else {
    const up = (depth + 1) / zero;
    for (let i = depth - 1; i >= 0; i--)
      weight[at + i] = weight[at + i] * up * reciprocal[depth - i];
  }
  for (let i = index; i < depth; i++) {
    pathFeature[at + i] = pathFeature[at + i + 1];
    pathZero[at + i] = pathZero[at + i + 1];
    pathOne[at + i] = pathOne[at + i + 1];
  }
}

/**
 * A leaf's value shared among the path's columns: each gets (one − zero) · value times the total
 * weight the path would have with that column unwound. For a column the row does not follow
 * (one = 0) that total is Σ_i weight_i · (depth + 1) / (depth − i), the same for all of them, over
 * the column's zero fraction: computed once per leaf, not once per column.
 */
function addLeaf(s: ShapForest, at: number, depth: number, value: number): void {
  const { pathFeature, pathZero, pathOne, pathWeight: weight, reciprocal } = s;
  const phi = s.work.phi;
  const inverse = reciprocal[depth + 1];
  let coldTotal = 0;
  let coldSummed = false;
  for (let index = 1; index <= depth; index++) {
    const one = pathOne[at + index];
    const zero = pathZero[at + index];
    let total = 0;
    if (one !== 0) {
      const up = (depth + 1) / one;
      const down = zero * inverse;
      let nextOne = weight[at + depth];
      for (let i = depth - 1; i >= 0; i--) {
        const held = nextOne * up * reciprocal[i + 1];
        total += held;
        nextOne = weight[at + i] - held * (depth - i) * down;
      }
    } else {
      if (!coldSummed) {
        coldSummed = true;
        for (let i = depth - 1; i >= 0; i--) coldTotal += weight[at + i] * reciprocal[depth - i];
        coldTotal *= depth + 1;
      }
      total = coldTotal / zero;
    }
    phi[pathFeature[at + index]] += total * (one - zero) * value;
  }
}
