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
  /** Test rows left out because the champion trained on them. */
  readonly leftOutSeenByChampion: number;
  /**
   * Test rows the champion trained on that are still in (0 unless leaving them out would have
   * left too few rows, or one class only, to judge on).
   */
  readonly seenByChampion: number;
  readonly converted: number;
  readonly champion: HeadToHeadFigures;
  readonly challenger: HeadToHeadFigures;
}

/** Fewer fresh rows than this (or one class only) and the champion's training rows stay in. */
export const MIN_FRESH_TEST_ROWS = 30;

/**
 * Champion and challenger on the same test rows: the rows the challenger was evaluated on when it
 * was trained (the same split of the same table with the same seed), minus those the champion
 * trained on (`championTrainedOn`, lead ids): the new version contains the old one's leads, and a
 * champion judged on its own training rows looks better than it is. Both are judged on exactly
 * the same leads, neither having seen them. Should too few rows, or one class only, remain, all
 * the test rows are used and `seenByChampion` says how many the champion had seen.
 */
export function headToHead(input: {
  readonly table: DatasetTable;
  readonly seed: number;
  readonly testFraction?: number;
  readonly championTrainedOn?: ReadonlySet<string>;
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
  const seen = input.championTrainedOn;
  const fresh = seen ? split.test.filter((row) => !seen.has(table.leadIds[row])) : split.test;
  const freshConverted = fresh.reduce((sum, row) => sum + table.labels[row], 0);
  const usable =
    fresh.length >= MIN_FRESH_TEST_ROWS && freshConverted > 0 && freshConverted < fresh.length;
  const rows = usable ? fresh : split.test;
  const y = new Uint8Array(rows.length);
  const champion = new Float64Array(rows.length);
  const challenger = new Float64Array(rows.length);
  rows.forEach((row, i) => {
    const raw = rowFeatures(table, row);
    y[i] = table.labels[row];
    champion[i] = clampProbability(input.champion(raw));
    challenger[i] = clampProbability(input.challenger(raw));
  });
  return {
    splitMethod: split.method,
    testRows: rows.length,
    leftOutSeenByChampion: split.test.length - rows.length,
    seenByChampion: usable ? 0 : split.test.length - fresh.length,
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
