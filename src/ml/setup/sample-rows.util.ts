import { seededRandom } from '../common/random.util';
import { DatasetTable } from '../dataset/dataset-table.util';

/**
 * `maxRows` row indexes drawn without replacement by a seeded partial Fisher–Yates shuffle, then
 * sorted: the same table, cap and seed give the same rows on every machine. Every row, in order,
 * when there are no more than `maxRows`.
 */
export function sampleRowIndexes(rowCount: number, maxRows: number, seed: number): number[] {
  if (!Number.isInteger(maxRows) || maxRows < 2) {
    throw new RangeError(`maxRows must be an integer of at least 2, not ${maxRows}`);
  }
  const rows = Array.from({ length: rowCount }, (_, i) => i);
  if (rowCount <= maxRows) return rows;
  const random = seededRandom(seed);
  for (let i = 0; i < maxRows; i++) {
    const j = i + Math.floor(random() * (rowCount - i));
    const held = rows[i];
    rows[i] = rows[j];
    rows[j] = held;
  }
  return rows.slice(0, maxRows).sort((a, b) => a - b);
}

/** The table's rows at ascending `rows`, every column: still a table (lead ids ascending). */
export function tableRows(table: DatasetTable, rows: readonly number[]): DatasetTable {
  return {
    leadIds: rows.map((row) => table.leadIds[row]),
    labels: Uint8Array.from(rows, (row) => table.labels[row]),
    eventTimes: Float64Array.from(rows, (row) => table.eventTimes[row]),
    columns: table.columns.map((column) => ({
      name: column.name,
      values: rows.map((row) => column.values[row]),
    })),
  };
}
