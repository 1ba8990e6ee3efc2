import { categoryOf } from '../dataset/feature-stats.util';
import { rocAuc } from '../eval/metrics.util';
import { RawValue } from '../features/raw-features.util';

/** Which values go with conversion: a numeric feature's AUC is reported for the better one. */
export type AucOrientation = 'HIGHER_IS_POSITIVE' | 'LOWER_IS_POSITIVE';

export interface RankAuc {
  /** ≥ 0.5: the AUC of the values in `orientation`. */
  readonly auc: number;
  readonly orientation: AucOrientation;
}

/**
 * The ROC AUC of one numeric feature used as the score, on every row given (ties count half, as
 * in `rocAuc`), oriented so that it is at least 0.5: below that, lower values are the positive
 * ones and the AUC is 1 − AUC. A missing value (null) ranks below every present one. Null when a
 * class is absent. Choosing one of two orientations on the rows it is measured on is a single bit
 * of fitting, so no held-out split is needed here (unlike `levelRateAuc`).
 *
 * The values are turned into their dense ranks scaled into [0, 1], which is what `rocAuc` takes
 * and keeps every order and tie.
 */
export function rankAuc(values: readonly (number | null)[], labels: Uint8Array): RankAuc | null {
  const distinct = [...new Set(values.filter((value): value is number => value !== null))].sort(
    (a, b) => a - b,
  );
  const rankOf = new Map(distinct.map((value, i) => [value, i + 1]));
  const top = Math.max(distinct.length, 1);
  const scores = Float64Array.from(values, (value) =>
    value === null ? 0 : rankOf.get(value)! / top,
  );
  const auc = rocAuc(labels, scores);
  if (Number.isNaN(auc)) return null;
  return auc >= 0.5
    ? { auc, orientation: 'HIGHER_IS_POSITIVE' }
    : { auc: 1 - auc, orientation: 'LOWER_IS_POSITIVE' };
}

/**
 * The held-out ROC AUC of a categorical feature's per-level positive rate: each level's share of
 * positives is learnt on the `train` rows (missing is a level of its own) and scores the `test`
 * rows; a level the train rows never saw gets their overall rate. Learnt and measured on different
 * rows, so a column with a level per row (an id) cannot score by remembering each row's label: on
 * the test rows its levels are all new and its AUC is 0.5. Null when the test rows lack a class.
 */
export function levelRateAuc(
  values: readonly RawValue[],
  labels: Uint8Array,
  train: readonly number[],
  test: readonly number[],
): number | null {
  const counts = new Map<string | null, { rows: number; positives: number }>();
  let positives = 0;
  for (const row of train) {
    const level = categoryOf(values[row]);
    const count = counts.get(level) ?? { rows: 0, positives: 0 };
    count.rows++;
    count.positives += labels[row];
    counts.set(level, count);
    positives += labels[row];
  }
  const prior = train.length === 0 ? 0.5 : positives / train.length;
  const scores = Float64Array.from(test, (row) => {
    const count = counts.get(categoryOf(values[row]));
    return count ? count.positives / count.rows : prior;
  });
  const y = Uint8Array.from(test, (row) => labels[row]);
  const auc = test.length === 0 ? NaN : rocAuc(y, scores);
  return Number.isNaN(auc) ? null : auc;
}

/** A DATE column's values as ms since the epoch (unparseable or missing → null), for `rankAuc`. */
export function dateTimes(values: readonly RawValue[]): (number | null)[] {
  return values.map((value) => {
    if (typeof value !== 'string') return null;
    const time = Date.parse(value);
    return Number.isNaN(time) ? null : time;
  });
}

/** A numeric column's values for `rankAuc`: numbers as they are, anything else missing. */
export function numbersOf(values: readonly RawValue[]): (number | null)[] {
  return values.map((value) =>
    typeof value === 'number' && Number.isFinite(value) ? value : null,
  );
}
