import { DatasetTable, rowFeatures } from '../dataset/dataset-table.util';
import { averagePrecision, brierScore, logLoss, rocAuc } from '../eval/metrics.util';
import { splitRows } from '../eval/split.util';
import type { RawFeatures } from '../features/raw-features.util';

/** A model as the comparison sees it: a probability of converting for a row's raw features. */
export type ProbabilityOf = (raw: RawFeatures) => number;

export interface HeadToHeadFigures {
  readonly auc: number;
  readonly prAuc: number;
  readonly logLoss: number;
  readonly brier: number;
}

export interface HeadToHead {
  /** How the rows were split (the challenger's own split: the same seed, the same method). */
  readonly splitMethod: string;
  readonly testRows: number;
  readonly converted: number;
  readonly champion: HeadToHeadFigures;
  readonly challenger: HeadToHeadFigures;
}

/**
 * Champion and challenger on the same test rows: the rows the challenger was evaluated on when it
 * was trained (the same split of the same table with the same seed), so neither has seen them
 * and both are judged on exactly the same leads.
 */
export function headToHead(input: {
  readonly table: DatasetTable;
  readonly seed: number;
  readonly testFraction?: number;
  readonly champion: ProbabilityOf;
  readonly challenger: ProbabilityOf;
}): HeadToHead {
  const { table } = input;
  const split = splitRows({
    eventTimes: table.eventTimes,
    labels: table.labels,
    testFraction: input.testFraction ?? 0.2,
    seed: input.seed,
  });
  const y = new Uint8Array(split.test.length);
  const champion = new Float64Array(split.test.length);
  const challenger = new Float64Array(split.test.length);
  split.test.forEach((row, i) => {
    const raw = rowFeatures(table, row);
    y[i] = table.labels[row];
    champion[i] = clampProbability(input.champion(raw));
    challenger[i] = clampProbability(input.challenger(raw));
  });
  return {
    splitMethod: split.method,
    testRows: split.test.length,
    converted: y.reduce((sum, label) => sum + label, 0),
    champion: figuresOf(y, champion),
    challenger: figuresOf(y, challenger),
  };
}

function figuresOf(y: Uint8Array, p: Float64Array): HeadToHeadFigures {
  return {
    auc: rocAuc(y, p),
    prAuc: averagePrecision(y, p),
    logLoss: logLoss(y, p),
    brier: brierScore(y, p),
  };
}

/** A probability in [0, 1]; anything else (NaN from a broken model) counts as 0.5, knowing nothing. */
function clampProbability(p: number): number {
  if (!Number.isFinite(p)) return 0.5;
  return Math.min(1, Math.max(0, p));
}
