import { GradientBoostingModel, TreeNodes } from './gradient-boosting.types';

/**
 * A fitted forest laid out for scoring one row fast: what `gradientBoostingLogit` and the Saabas
 * explanation walk, built once per model and cached (models are plain JSON, never changed once
 * fitted: a model whose trees were edited after their first use would be scored as before).
 *
 * Measured on the bank data (the first 585 trees of a tuned model, 35,685 nodes; 2-core EPYC),
 * rows/s: the stored JSON trees walk at 31k (logit) and 19k (Saabas), this layout at 70k and 62k
 * (through `scoreRawFeatures`, with the transformation and the factors: 17k → 44k leads/s). What
 * makes the difference:
 * - Typed arrays, every node of every tree in one set: two Int32s a node (its column and
 *   threshold packed in one, then its left child, the right one next to it), and the step to a
 *   child is arithmetic (left + 1 when x > threshold), not a branch the CPU mispredicts.
 * - Thresholds as ranks: each column's split thresholds sorted once; a row's value becomes the
 *   number of its column's thresholds below it (one binary search per column and row), and
 *   `x ≤ t_k` ⇔ `rank(x) ≤ k` exactly, so a step is integer arithmetic: the sign bit of
 *   k − rank(x).
 * - Four trees walked at once (one row): four independent chains of loads that the CPU overlaps
 *   (1.5× one tree at a time). A leaf points to itself and reads the spare column `cols`, whose
 *   rank is always 0, so a lane that reached its leaf idles until the four are done.
 * Rows with a missing value (NaN) in a column split on take the plain walk (`rankRow` false), as
 * do forests this layout cannot hold (a column or rank past 16 bits, a malformed tree).
 */
export interface LaneForest {
  readonly cols: number;
  /** Per node: [column | rank << 16, left child]; the right child is left + 1; a leaf: [cols, itself]. */
  readonly nodes: Int32Array;
  /** The node's value (learningRate · −G/(H + λ)): a leaf's output. */
  readonly value: Float64Array;
  /** value − the parent's value (0 on roots): what Saabas credits the parent's column with. */
  readonly delta: Float64Array;
  /** Each tree's root, in the model's order. */
  readonly roots: Int32Array;
  /** Per column, the thresholds it is split at, ascending, without repeats (empty: never split on). */
  readonly thresholds: readonly Float64Array[];
  /** Columns split on at least once, ascending: the only ones a row's ranks are needed for. */
  readonly splitColumns: Int32Array;
  /** baseLogit + every root's value, in tree order: the Saabas base. */
  readonly saabasBase: number;
  /** Every node of every tree, leaves included. */
  readonly nodeCount: number;
  /** Reused per call: one row's ranks (cols + 1, the spare column's always 0) and contributions. */
  readonly ranks: Int32Array;
  readonly scratch: Float64Array;
}

const PACKED_LIMIT = 0x10000;
const forests = new WeakMap<readonly TreeNodes[], LaneForest | null>();

/** The model's lane layout (built on first use, then cached per model), or null when it has none. */
export function laneForest(model: GradientBoostingModel): LaneForest | null {
  let forest = forests.get(model.trees);
  if (forest === undefined) {
    forest = buildLaneForest(model);
    forests.set(model.trees, forest);
  }
  return forest;
}

/**
 * True when every split's column is one of the model's and its children come after it, in range:
 * walks of the tree then end (the trainer writes them so; a damaged stored model may not be).
 */
export function wellFormedTree(tree: TreeNodes, cols: number): boolean {
  const size = tree.feature.length;
  if (size === 0) return false;
  for (let node = 0; node < size; node++) {
    const f = tree.feature[node];
    if (f < 0) continue;
    if (!Number.isInteger(f) || f >= cols) return false;
    const left = tree.left[node];
    const right = tree.right[node];
    if (!(left > node && left < size && right > node && right < size)) return false;
  }
  return true;
}

function buildLaneForest(model: GradientBoostingModel): LaneForest | null {
  const cols = model.importance.length;
  const { trees } = model;
  if (cols + 1 > PACKED_LIMIT) return null;
  let total = 0;
  for (const tree of trees) {
    if (!wellFormedTree(tree, cols)) return null;
    total += tree.feature.length;
  }
  const sets = Array.from({ length: cols }, () => new Set<number>());
  for (const tree of trees) {
    for (let node = 0; node < tree.feature.length; node++) {
      if (tree.feature[node] >= 0) sets[tree.feature[node]].add(tree.threshold[node]);
    }
  }
  const thresholds = sets.map((set) => Float64Array.from(set).sort());
  // A NaN threshold sends every value right, which no rank can say.
  if (thresholds.some((list) => list.length > PACKED_LIMIT || list.some(Number.isNaN))) return null;
  const rankAt = sets.map((_, f) => new Map(Array.from(thresholds[f], (t, k) => [t, k])));

  const nodes = new Int32Array(2 * total);
  const value = new Float64Array(total);
  const delta = new Float64Array(total);
  const roots = new Int32Array(trees.length);
  let saabasBase = model.baseLogit;
  let next = 0;
  const queue = new Int32Array(2 * total);
  trees.forEach((tree, t) => {
    saabasBase += tree.value[0];
    // Breadth first, so that the two children of a node sit side by side.
    roots[t] = next++;
    let head = 0;
    let tail = 0;
    queue[tail++] = 0;
    queue[tail++] = roots[t];
    while (head < tail) {
      const node = queue[head++];
      const at = queue[head++];
      value[at] = tree.value[node];
      const f = tree.feature[node];
      if (f < 0) {
        nodes[2 * at] = cols;
        nodes[2 * at + 1] = at;
        continue;
      }
      const left = next;
      next += 2;
      nodes[2 * at] = f | (rankAt[f].get(tree.threshold[node])! << 16);
      nodes[2 * at + 1] = left;
      delta[left] = tree.value[tree.left[node]] - tree.value[node];
      delta[left + 1] = tree.value[tree.right[node]] - tree.value[node];
      queue[tail++] = tree.left[node];
      queue[tail++] = left;
      queue[tail++] = tree.right[node];
      queue[tail++] = left + 1;
    }
  });
  const splitColumns = Int32Array.from(
    thresholds.flatMap((list, f) => (list.length > 0 ? [f] : [])),
  );
  return {
    cols,
    nodes,
    value,
    delta,
    roots,
    thresholds,
    splitColumns,
    saabasBase,
    nodeCount: total,
    ranks: new Int32Array(cols + 1),
    scratch: new Float64Array(cols + 1),
  };
}

/**
 * Fills `forest.ranks` for the row at `offset`: per column split on, how many of its thresholds
 * are below the value. False when one of those values is missing (NaN): the caller walks plainly.
 */
export function rankRow(forest: LaneForest, x: ArrayLike<number>, offset: number): boolean {
  const { splitColumns, thresholds, ranks } = forest;
  for (let c = 0; c < splitColumns.length; c++) {
    const f = splitColumns[c];
    const v = x[offset + f];
    if (v !== v) return false;
    const list = thresholds[f];
    let lo = 0;
    let hi = list.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (list[mid] < v) lo = mid + 1;
      else hi = mid;
    }
    ranks[f] = lo;
  }
  return true;
}

/**
 * baseLogit + Σ leaf values, in tree order (the same sum as the plain walk), after `rankRow`.
 * Four trees at a time; a lane at its leaf stays there until the other three reach theirs.
 */
export function laneLogit(forest: LaneForest, baseLogit: number): number {
  const { nodes, value, roots, ranks } = forest;
  const trees = roots.length;
  let sum = baseLogit;
  let t = 0;
  for (; t + 4 <= trees; t += 4) {
    let a = roots[t];
    let b = roots[t + 1];
    let c = roots[t + 2];
    let d = roots[t + 3];
    for (;;) {
      let w = nodes[2 * a];
      const a2 = nodes[2 * a + 1] + (((w >>> 16) - ranks[w & 0xffff]) >>> 31);
      w = nodes[2 * b];
      const b2 = nodes[2 * b + 1] + (((w >>> 16) - ranks[w & 0xffff]) >>> 31);
      w = nodes[2 * c];
      const c2 = nodes[2 * c + 1] + (((w >>> 16) - ranks[w & 0xffff]) >>> 31);
      w = nodes[2 * d];
      const d2 = nodes[2 * d + 1] + (((w >>> 16) - ranks[w & 0xffff]) >>> 31);
      if (((a2 ^ a) | (b2 ^ b) | (c2 ^ c) | (d2 ^ d)) === 0) break;
      a = a2;
      b = b2;
      c = c2;
      d = d2;
    }
    sum += value[a];
    sum += value[b];
    sum += value[c];
    sum += value[d];
  }
  for (; t < trees; t++) {
    let n = roots[t];
    for (;;) {
      const w = nodes[2 * n];
      const next = nodes[2 * n + 1] + (((w >>> 16) - ranks[w & 0xffff]) >>> 31);
      if (next === n) break;
      n = next;
    }
    sum += value[n];
  }
  return sum;
}

/**
 * Saabas contributions of the row ranked by `rankRow` into `forest.scratch` (cols + 1 slots; the
 * last one means nothing), four trees at a time as `laneLogit`: per step, the split's column gets
 * the child's value minus the node's.
 */
export function laneSaabas(forest: LaneForest): Float64Array {
  const { nodes, delta, roots, ranks, scratch: out } = forest;
  const trees = roots.length;
  out.fill(0);
  let t = 0;
  for (; t + 4 <= trees; t += 4) {
    let a = roots[t];
    let b = roots[t + 1];
    let c = roots[t + 2];
    let d = roots[t + 3];
    for (;;) {
      const wa = nodes[2 * a];
      const wb = nodes[2 * b];
      const wc = nodes[2 * c];
      const wd = nodes[2 * d];
      const fa = wa & 0xffff;
      const fb = wb & 0xffff;
      const fc = wc & 0xffff;
      const fd = wd & 0xffff;
      const a2 = nodes[2 * a + 1] + (((wa >>> 16) - ranks[fa]) >>> 31);
      const b2 = nodes[2 * b + 1] + (((wb >>> 16) - ranks[fb]) >>> 31);
      const c2 = nodes[2 * c + 1] + (((wc >>> 16) - ranks[fc]) >>> 31);
      const d2 = nodes[2 * d + 1] + (((wd >>> 16) - ranks[fd]) >>> 31);
      if (((a2 ^ a) | (b2 ^ b) | (c2 ^ c) | (d2 ^ d)) === 0) break;
      out[fa] += delta[a2];
      out[fb] += delta[b2];
      out[fc] += delta[c2];
      out[fd] += delta[d2];
      a = a2;
      b = b2;
      c = c2;
      d = d2;
    }
  }
  for (; t < trees; t++) {
    let n = roots[t];
    for (;;) {
      const w = nodes[2 * n];
      const f = w & 0xffff;
      const next = nodes[2 * n + 1] + (((w >>> 16) - ranks[f]) >>> 31);
      if (next === n) break;
      out[f] += delta[next];
      n = next;
    }
  }
  return out;
}
