import { createHash, Hash } from 'node:crypto';

import { compareCodeUnits } from '../common/code-unit-order.util';
import { NormalizedTransformation } from '../transform/transformation-config.util';
import { DatasetTable } from './dataset-table.util';

/** Bumped whenever the canonical form below changes, so old and new hashes never collide. */
export const CONTENT_HASH_VERSION = 'dataset-content-v1';
// Rows are hashed in batches of about this many characters: few update() calls, no giant string.
const FLUSH_CHARS = 1 << 16;

/**
 * sha256 hex over the canonical form of the rows and the normalized transformation: same data and
 * same transformation → same hash, whatever order rows, features or keys arrived in (the table is
 * canonical already); one changed value → a different hash. The form, one line each:
 *   ["dataset-content-v1", [column names...]]
 *   [leadId, label, eventTime, ...values in column order]    (per row, in table order)
 *   the transformation as JSON with keys sorted
 * JSON keeps 1 and "1" apart and writes numbers one way (-0 as 0, missing as null); a newline
 * cannot occur inside a JSON line, so the lines cannot run into each other.
 */
export function datasetContentHash(
  table: DatasetTable,
  transformation: NormalizedTransformation,
): string {
  const hash = createHash('sha256');
  const names = table.columns.map((column) => column.name);
  hash.update(JSON.stringify([CONTENT_HASH_VERSION, names]) + '\n');

  const columns = table.columns.map((column) => column.values);
  let batch = '';
  const row: unknown[] = new Array<unknown>(3 + columns.length);
  for (let r = 0; r < table.leadIds.length; r++) {
    row[0] = table.leadIds[r];
    row[1] = table.labels[r];
    row[2] = table.eventTimes[r];
    for (let c = 0; c < columns.length; c++) row[3 + c] = columns[c][r] ?? null;
    batch += JSON.stringify(row) + '\n';
    if (batch.length >= FLUSH_CHARS) batch = flush(hash, batch);
  }
  flush(hash, batch);

  hash.update(canonicalJson(transformation));
  return hash.digest('hex');
}

function flush(hash: Hash, batch: string): string {
  if (batch.length > 0) hash.update(batch);
  return '';
}

/** JSON with every object's keys in code-unit order. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, inner: unknown) => {
    if (inner === null || typeof inner !== 'object' || Array.isArray(inner)) return inner;
    const entries = Object.entries(inner).sort(([a], [b]) => compareCodeUnits(a, b));
    return Object.fromEntries(entries);
  });
}
