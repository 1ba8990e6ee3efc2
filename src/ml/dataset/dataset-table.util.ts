import { compareCodeUnits } from '../common/code-unit-order.util';
import { RawFeatures, RawValue } from '../features/raw-features.util';

export interface DatasetRowInput {
  readonly leadId: string;
  readonly label: 0 | 1;
  /** ms since the epoch. */
  readonly eventTime: number;
  readonly features: RawFeatures;
}

export interface FeatureColumn {
  readonly name: string;
  readonly values: readonly RawValue[];
}

/**
 * A dataset column by column: one array per feature rather than one object per row, so that 45,000
 * rows cost a few dozen arrays and every per-feature pass (stats, fitting, PSI) reads one array.
 * Canonical: the same rows give the same table whatever order they (or their keys) came in, which
 * is what makes content hashes and comparisons order-independent.
 */
export interface DatasetTable {
  /** Ascending by code unit (plain `<`), unique. */
  readonly leadIds: readonly string[];
  /** 1 converted, 0 lost. */
  readonly labels: Uint8Array;
  readonly eventTimes: Float64Array;
  /** Sorted by name (code unit); the union of all rows' features, absent → null. */
  readonly columns: readonly FeatureColumn[];
}

export class DatasetTableError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DatasetTableError';
  }
}

export function tableFromRows(rows: readonly DatasetRowInput[]): DatasetTable {
  const order = rows.map((_row, i) => i);
  order.sort((a, b) => compareCodeUnits(rows[a].leadId, rows[b].leadId));

  const n = rows.length;
  const leadIds: string[] = new Array<string>(n);
  const labels = new Uint8Array(n);
  const eventTimes = new Float64Array(n);
  const names = new Set<string>();
  for (let r = 0; r < n; r++) {
    const row = rows[order[r]];
    if (typeof row.leadId !== 'string') throw new DatasetTableError(`row ${order[r]}: no leadId`);
    if (r > 0 && row.leadId === leadIds[r - 1]) {
      throw new DatasetTableError(`lead ${JSON.stringify(row.leadId)} appears more than once`);
    }
    if (row.label !== 0 && row.label !== 1) {
      throw new DatasetTableError(`lead ${JSON.stringify(row.leadId)}: label must be 0 or 1`);
    }
    if (!Number.isFinite(row.eventTime)) {
      throw new DatasetTableError(`lead ${JSON.stringify(row.leadId)}: eventTime is not a time`);
    }
    leadIds[r] = row.leadId;
    labels[r] = row.label;
    eventTimes[r] = row.eventTime;
    for (const name of Object.keys(row.features)) names.add(name);
  }

  const sortedNames = [...names].sort(compareCodeUnits);
  const byName = new Map<string, RawValue[]>();
  const columns: FeatureColumn[] = sortedNames.map((name) => {
    const values = new Array<RawValue>(n).fill(null);
    byName.set(name, values);
    return { name, values };
  });
  for (let r = 0; r < n; r++) {
    const features = rows[order[r]].features;
    for (const name of Object.keys(features)) {
      byName.get(name)![r] = canonicalValue(features[name]);
    }
  }
  return { leadIds, labels, eventTimes, columns };
}

/** Rows [start, end) with every column: `Array.prototype.slice` semantics for the bounds. */
export function sliceTable(table: DatasetTable, start: number, end: number): DatasetTable {
  return {
    leadIds: table.leadIds.slice(start, end),
    labels: table.labels.slice(start, end),
    eventTimes: table.eventTimes.slice(start, end),
    columns: table.columns.map((column) => ({
      name: column.name,
      values: column.values.slice(start, end),
    })),
  };
}

/**
 * The parts' rows one after the other, in the order given: the inverse of slicing. Throws unless
 * every part has the same columns and the result is still a table (lead ids ascending and unique),
 * so parts of one table must come in their original order.
 */
export function concatTables(parts: readonly DatasetTable[]): DatasetTable {
  if (parts.length === 0) {
    return { leadIds: [], labels: new Uint8Array(0), eventTimes: new Float64Array(0), columns: [] };
  }
  const names = parts[0].columns.map((column) => column.name);
  for (const [p, part] of parts.entries()) {
    const same =
      part.columns.length === names.length &&
      part.columns.every((column, c) => column.name === names[c]);
    if (!same) throw new DatasetTableError(`part ${p} does not have the columns of part 0`);
  }

  const leadIds = parts.flatMap((part) => part.leadIds);
  for (let r = 1; r < leadIds.length; r++) {
    if (!(leadIds[r - 1] < leadIds[r])) {
      throw new DatasetTableError(
        `lead ids out of order or repeated at ${JSON.stringify(leadIds[r])}: parts must not overlap and must come in lead id order`,
      );
    }
  }
  const labels = new Uint8Array(leadIds.length);
  const eventTimes = new Float64Array(leadIds.length);
  let offset = 0;
  for (const part of parts) {
    labels.set(part.labels, offset);
    eventTimes.set(part.eventTimes, offset);
    offset += part.leadIds.length;
  }
  const columns = names.map((name, c) => ({
    name,
    values: parts.flatMap((part) => part.columns[c].values),
  }));
  return { leadIds, labels, eventTimes, columns };
}

/** Row `index` as a features record, every column present (null included). */
export function rowFeatures(table: DatasetTable, index: number): RawFeatures {
  if (!Number.isInteger(index) || index < 0 || index >= table.leadIds.length) {
    throw new RangeError(`row ${index} is not in a table of ${table.leadIds.length} rows`);
  }
  return Object.fromEntries<RawValue>(
    table.columns.map((column) => [column.name, column.values[index]]),
  );
}

/** `undefined` and non-finite numbers stored by a careless caller are missing, as everywhere. */
function canonicalValue(value: RawValue | undefined): RawValue {
  if (value === undefined) return null;
  if (typeof value === 'number' && !Number.isFinite(value)) return null;
  return value;
}
