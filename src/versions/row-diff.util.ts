import { SAMPLE_SIZE } from '@/ml/dataset/compare-datasets.util';
import type { DatasetTable } from '@/ml/dataset/dataset-table.util';
import type { RawValue } from '@/ml/features/raw-features.util';

/** One row of a dataset version, its values in the order of the version's feature names. */
export interface VersionRow {
  readonly leadId: string;
  readonly label: number;
  readonly eventTime: number;
  readonly values: readonly RawValue[];
}

export function rowAt(table: DatasetTable, i: number): VersionRow {
  return {
    leadId: table.leadIds[i],
    label: table.labels[i],
    eventTime: table.eventTimes[i],
    values: table.columns.map((column) => column.values[i]),
  };
}

/** Rows (ascending by lead id) back into a table with the version's feature names. */
export function tableOfRows(names: readonly string[], rows: readonly VersionRow[]): DatasetTable {
  return {
    leadIds: rows.map((row) => row.leadId),
    labels: Uint8Array.from(rows, (row) => row.label),
    eventTimes: Float64Array.from(rows, (row) => row.eventTime),
    columns: names.map((name, j) => ({ name, values: rows.map((row) => row.values[j] ?? null) })),
  };
}

export interface RowDiffResult {
  readonly added: number;
  readonly removed: number;
  readonly changed: number;
  readonly unchanged: number;
  readonly sampleAdded: string[];
  readonly sampleRemoved: string[];
  readonly sampleChanged: string[];
}

/**
 * Rows of dataset A against rows of B, fed in one merge walk by lead id (ascending), a chunk at a
 * time: the counts compareDatasets gives for whole tables, without holding either. A row is
 * changed when its label, event time or a value of a feature both have differs.
 */
export class RowDiff {
  private readonly shared: readonly (readonly [number, number])[];
  private counts = { added: 0, removed: 0, changed: 0, unchanged: 0 };
  private readonly samples = {
    added: [] as string[],
    removed: [] as string[],
    changed: [] as string[],
  };

  constructor(namesA: readonly string[], namesB: readonly string[]) {
    const inB = new Map(namesB.map((name, j) => [name, j]));
    this.shared = namesA.flatMap((name, i): [number, number][] => {
      const j = inB.get(name);
      return j === undefined ? [] : [[i, j]];
    });
  }

  added(leadId: string): void {
    this.counts.added++;
    this.note(this.samples.added, leadId);
  }

  removed(leadId: string): void {
    this.counts.removed++;
    this.note(this.samples.removed, leadId);
  }

  /** The same lead in both: row i of a chunk of A, row j of a chunk of B. */
  matched(a: DatasetTable, i: number, b: DatasetTable, j: number): void {
    if (this.same(a, i, b, j)) this.counts.unchanged++;
    else {
      this.counts.changed++;
      this.note(this.samples.changed, a.leadIds[i]);
    }
  }

  result(): RowDiffResult {
    return {
      ...this.counts,
      sampleAdded: [...this.samples.added],
      sampleRemoved: [...this.samples.removed],
      sampleChanged: [...this.samples.changed],
    };
  }

  private note(list: string[], leadId: string): void {
    if (list.length < SAMPLE_SIZE) list.push(leadId);
  }

  private same(a: DatasetTable, i: number, b: DatasetTable, j: number): boolean {
    if (a.labels[i] !== b.labels[j] || a.eventTimes[i] !== b.eventTimes[j]) return false;
    for (const [ca, cb] of this.shared) {
      // Values are scalars, so === is value equality; undefined in a stored chunk is null.
      if ((a.columns[ca].values[i] ?? null) !== (b.columns[cb].values[j] ?? null)) return false;
    }
    return true;
  }
}
