import { DatasetTable } from '../dataset/dataset-table.util';
import { ClassificationMetrics, evaluate } from '../eval/metrics.util';
import { Split, splitRows } from '../eval/split.util';
import {
  fitGradientBoosting,
  GradientBoostingParams,
} from '../models/gradient-boosting/gradient-boosting.util';
import {
  fitLogisticRegression,
  LogisticRegressionParams,
} from '../models/logistic-regression/logistic-regression.util';
import { FitProgress, sigmoid, TrainingData } from '../models/model.types';
import { fitNaiveBayes, NaiveBayesParams } from '../models/naive-bayes/naive-bayes.util';
import { modelLogits, TrainedModel, TrainedModelType } from '../models/trained-model';
import {
  FittedTransformation,
  fitTransformation,
  NormalizedTransformation,
  selectedFeatures,
  transformTable,
} from '../transform/transformation.util';
import { describeTable, FeatureStats } from '../dataset/feature-stats.util';

export type PipelineStage = 'BUILDING_FEATURES' | 'FITTING' | 'EVALUATING';

export interface PipelineProgress {
  readonly stage: PipelineStage;
  /** While FITTING: the trainer's progress. */
  readonly fit?: FitProgress;
}

export interface PipelineInput {
  readonly table: DatasetTable;
  readonly modelType: TrainedModelType;
  /** Checked and filled by `modelParams`. */
  readonly params: Record<string, unknown>;
  readonly transformation: NormalizedTransformation;
  readonly seed: number;
  readonly testFraction?: number;
  /** The table's feature statistics when known (a dataset version keeps them): not computed again. */
  readonly stats?: readonly FeatureStats[];
}

export interface FeatureImportance {
  readonly feature: string;
  readonly importance: number;
}

export interface TrainingOutcome {
  readonly model: TrainedModel;
  readonly fitted: FittedTransformation;
  readonly metrics: ClassificationMetrics;
  readonly split: Pick<Split, 'method' | 'cutoff' | 'reason'> & {
    readonly trainRows: number;
    readonly testRows: number;
  };
  /** By model input (output of the transformation), largest first. */
  readonly importance: readonly FeatureImportance[];
  /** Raw features left out because they carry nothing on the training rows. */
  readonly dropped: readonly string[];
  readonly notes: readonly string[];
}

export class TrainingInputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TrainingInputError';
  }
}

/**
 * Raw features that are constant or all missing on the training rows: they cannot help any model
 * and only cost a column, so they are dropped (and said so in the model's notes), not a crash.
 */
export function uninformativeFeatures(
  table: DatasetTable,
  rows: readonly number[],
  names: readonly string[],
): string[] {
  const wanted = new Set(names);
  return table.columns
    .filter((column) => wanted.has(column.name))
    .filter((column) => {
      if (rows.length === 0) return true;
      const first = column.values[rows[0]] ?? null;
      for (const row of rows) if ((column.values[row] ?? null) !== first) return false;
      return true;
    })
    .map((column) => column.name);
}

function subset(y: Uint8Array, rows: readonly number[]): Uint8Array {
  const out = new Uint8Array(rows.length);
  rows.forEach((row, i) => (out[i] = y[row]));
  return out;
}

function trainer(
  type: TrainedModelType,
  data: TrainingData,
  params: Record<string, unknown>,
): Generator<FitProgress, TrainedModel, void> {
  switch (type) {
    case 'LOGISTIC_REGRESSION':
      return fitLogisticRegression(data, params as unknown as LogisticRegressionParams);
    case 'GRADIENT_BOOSTING':
      return fitGradientBoosting(data, params as unknown as GradientBoostingParams);
    case 'NAIVE_BAYES':
      return fitNaiveBayes(data, params as unknown as NaiveBayesParams);
  }
}

/**
 * The whole fit of one model, as one generator: split (time-ordered or stratified), the
 * transformation fitted on the training rows only, the trainer's iterations, evaluation on the
 * test rows. Each `next()` is a bounded piece of work, so the caller can breathe and cancel.
 */
export function* trainPipeline(
  input: PipelineInput,
): Generator<PipelineProgress, TrainingOutcome, void> {
  const { table } = input;
  yield { stage: 'BUILDING_FEATURES' };
  const split = splitRows({
    eventTimes: table.eventTimes,
    labels: table.labels,
    testFraction: input.testFraction ?? 0.2,
    seed: input.seed,
  });
  const selected = selectedFeatures(input.transformation, input.stats ?? describeTable(table));
  const dropped = uninformativeFeatures(table, split.train, selected);
  if (dropped.length === selected.length)
    throw new TrainingInputError(
      `no feature varies on the training rows (${dropped.join(', ') || 'none selected'})`,
    );
  const transformation: NormalizedTransformation = {
    ...input.transformation,
    exclude: [...new Set([...input.transformation.exclude, ...dropped])].sort(),
    // Named features that were dropped must leave the list too, or validation calls them unknown.
    features: input.transformation.features?.filter((name) => !dropped.includes(name)) ?? null,
    numeric: {
      ...input.transformation.numeric,
      log1p: input.transformation.numeric.log1p.filter((name) => !dropped.includes(name)),
    },
  };
  const fitted = fitTransformation(transformation, table, split.train);
  yield { stage: 'BUILDING_FEATURES' };
  const train = transformTable(fitted, table, split.train);
  const test = transformTable(fitted, table, split.test);
  const data: TrainingData = {
    x: train.matrix,
    rows: train.rows,
    cols: train.cols,
    y: subset(table.labels, split.train),
  };

  const fitting = trainer(input.modelType, data, input.params);
  let step = fitting.next();
  while (!step.done) {
    yield { stage: 'FITTING', fit: step.value };
    step = fitting.next();
  }
  const model = step.value;

  yield { stage: 'EVALUATING' };
  const logits = modelLogits(model, test.matrix, test.rows, test.cols);
  const probabilities = logits.map(sigmoid);
  const metrics = evaluate(subset(table.labels, split.test), probabilities);
  const importance = fitted.outputNames
    .map((feature, j) => ({ feature, importance: model.importance[j] ?? 0 }))
    .sort((a, b) => b.importance - a.importance || (a.feature < b.feature ? -1 : 1));
  return {
    model,
    fitted,
    metrics,
    split: {
      method: split.method,
      cutoff: split.cutoff,
      reason: split.reason,
      trainRows: split.train.length,
      testRows: split.test.length,
    },
    importance,
    dropped,
    notes: [
      ...dropped.map((name) => `${name} dropped: constant or missing on every training row`),
      ...fitted.warnings,
      ...model.notes,
    ],
  };
}
