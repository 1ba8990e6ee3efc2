import { refuseProblems } from '../../common/param-checks.util';
import { FitProgress, TrainingData } from '../model.types';
import { binColumns } from './binning.util';
import {
  AUTO_EARLY_STOPPING_ROWS,
  GradientBoostingParams,
  gradientBoostingParams,
  UNKNOWN_PARAMETER,
} from './gradient-boosting-params.util';
import { GradientBoostingModel, TreeNodes } from './gradient-boosting.types';
import { treeLeaf } from './gradient-boosting-logit.util';
import { createGrowerWorkspace, growTree } from './grow-tree.util';
import { stratifiedValidationSplit } from './validation-split.util';

/** Keeps the base logit finite when every label is the same (as scikit-learn clips to float eps). */
const RATE_EPSILON = 2.220446049250313e-16;

/**
 * Histogram gradient-boosted trees on binary log loss, as scikit-learn's
 * HistGradientBoostingClassifier and LightGBM: columns binned once, each tree grown best-first on
 * the loss's gradients p − y and hessians p(1 − p), leaves Newton steps −G/(H + λ) scaled by the
 * learning rate. Each `next()` grows one tree (binning happens before the first).
 *
 * Early stopping (ON, or AUTO above 10,000 rows) holds out a seeded stratified validation slice and
 * stops by scikit-learn's rule (see `GradientBoostingParams.tolerance`). Like scikit-learn, the
 * model keeps every tree grown, including the nIterNoChange after the best one: they did not help
 * the validation loss, but removing them would not be what was measured either.
 */
export function* fitGradientBoosting(
  data: TrainingData,
  requested: GradientBoostingParams,
): Generator<FitProgress, GradientBoostingModel, void> {
  // Checked again here (callers should have): a bad value would fail deep inside, or silently.
  // Keys it does not know are ignored, and the model keeps the known ones in a fixed order.
  const checked = gradientBoostingParams(requested as unknown as Record<string, unknown>);
  const problems = checked.problems.filter((p) => p.message !== UNKNOWN_PARAMETER);
  refuseProblems(problems, 'bad gradient boosting params', ' ');
  const params = checked.params;
  const { x, y, rows, cols } = data;
  if (rows < 1 || x.length !== rows * cols || y.length !== rows) {
    throw new RangeError(
      `training data of ${rows}×${cols} has ${x.length} values, ${y.length} labels`,
    );
  }
  const notes: string[] = [];

  const wantsEarlyStop =
    params.earlyStopping === 'ON' ||
    (params.earlyStopping === 'AUTO' && rows > AUTO_EARLY_STOPPING_ROWS);
  let trainRows: Uint32Array;
  let validationRows: Uint32Array = new Uint32Array(0);
  if (wantsEarlyStop) {
    const split = stratifiedValidationSplit(y, params.validationFraction, params.seed);
    trainRows = split.train;
    validationRows = split.validation;
    if (validationRows.length === 0) {
      notes.push('too few rows for a validation slice: early stopping off');
    }
  } else {
    trainRows = new Uint32Array(rows);
    for (let i = 0; i < rows; i++) trainRows[i] = i;
  }
  const earlyStop = validationRows.length > 0;
  const n = trainRows.length;

  const labels = new Uint8Array(n);
  let positives = 0;
  for (let i = 0; i < n; i++) {
    labels[i] = y[trainRows[i]] === 1 ? 1 : 0;
    positives += labels[i];
  }
  if (positives === 0 || positives === n) {
    notes.push(`every training label is ${positives === 0 ? 0 : 1}: trees cannot learn anything`);
  }
  const rate = Math.min(Math.max(positives / n, RATE_EPSILON), 1 - RATE_EPSILON);
  const baseLogit = Math.log(rate / (1 - rate));

  const binned = binColumns(x, cols, trainRows, params.maxBins);
  binned.constant.forEach((constant, j) => {
    if (constant) notes.push(`column ${j} is constant: never split on`);
  });
  const ws = createGrowerWorkspace(binned);

  const raw = new Float64Array(n).fill(baseLogit);
  const g = new Float64Array(n);
  const h = new Float64Array(n);
  logLossGradients(raw, labels, g, h);
  const validationRaw = new Float64Array(validationRows.length).fill(baseLogit);
  const validationLosses = earlyStop ? [validationLoss(validationRaw, validationRows, y)] : [];

  const featureGain = new Float64Array(cols);
  const trees: TreeNodes[] = [];
  for (let iteration = 1; iteration <= params.maxIterations; iteration++) {
    const tree = growTree(ws, g, h, params, raw, featureGain);
    trees.push(tree);
    const loss = logLossGradients(raw, labels, g, h);
    let stop = false;
    let progress: FitProgress = { iteration, maxIterations: params.maxIterations, loss };
    if (earlyStop) {
      for (let i = 0; i < validationRows.length; i++) {
        validationRaw[i] += tree.value[treeLeaf(tree, x, validationRows[i] * cols)];
      }
      const vLoss = validationLoss(validationRaw, validationRows, y);
      validationLosses.push(vLoss);
      progress = { ...progress, validationLoss: vLoss };
      stop = noRecentImprovement(validationLosses, params.nIterNoChange, params.tolerance);
      if (stop) {
        let best = 0;
        for (let k = 1; k < validationLosses.length; k++) {
          if (validationLosses[k] < validationLosses[best]) best = k;
        }
        notes.push(
          `early stopping after ${iteration} trees: none of the last ${params.nIterNoChange} trees ` +
            `lowered the validation loss by more than ${params.tolerance} (lowest ` +
            `${round(validationLosses[best])} after tree ${best}; every tree is kept)`,
        );
      }
    }
    yield progress;
    if (stop) break;
  }

  let totalGain = 0;
  for (let j = 0; j < cols; j++) totalGain += featureGain[j];
  const importance = Array.from(featureGain, (gain) => (totalGain > 0 ? gain / totalGain : 0));
  return {
    type: 'GRADIENT_BOOSTING',
    importance,
    iterations: trees.length,
    notes,
    baseLogit,
    trees,
    params,
  };
}

/**
 * scikit-learn's `_should_stop` on losses (index 0 the loss before any tree): stop when none of the
 * last nIterNoChange losses is below the one just before them by more than `tolerance`.
 */
export function noRecentImprovement(
  losses: readonly number[],
  nIterNoChange: number,
  tolerance: number,
): boolean {
  if (losses.length < nIterNoChange + 1) return false;
  const reference = losses[losses.length - nIterNoChange - 1] - tolerance;
  for (let k = losses.length - nIterNoChange; k < losses.length; k++) {
    if (losses[k] < reference) return false;
  }
  return true;
}

/**
 * Fills the gradients p − y and hessians p(1 − p) of the log loss at the raw predictions, and
 * returns the mean loss, all from one exp per row: log(1 + e^z) − y·z written to stay finite.
 */
function logLossGradients(raw: Float64Array, labels: Uint8Array, g: Float64Array, h: Float64Array) {
  let total = 0;
  for (let i = 0; i < raw.length; i++) {
    const z = raw[i];
    const e = Math.exp(-Math.abs(z));
    const p = z >= 0 ? 1 / (1 + e) : e / (1 + e);
    const yi = labels[i];
    g[i] = p - yi;
    h[i] = p * (1 - p);
    total += (z > 0 ? z : 0) - yi * z + Math.log1p(e);
  }
  return total / raw.length;
}

function validationLoss(raw: Float64Array, rows: Uint32Array, y: Uint8Array): number {
  let total = 0;
  for (let i = 0; i < raw.length; i++) {
    const z = raw[i];
    total += (z > 0 ? z : 0) - (y[rows[i]] === 1 ? z : 0) + Math.log1p(Math.exp(-Math.abs(z)));
  }
  return total / raw.length;
}

function round(value: number): number {
  return Number(value.toPrecision(6));
}
