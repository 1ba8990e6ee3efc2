import { refuseInvalidParams } from '../../common/param-checks.util';
import { Explanation, FitProgress, TrainedBase, TrainingData } from '../model.types';
import { checkTrainingData } from '../training-data.util';
import { binOf, columnEdges } from './naive-bayes-bins.util';
import { NaiveBayesParams, naiveBayesParams } from './naive-bayes-params.util';

export { DEFAULT_NAIVE_BAYES_PARAMS, naiveBayesParams } from './naive-bayes-params.util';
export type { NaiveBayesParams } from './naive-bayes-params.util';
export { binOf, columnEdges } from './naive-bayes-bins.util';

export interface NaiveBayesColumn {
  /**
   * Ascending cut points e_0 < … < e_{K−1}: a value v is in bin k = the number of edges < v,
   * i.e. bin k holds (e_{k−1}, e_k]; NaN is in bin K + 1, the last (see `binOf`).
   */
  readonly edges: readonly number[];
  /** Per bin (K + 2 of them): ln P(bin | 1) − ln P(bin | 0), Laplace-smoothed. */
  readonly logRatios: readonly number[];
}

export interface NaiveBayesModel extends TrainedBase {
  readonly type: 'NAIVE_BAYES';
  /** ln(n1 / n0) on the training rows. */
  readonly priorLogOdds: number;
  readonly columns: readonly NaiveBayesColumn[];
  readonly params: NaiveBayesParams;
}

/**
 * Rows × columns binned per `next()`: a continuous column of 36,000 rows is copied, sorted and
 * searched in ~4 ms on this machine (a 0/1 column in ~1 ms), so a step of 5 such columns stays
 * well inside the worker's 100 ms between breaths, even on a loaded machine.
 */
export const CELLS_PER_STEP = 180_000;

export function columnsPerStep(rows: number): number {
  return Math.max(1, Math.floor(CELLS_PER_STEP / Math.max(rows, 1)));
}

/**
 * Shapes, labels and both classes (without one, ln(n1 / n0) would be ±Infinity, and every
 * P(bin | absent class) only the smoothing); x takes NaN (its own bin) but not ±Infinity.
 */
function checkData(data: TrainingData): { positives: number } {
  const { positives } = checkTrainingData(data, 'naive Bayes');
  const { x, cols } = data;
  for (let i = 0; i < x.length; i++) {
    if (x[i] === Infinity || x[i] === -Infinity) {
      const row = Math.floor(i / cols);
      throw new RangeError(`x[${row}][${i - row * cols}] is ${x[i]}: values are finite or NaN`);
    }
  }
  return { positives };
}

/**
 * Odoo's predictive lead scoring, as naive Bayes over binned columns: per column, counts of each
 * bin in each class, Laplace-smoothed over all its bins (the NaN bin included, even when empty):
 *   P(bin | c) = (count(bin, c) + alpha) / (count(c) + alpha · bins)
 * and logit = ln(n1/n0) + Σ_columns ln P(bin | 1) − ln P(bin | 0). A block of columns per `next()`,
 * progress `iteration` = columns done, `loss` = mean training log loss of the columns so far.
 * Throws RangeError for bad params or data (shapes, labels, ±Infinity, a class with no rows).
 */
export function fitNaiveBayes(
  data: TrainingData,
  params: NaiveBayesParams,
): Generator<FitProgress, NaiveBayesModel, void> {
  refuseInvalidParams(naiveBayesParams, params, 'invalid naive Bayes params');
  const { positives } = checkData(data);
  return run(data, params, positives);
}

function* run(
  data: TrainingData,
  params: NaiveBayesParams,
  positives: number,
): Generator<FitProgress, NaiveBayesModel, void> {
  const { x, rows, cols, y } = data;
  const negatives = rows - positives;
  const priorLogOdds = Math.log(positives / negatives);
  const logits = new Float64Array(rows).fill(priorLogOdds);
  const values = new Float64Array(rows);
  const bins = new Int32Array(rows);
  const columns: NaiveBayesColumn[] = [];
  const rawImportance: number[] = [];
  const constant: number[] = [];
  const block = columnsPerStep(rows);
  // A step's columns, copied out of the row-major x in one sweep over the rows: reading one
  // column at a time would touch every row's cache line once per column.
  const step = Array.from({ length: Math.min(block, cols) }, () => new Float64Array(rows));

  for (let start = 0; start < cols; start += block) {
    const width = Math.min(block, cols - start);
    for (let i = 0, offset = start; i < rows; i++, offset += cols) {
      for (let b = 0; b < width; b++) step[b][i] = x[offset + b];
    }
    for (let b = 0; b < width; b++) {
      const column = step[b];
      let present = 0;
      for (let i = 0; i < rows; i++) {
        const value = column[i];
        if (value === value) values[present++] = value;
      }
      const edges = columnEdges(values.subarray(0, present), params.bins);
      const binCount = edges.length + 2;
      // Per class: counts[c · binCount + bin].
      const counts = new Float64Array(2 * binCount);
      for (let i = 0; i < rows; i++) {
        const bin = binOf(edges, column[i]);
        bins[i] = bin;
        counts[y[i] * binCount + bin]++;
      }
      const logRatios: number[] = [];
      let importance = 0;
      let occupied = 0;
      for (let k = 0; k < binCount; k++) {
        const p1 = (counts[binCount + k] + params.alpha) / (positives + params.alpha * binCount);
        const p0 = (counts[k] + params.alpha) / (negatives + params.alpha * binCount);
        const ratio = Math.log(p1) - Math.log(p0);
        logRatios.push(ratio);
        const share = (counts[k] + counts[binCount + k]) / rows;
        importance += Math.abs(ratio) * share;
        if (share > 0) occupied++;
      }
      for (let i = 0; i < rows; i++) logits[i] += logRatios[bins[i]];
      columns.push({ edges, logRatios });
      rawImportance.push(importance);
      if (occupied === 1) constant.push(start + b);
    }
    const done = start + width;
    yield { iteration: done, maxIterations: cols, loss: meanLogLoss(logits, y) };
  }

  const total = rawImportance.reduce((sum, value) => sum + value, 0);
  const notes =
    constant.length > 0
      ? [
          `constant on the training rows (one bin, a small smoothing-only term): column${constant.length > 1 ? 's' : ''} ${constant.join(', ')}`,
        ]
      : [];
  return {
    type: 'NAIVE_BAYES',
    priorLogOdds,
    columns,
    params: { ...params },
    importance: rawImportance.map((value) => (total > 0 ? value / total : 0)),
    iterations: cols,
    notes,
  };
}

function meanLogLoss(logits: Float64Array, y: Uint8Array): number {
  let sum = 0;
  for (let i = 0; i < logits.length; i++) {
    const z = logits[i];
    sum += (y[i] === 1 ? Math.max(-z, 0) : Math.max(z, 0)) + Math.log1p(Math.exp(-Math.abs(z)));
  }
  return sum / logits.length;
}

/** priorLogOdds + Σ_j the log ratio of the bin x_j falls in, for the row starting at `offset`. */
export function naiveBayesLogit(model: NaiveBayesModel, x: ArrayLike<number>, offset = 0): number {
  let logit = model.priorLogOdds;
  const { columns } = model;
  for (let j = 0; j < columns.length; j++) {
    logit += columns[j].logRatios[binOf(columns[j].edges, x[offset + j])];
  }
  return logit;
}

/** base = priorLogOdds, contribution_j = column j's log ratio: the terms the logit adds. */
export function explainNaiveBayes(
  model: NaiveBayesModel,
  x: ArrayLike<number>,
  offset = 0,
): Explanation {
  const { columns } = model;
  const contributions = new Float64Array(columns.length);
  for (let j = 0; j < columns.length; j++) {
    contributions[j] = columns[j].logRatios[binOf(columns[j].edges, x[offset + j])];
  }
  return { base: model.priorLogOdds, contributions };
}
