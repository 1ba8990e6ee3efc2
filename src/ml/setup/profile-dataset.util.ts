import { DatasetTable } from '../dataset/dataset-table.util';
import { describeTable, FeatureStats, presentNumbers } from '../dataset/feature-stats.util';
import { Split, splitRows } from '../eval/split.util';
import { RawValue } from '../features/raw-features.util';
import { ColumnRole, guessRole, percent, summarizeValues } from './column-role.util';
import {
  dropColumnImportance,
  DropColumnResult,
  QUICK_MODEL_TYPE,
  quickModelAuc,
} from './drop-column.util';
import { sampleRowIndexes, tableRows } from './sample-rows.util';
import {
  AucOrientation,
  dateTimes,
  levelRateAuc,
  numbersOf,
  rankAuc,
} from './single-feature-auc.util';

export interface ProfileOptions {
  /** What the label is called in the profile (the table keeps it apart from its columns). */
  readonly labelName?: string;
  /** Rows above this are sampled (seeded, deterministic) before anything is measured. */
  readonly maxRows?: number;
  /** Drives the sample, the split and the quick model. */
  readonly seed?: number;
  /** Share of the (sampled) rows held out to measure AUCs on. */
  readonly testFraction?: number;
  /** More quick-model features than this: no drop-column loop (one model per feature). */
  readonly maxDropColumnFeatures?: number;
  /** Distinct counts are reported up to this (and `distinctCapped` set above it). */
  readonly distinctCap?: number;
}

export const DEFAULT_PROFILE_OPTIONS: Required<ProfileOptions> = Object.freeze({
  labelName: 'label',
  // Measured on the bank data (16 features, 51 model inputs; 2-core machine shared with other
  // test runs, load 3-4): a 20,000-row sample profiles in ~3.8 s, 3.2 s of it the drop-column loop
  // (17 logistic regressions); all 45,211 rows in ~8.7 s (loop 7.2 s), up to twice that under
  // heavier load. The AUCs move by about 0.01 between the two.
  maxRows: 20_000,
  seed: 42,
  testFraction: 0.2,
  maxDropColumnFeatures: 60,
  distinctCap: 1000,
});

export type AucMethod = 'RANK' | 'LEVEL_RATE';

export interface NumericProfile {
  readonly min: number;
  readonly median: number;
  readonly max: number;
  /** Population skewness (third standardized moment); 0 for a constant. */
  readonly skewness: number;
}

export interface ColumnProfile {
  readonly name: string;
  /** LABEL: the table's label itself (not one of its columns); FEATURE: a column. */
  readonly kind: 'LABEL' | 'FEATURE';
  readonly role: ColumnRole;
  readonly roleReason: string;
  readonly missingShare: number;
  /** Distinct present values on the profiled rows, at most `distinctCap`. */
  readonly distinct: number;
  readonly distinctCapped: boolean;
  /** Columns whose every value is a number. */
  readonly numeric: NumericProfile | null;
  /** The feature alone as a score, on the profiled rows; null for the label or with one class. */
  readonly singleFeatureAuc: number | null;
  readonly aucMethod: AucMethod | null;
  /** RANK only: which values go with conversion. */
  readonly orientation: AucOrientation | null;
  /** Quick-model AUC lost without it; null for a column not in the quick model. */
  readonly dropColumnImportance: number | null;
}

export interface DatasetProfile {
  readonly rows: number;
  readonly positives: number;
  readonly sample: { readonly rows: number; readonly seed: number; readonly sampled: boolean };
  readonly split: {
    readonly method: string;
    readonly trainRows: number;
    readonly testRows: number;
    readonly reason: string;
  } | null;
  readonly quickModel: {
    readonly type: string;
    /** NUMERIC and CATEGORICAL columns. */
    readonly features: readonly string[];
    /** Held-out; null when there is no split or no class balance to measure it on. */
    readonly auc: number | null;
  };
  /** The label first, then the table's columns in their order. */
  readonly columns: readonly ColumnProfile[];
  readonly notes: readonly string[];
}

const QUICK_MODEL_ROLES: ReadonlySet<ColumnRole> = new Set([
  ColumnRole.NUMERIC,
  ColumnRole.CATEGORICAL,
]);

/**
 * Per column: the guessed role (`guessRole`), missing share, cardinality, single-feature AUC
 * (`rankAuc` for numbers and dates, `levelRateAuc` on the held-out rows for the rest) and
 * drop-column importance in the quick model (`dropColumnImportance`, over the NUMERIC and
 * CATEGORICAL columns). Pure and deterministic: everything random is seeded.
 *
 * Bounded: above `maxRows` rows, a seeded sample of them is profiled (row count and positives
 * are still the whole table's), and past `maxDropColumnFeatures` features the drop-column loop is
 * skipped (the quick model's own AUC is still measured).
 */
export function profileDataset(table: DatasetTable, options: ProfileOptions = {}): DatasetProfile {
  const settings = { ...DEFAULT_PROFILE_OPTIONS, ...options };
  const rows = table.leadIds.length;
  const positives = table.labels.reduce((sum, label) => sum + label, 0);
  const sampleIndexes = sampleRowIndexes(rows, settings.maxRows, settings.seed);
  const sampled = sampleIndexes.length < rows;
  const data = sampled ? tableRows(table, sampleIndexes) : table;
  const stats = describeTable(data);
  const notes: string[] = [];
  if (sampled) {
    notes.push(
      `profiled on a seeded sample of ${count(sampleIndexes.length)} of ${count(rows)} rows (seed ${settings.seed})`,
    );
  }

  const dataPositives = data.labels.reduce((sum, label) => sum + label, 0);
  const dataNegatives = data.labels.length - dataPositives;
  const measurable = dataPositives >= 2 && dataNegatives >= 2;
  if (!measurable) {
    notes.push(
      `no AUC measured: ${dataPositives} positive and ${dataNegatives} negative rows (at least 2 of each needed)`,
    );
  }
  const split = measurable
    ? splitRows({
        eventTimes: data.eventTimes,
        labels: data.labels,
        testFraction: settings.testFraction,
        seed: settings.seed,
      })
    : null;

  const guesses = data.columns.map((column) => {
    const summary = summarizeValues(column.values);
    return { summary, ...guessRole(column.name, column.values, data.labels, summary) };
  });
  const quickFeatures = data.columns
    .filter((_column, c) => QUICK_MODEL_ROLES.has(guesses[c].role))
    .map((column) => column.name);
  const drop = measureQuickModel(data, split, quickFeatures, settings.maxDropColumnFeatures);

  const columns: ColumnProfile[] = data.columns.map((column, c) => {
    const { role, reason, summary } = guesses[c];
    const single =
      split === null ? null : singleAuc(data, column.values, { role, split, ...summary });
    const featureStats = stats[c];
    return {
      name: column.name,
      kind: 'FEATURE',
      role,
      roleReason: reason,
      missingShare: featureStats.missingShare,
      distinct: Math.min(summary.distinct, settings.distinctCap),
      distinctCapped: summary.distinct > settings.distinctCap,
      numeric: summary.allNumbers ? numericProfile(featureStats, column.values) : null,
      singleFeatureAuc: single?.auc ?? null,
      aucMethod: single?.method ?? null,
      orientation: single?.orientation ?? null,
      dropColumnImportance: drop.importance.get(column.name) ?? null,
    };
  });

  return {
    rows,
    positives,
    sample: { rows: data.leadIds.length, seed: settings.seed, sampled },
    split: split && {
      method: split.method,
      trainRows: split.train.length,
      testRows: split.test.length,
      reason: split.reason,
    },
    quickModel: { type: QUICK_MODEL_TYPE, features: quickFeatures, auc: drop.auc },
    columns: [labelProfile(settings.labelName, rows, positives), ...columns],
    notes: [...notes, ...drop.notes],
  };
}

function singleAuc(
  data: DatasetTable,
  values: readonly RawValue[],
  { role, allNumbers, split }: { role: ColumnRole; allNumbers: boolean; split: Split },
): { auc: number | null; method: AucMethod; orientation: AucOrientation | null } {
  if (role === ColumnRole.DATE || allNumbers) {
    // Both classes are present (the caller checked), so there is an AUC.
    const ranked = rankAuc(
      role === ColumnRole.DATE ? dateTimes(values) : numbersOf(values),
      data.labels,
    )!;
    return { auc: ranked.auc, method: 'RANK', orientation: ranked.orientation };
  }
  return {
    auc: levelRateAuc(values, data.labels, split.train, split.test),
    method: 'LEVEL_RATE',
    orientation: null,
  };
}

function measureQuickModel(
  data: DatasetTable,
  split: Split | null,
  features: readonly string[],
  maxDropColumnFeatures: number,
): DropColumnResult {
  if (split === null) return { auc: null, importance: new Map(), notes: [] };
  const input = { table: data, split };
  if (features.length > maxDropColumnFeatures) {
    return {
      auc: quickModelAuc(input, features),
      importance: new Map(),
      notes: [
        `no drop-column importance: ${features.length} features is more than the ${maxDropColumnFeatures} quick models allowed`,
      ],
    };
  }
  return dropColumnImportance(input, features);
}

function labelProfile(name: string, rows: number, positives: number): ColumnProfile {
  return {
    name,
    kind: 'LABEL',
    role: ColumnRole.LABEL,
    roleReason: `the outcome: ${count(positives)} positives in ${count(rows)} rows (${percent(rows === 0 ? 0 : positives / rows)})`,
    missingShare: 0,
    distinct: (positives > 0 ? 1 : 0) + (positives < rows ? 1 : 0),
    distinctCapped: false,
    numeric: null,
    singleFeatureAuc: null,
    aucMethod: null,
    orientation: null,
    dropColumnImportance: null,
  };
}

function numericProfile(stats: FeatureStats, values: readonly RawValue[]): NumericProfile {
  const summary = stats.numeric!;
  const x = presentNumbers(values);
  let cubes = 0;
  for (const value of x) cubes += ((value - summary.mean) / (summary.std || 1)) ** 3;
  return {
    min: summary.min,
    median: summary.quantiles.find((q) => q.p === 0.5)!.value,
    max: summary.max,
    skewness: summary.std > 0 ? cubes / x.length : 0,
  };
}

export function count(n: number): string {
  return n.toLocaleString('en');
}
