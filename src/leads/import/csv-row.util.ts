import { findJsonProblems } from '@/common/validation/json-bounds.util';
import type { JsonInputLimits } from '@/config/app-config';

import { LeadOutcomeValue } from '../schemas/lead.schema';
import type { ImportMapping } from './import-mapping';

/** A lead as read from one CSV row, before validation. Pure. */
export interface MappedRow {
  leadId: string;
  name?: string;
  email?: string;
  ownerId?: string;
  status?: string;
  attributes?: Record<string, unknown>;
}

/** The outcome a row's outcome column gives (a label), with the cell of its date column if any. */
export interface MappedOutcome {
  outcome: LeadOutcomeValue;
  at?: string;
}

const NUMBER = /^-?\d+(\.\d+)?$/;

/** Columns the mapping names that the header lacks (reported before anything is imported). */
export function missingColumns(mapping: ImportMapping, header: readonly string[]): string[] {
  const named = [...fieldColumns(mapping)]
    .concat((mapping.attributes ?? []).filter((column) => column !== '*'))
    .filter((column): column is string => Boolean(column));
  return [...new Set(named)].filter((column) => !header.includes(column));
}

/** The columns of lead fields; `"*"` in `attributes` takes every other column. */
function fieldColumns(mapping: ImportMapping): Set<string | undefined> {
  return new Set([
    mapping.leadId,
    mapping.name,
    mapping.email,
    mapping.ownerId,
    mapping.status,
    mapping.outcome?.column,
    mapping.outcome?.at,
  ]);
}

/**
 * The columns stored as attributes and their positions: those listed, in their order (the first
 * column of that name), or with `"*"` every column not mapped to a lead field, in header order.
 */
function attributeColumns(
  mapping: ImportMapping,
  header: readonly string[],
): { column: string; index: number }[] {
  const listed = mapping.attributes ?? [];
  if (listed.includes('*')) {
    const used = fieldColumns(mapping);
    return header
      .map((column, index) => ({ column, index }))
      .filter(({ column }) => !used.has(column));
  }
  return [...new Set(listed)]
    .map((column) => ({ column, index: header.indexOf(column) }))
    .filter(({ index }) => index >= 0);
}

export interface BadAttributeColumn {
  /** Position in the header, from 0. */
  readonly index: number;
  readonly column: string;
  readonly problem: string;
}

/**
 * The attribute columns whose header could not be a field name of `attributes` under the rules of
 * free-form JSON input (no leading `$`, no `.`, no NUL, no prototype names, not empty, not longer
 * than JSON_MAX_KEY_LENGTH): the rules of MongoDB 8, which the local engine does not enforce, and
 * more. A header becomes the key unchanged, so one such header would fail every row: the upload is
 * refused before anything is staged instead. Columns mapped to lead fields may have any name.
 */
export function badAttributeColumns(
  mapping: ImportMapping,
  header: readonly string[],
  limits: JsonInputLimits,
): BadAttributeColumn[] {
  // Only the key rules apply to a name; the size of a whole row is each row's own check.
  const keyRules = { ...limits, maxBytes: Number.MAX_SAFE_INTEGER };
  return attributeColumns(mapping, header).flatMap(({ column, index }) => {
    const [problem] = findJsonProblems(Object.fromEntries([[column, null]]), keyRules, 1);
    return problem ? [{ index, column, problem: problem.message }] : [];
  });
}

export function mapRow(
  mapping: ImportMapping,
  header: readonly string[],
  values: readonly string[],
  rowNumber: number,
): MappedRow & { outcome?: MappedOutcome } {
  const cell = (column: string | undefined): string | undefined => {
    if (!column) return undefined;
    const value = values[header.indexOf(column)]?.trim();
    return value === undefined || value === '' ? undefined : value;
  };
  const row: MappedRow & { outcome?: MappedOutcome } = {
    leadId: mapping.leadId
      ? (cell(mapping.leadId) ?? '')
      : `${mapping.leadIdPrefix ?? 'ROW-'}${rowNumber}`,
  };
  const name = cell(mapping.name);
  if (name !== undefined) row.name = name;
  const email = cell(mapping.email);
  if (email !== undefined) row.email = email.toLowerCase();
  const ownerId = cell(mapping.ownerId);
  if (ownerId !== undefined) row.ownerId = ownerId;
  const status = cell(mapping.status);
  if (status !== undefined) row.status = status.toUpperCase();
  if (mapping.outcome) {
    const outcome = cell(mapping.outcome.column)?.toLowerCase();
    let value: LeadOutcomeValue | undefined;
    if (outcome !== undefined && mapping.outcome.converted.some((v) => v.toLowerCase() === outcome))
      value = LeadOutcomeValue.CONVERTED;
    else if (outcome !== undefined && mapping.outcome.lost.some((v) => v.toLowerCase() === outcome))
      value = LeadOutcomeValue.LOST;
    if (value) {
      row.status = value;
      const at = cell(mapping.outcome.at);
      row.outcome = at === undefined ? { outcome: value } : { outcome: value, at };
    }
  }
  if (mapping.attributes && mapping.attributes.length > 0) {
    const entries: [string, unknown][] = [];
    for (const { column, index } of attributeColumns(mapping, header)) {
      const value = values[index]?.trim();
      if (value !== undefined && value !== '')
        entries.push([column, NUMBER.test(value) ? Number(value) : value]);
    }
    // Own properties whatever the name: `attributes["__proto__"] = v` would set no key at all and
    // hide the column from validation.
    row.attributes = Object.fromEntries(entries);
  }
  return row;
}
