import { categoryOf, FeatureType, inferFeatureType } from '../dataset/feature-stats.util';
import { isMissing, RawValue } from '../features/raw-features.util';

/** What a column is for, as guessed from its values (and, for numeric ids, its name). */
export enum ColumnRole {
  IDENTIFIER = 'IDENTIFIER',
  CONSTANT = 'CONSTANT',
  FREE_TEXT = 'FREE_TEXT',
  DATE = 'DATE',
  NUMERIC = 'NUMERIC',
  CATEGORICAL = 'CATEGORICAL',
  LABEL = 'LABEL',
}

export interface RoleGuess {
  readonly role: ColumnRole;
  /** Why, with the numbers, in a sentence for people. */
  readonly reason: string;
}

/** Uniqueness means nothing on a handful of rows (six leads with six jobs): at least this many values. */
export const IDENTIFIER_MIN_VALUES = 20;
/** An identifier has a value on (nearly) every row. */
export const IDENTIFIER_MIN_PRESENT_SHARE = 0.95;
/** A text column is DATE when at least this share of its values are ISO dates. */
export const DATE_MIN_SHARE = 0.95;

// What `toRawValue` makes of a Date (toISOString), and what CSV exports write: 2026-01-31,
// 2026-01-31 12:00, 2026-01-31T12:00:00.000Z, 2026-01-31T12:00:00+01:00.
const ISO_DATE =
  /^\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?$/;

/** The facts about a column's values that its role is read from; one pass. */
export interface ValueSummary {
  readonly rows: number;
  readonly present: number;
  /** Distinct category strings (`categoryOf`) among present values. */
  readonly distinct: number;
  readonly allNumbers: boolean;
  readonly allIntegers: boolean;
  readonly dateShare: number;
  readonly anyWhitespace: boolean;
  readonly min: number;
  readonly max: number;
}

export function summarizeValues(values: readonly RawValue[]): ValueSummary {
  const seen = new Set<string>();
  let present = 0;
  let allNumbers = true;
  let allIntegers = true;
  let dates = 0;
  let anyWhitespace = false;
  let min = Infinity;
  let max = -Infinity;
  for (const value of values) {
    const category = categoryOf(value);
    if (category === null) continue;
    present++;
    seen.add(category);
    if (typeof value === 'number') {
      if (!Number.isInteger(value)) allIntegers = false;
      if (value < min) min = value;
      if (value > max) max = value;
    } else {
      allNumbers = false;
      allIntegers = false;
    }
    if (typeof value === 'string') {
      if (ISO_DATE.test(value) && !Number.isNaN(Date.parse(value))) dates++;
      if (/\s/.test(value)) anyWhitespace = true;
    }
  }
  return {
    rows: values.length,
    present,
    distinct: seen.size,
    allNumbers: present > 0 && allNumbers,
    allIntegers: present > 0 && allIntegers,
    dateShare: present === 0 ? 0 : dates / present,
    anyWhitespace,
    min,
    max,
  };
}

/** Names people give id columns: id, lead_id, customer-id, leadId, uuid, guid. */
export function looksLikeIdName(name: string): boolean {
  return /(?:^|[_.\s-])(?:id|uuid|guid)$/i.test(name) || /[a-z0-9](?:Id|ID)$/.test(name);
}

/**
 * True when the column is the label under another name: no missing value, two values, each
 * always with the same label and the two with different labels (an outcome column imported as an
 * attribute too).
 */
export function copiesLabel(values: readonly RawValue[], labels: Uint8Array): boolean {
  const labelOf = new Map<string, number>();
  for (let i = 0; i < values.length; i++) {
    const category = categoryOf(values[i]);
    if (category === null) return false;
    const known = labelOf.get(category);
    if (known === undefined) labelOf.set(category, labels[i]);
    else if (known !== labels[i]) return false;
  }
  return labelOf.size === 2 && new Set(labelOf.values()).size === 2;
}

/**
 * The role of a feature column, first rule that applies:
 * 1. CONSTANT: one value on every row, missing counted as a value (so `yes`/missing is not constant,
 *    as in the training pipeline's `uninformativeFeatures`).
 * 2. LABEL: a copy of the label (`copiesLabel`).
 * 3. DATE: text, at least DATE_MIN_SHARE of it ISO dates.
 * 4. IDENTIFIER: at least IDENTIFIER_MIN_VALUES values on at least IDENTIFIER_MIN_PRESENT_SHARE of
 *    the rows, no two alike; text without spaces (ids, emails, codes), or integers that are named
 *    like an id or run densely (max − min + 1 ≤ 2 × values: a sequence). Unique decimals are
 *    measurements, and unique integers with neither sign are amounts: both stay NUMERIC.
 * 5. FREE_TEXT: what the project's `inferFeatureType` calls TEXT (mostly distinct or long), which the
 *    transformation cannot encode either.
 * 6. NUMERIC: every value a number. 7. CATEGORICAL: the rest (booleans, short repeated strings).
 */
export function guessRole(
  name: string,
  values: readonly RawValue[],
  labels: Uint8Array,
  summary: ValueSummary = summarizeValues(values),
): RoleGuess {
  const { rows, present, distinct } = summary;
  const missing = rows - present;
  if (distinct + (missing > 0 ? 1 : 0) <= 1) {
    const only = values.find((value) => !isMissing(value));
    return {
      role: ColumnRole.CONSTANT,
      reason:
        only === undefined
          ? `missing on all ${rows} rows`
          : `the same value (${JSON.stringify(only)}) on all ${rows} rows`,
    };
  }
  if (copiesLabel(values, labels)) {
    return {
      role: ColumnRole.LABEL,
      reason: `its 2 values match the label on every one of the ${rows} rows: a copy of the label`,
    };
  }
  if (!summary.allNumbers && summary.dateShare >= DATE_MIN_SHARE) {
    return {
      role: ColumnRole.DATE,
      reason: `${percent(summary.dateShare)} of its ${present} values are ISO dates`,
    };
  }
  if (isIdentifier(name, summary)) {
    const why = summary.allNumbers
      ? looksLikeIdName(name)
        ? 'integers, named like an id'
        : `integers running from ${summary.min} to ${summary.max}, a sequence`
      : 'text without spaces';
    return {
      role: ColumnRole.IDENTIFIER,
      reason: `${present} distinct values on ${present} of ${rows} rows, unique per row (${why})`,
    };
  }
  const type = inferFeatureType(values);
  if (type === FeatureType.TEXT) {
    return {
      role: ColumnRole.FREE_TEXT,
      reason: `text with ${distinct} distinct values in ${present}: too many (or too long) to be levels`,
    };
  }
  if (type === FeatureType.NUMERIC) {
    return { role: ColumnRole.NUMERIC, reason: `numbers, ${distinct} distinct` };
  }
  return {
    role: ColumnRole.CATEGORICAL,
    reason: type === FeatureType.BOOLEAN ? 'true/false' : `${distinct} levels in ${present} values`,
  };
}

function isIdentifier(name: string, summary: ValueSummary): boolean {
  const { rows, present, distinct } = summary;
  if (present < IDENTIFIER_MIN_VALUES || present < IDENTIFIER_MIN_PRESENT_SHARE * rows)
    return false;
  if (distinct !== present) return false;
  if (!summary.allNumbers) return !summary.anyWhitespace;
  if (!summary.allIntegers) return false;
  return looksLikeIdName(name) || summary.max - summary.min + 1 <= 2 * present;
}

export function percent(share: number): string {
  return `${Math.round(share * 1000) / 10} %`;
}
