import { ALL_VALUES_THRESHOLD, BinnedColumns } from './binning.util';
import { emptySplit, findBestSplit, MIN_CHILD_HESSIAN, SplitInfo } from './find-split.util';
import { TreeNodes } from './gradient-boosting.types';
import {
  buildHistogram,
  buildRootHistogram,
  HistogramLayout,
  histogramLayout,
  subtractHistogram,
} from './histogram.util';

/** Histograms kept alive for splittable leaves at most take this many bytes; past it, rebuild. */
const LIVE_HISTOGRAM_BYTES = 256 * 1024 * 1024;

/** Buffers reused by every tree of a fit: no allocation per node or per row. */
export interface GrowerWorkspace extends HistogramLayout {
  /** Bin codes, column-major (`rows` per input column), read when a node's rows are split. */
  readonly codes: Uint8Array;
  /** Histogram feature a is input column features[a]. */
  readonly features: Int32Array;
  /** Per histogram feature, its bin edges. */
  readonly thresholds: readonly Float64Array[];
  /** Per histogram feature, bins holding values; the missing bin comes right after them. */
  readonly nonMissingBins: Int32Array;
  /** Row indexes, each node owning a contiguous slice. */
  readonly partition: Uint32Array;
  readonly scratch: Uint32Array;
  readonly pool: Float64Array[];
  readonly maxLiveHistograms: number;
}

export function createGrowerWorkspace(binned: BinnedColumns): GrowerWorkspace {
  const { cols, rows } = binned;
  const features: number[] = [];
  for (let j = 0; j < cols; j++) if (!binned.constant[j]) features.push(j);
  const nonMissingBins = features.map((j) => binned.thresholds[j].length + 1);
  const layout = histogramLayout(
    binned.codes,
    rows,
    features,
    nonMissingBins.map((bins) => bins + 1),
  );
  return {
    ...layout,
    codes: binned.codes,
    features: Int32Array.from(features),
    thresholds: features.map((j) => binned.thresholds[j]),
    nonMissingBins: Int32Array.from(nonMissingBins),
    partition: new Uint32Array(rows),
    scratch: new Uint32Array(rows),
    pool: [],
    maxLiveHistograms: Math.max(4, Math.floor(LIVE_HISTOGRAM_BYTES / (layout.length * 8))),
  };
}

export interface TreeSettings {
  readonly learningRate: number;
  readonly maxLeafNodes: number;
  readonly maxDepth: number | null;
  readonly minSamplesLeaf: number;
  readonly l2Regularization: number;
}

interface GrowingNode {
  readonly id: number;
  readonly start: number;
  readonly count: number;
  readonly depth: number;
  readonly sumG: number;
  readonly sumH: number;
  hist: Float64Array | null;
  split: SplitInfo | null;
}

interface MutableTree {
  feature: number[];
  threshold: number[];
  missingLeft: boolean[];
  left: number[];
  right: number[];
  value: number[];
  cover: number[];
}

/**
 * One tree, grown best-first (the leaf whose split gains most goes next, ties to the older node)
 * up to maxLeafNodes leaves and maxDepth, on gradients `g` and hessians `h` of the binned rows.
 * Adds its leaf values to `raw` (the rows' raw predictions) and each split's gain to
 * `featureGain`. Only the smaller child's histograms are built from rows; the larger one's are
 * its parent's minus the smaller's.
 */
export function growTree(
  ws: GrowerWorkspace,
  g: Float64Array,
  h: Float64Array,
  settings: TreeSettings,
  raw: Float64Array,
  featureGain: Float64Array,
): TreeNodes {
  const { partition, rows } = ws;
  const { learningRate, maxLeafNodes, maxDepth, minSamplesLeaf, l2Regularization } = settings;
  let sumG = 0;
  let sumH = 0;
  for (let i = 0; i < rows; i++) {
    partition[i] = i;
    sumG += g[i];
    sumH += h[i];
  }
  const tree: MutableTree = {
    feature: [],
    threshold: [],
    missingLeft: [],
    left: [],
    right: [],
    value: [],
    cover: [],
  };
  const nodes: GrowingNode[] = [];
  const splittable: GrowingNode[] = [];
  let liveHistograms = 0;

  const addNode = (start: number, count: number, depth: number, nodeG: number, nodeH: number) => {
    const node: GrowingNode = {
      id: nodes.length,
      start,
      count,
      depth,
      sumG: nodeG,
      sumH: nodeH,
      hist: null,
      split: null,
    };
    nodes.push(node);
    const denominator = nodeH + l2Regularization;
    tree.feature.push(-1);
    tree.threshold.push(0);
    tree.missingLeft.push(false);
    tree.left.push(-1);
    tree.right.push(-1);
    tree.value.push(denominator > 0 ? (-learningRate * nodeG) / denominator : 0);
    tree.cover.push(count);
    return node;
  };
  const take = () => {
    liveHistograms++;
    return ws.pool.pop() ?? new Float64Array(ws.length);
  };
  const release = (node: GrowingNode) => {
    if (node.hist === null) return;
    ws.pool.push(node.hist);
    node.hist = null;
    liveHistograms--;
  };
  const mayGrow = (node: GrowingNode) =>
    node.count >= 2 * minSamplesLeaf && node.sumH >= 2 * MIN_CHILD_HESSIAN;
  const evaluate = (node: GrowingNode) => {
    const split = emptySplit();
    const found = findBestSplit(
      node.hist!,
      ws.offsets,
      ws.nonMissingBins,
      node.sumG,
      node.sumH,
      node.count,
      settings,
      split,
    );
    if (!found) {
      release(node);
      return;
    }
    node.split = split;
    splittable.push(node);
    // Past the memory budget the node keeps its split but not its histograms: both children
    // are then built from rows, trading time for memory on very wide or very leafy trees.
    if (liveHistograms > ws.maxLiveHistograms) release(node);
  };

  const root = addNode(0, rows, 0, sumG, sumH);
  if (ws.features.length > 0 && mayGrow(root) && (maxDepth === null || maxDepth >= 1)) {
    root.hist = take();
    buildRootHistogram(ws, g, h, sumG, sumH, root.hist);
    evaluate(root);
  }

  let leaves = 1;
  while (splittable.length > 0 && leaves < maxLeafNodes) {
    const node = popBest(splittable);
    const split = node.split!;
    const leftCount = partitionRows(ws, node, split);
    const left = addNode(node.start, leftCount, node.depth + 1, split.leftG, split.leftH);
    const right = addNode(
      node.start + leftCount,
      node.count - leftCount,
      node.depth + 1,
      node.sumG - split.leftG,
      node.sumH - split.leftH,
    );
    leaves++;
    const edges = ws.thresholds[split.feature];
    const column = ws.features[split.feature];
    tree.feature[node.id] = column;
    tree.threshold[node.id] = split.bin < edges.length ? edges[split.bin] : ALL_VALUES_THRESHOLD;
    tree.missingLeft[node.id] = split.missingLeft;
    tree.left[node.id] = left.id;
    tree.right[node.id] = right.id;
    featureGain[column] += split.gain;

    const childrenMayGrow =
      leaves < maxLeafNodes && (maxDepth === null || node.depth + 1 < maxDepth);
    const growLeft = childrenMayGrow && mayGrow(left);
    const growRight = childrenMayGrow && mayGrow(right);
    if (growLeft || growRight) {
      const leftSmaller = left.count <= right.count;
      const small = leftSmaller ? left : right;
      const large = leftSmaller ? right : left;
      small.hist = take();
      buildHistogram(
        ws,
        g,
        h,
        partition,
        small.start,
        small.count,
        small.sumG,
        small.sumH,
        small.hist,
      );
      if (node.hist !== null) {
        subtractHistogram(node.hist, small.hist);
        large.hist = node.hist;
        node.hist = null;
      } else {
        large.hist = take();
        buildHistogram(
          ws,
          g,
          h,
          partition,
          large.start,
          large.count,
          large.sumG,
          large.sumH,
          large.hist,
        );
      }
      if (growLeft) evaluate(left);
      else release(left);
      if (growRight) evaluate(right);
      else release(right);
    }
    release(node);
  }
  for (const node of splittable) release(node);

  for (const node of nodes) {
    if (tree.feature[node.id] !== -1) continue;
    const value = tree.value[node.id];
    for (let i = node.start, end = node.start + node.count; i < end; i++)
      raw[partition[i]] += value;
  }
  return tree;
}

function popBest(splittable: GrowingNode[]): GrowingNode {
  let at = 0;
  for (let i = 1; i < splittable.length; i++) {
    const gain = splittable[i].split!.gain;
    const bestGain = splittable[at].split!.gain;
    if (gain > bestGain || (gain === bestGain && splittable[i].id < splittable[at].id)) at = i;
  }
  return splittable.splice(at, 1)[0];
}

/** Stable: both sides keep ascending row order, so later gathers stay cache-friendly. */
function partitionRows(ws: GrowerWorkspace, node: GrowingNode, split: SplitInfo): number {
  const { partition, scratch, codes, rows } = ws;
  const col = ws.features[split.feature] * rows;
  const missingBin = ws.nonMissingBins[split.feature];
  const { bin, missingLeft } = split;
  const start = node.start;
  let nl = 0;
  let nr = 0;
  for (let i = start, end = start + node.count; i < end; i++) {
    const r = partition[i];
    const b = codes[col + r];
    if (b === missingBin ? missingLeft : b <= bin) partition[start + nl++] = r;
    else scratch[nr++] = r;
  }
  partition.set(scratch.subarray(0, nr), start + nl);
  return nl;
}
