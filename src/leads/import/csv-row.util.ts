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

const NUMBER = /^-?\d+(\.\d+)?$/;

/** Columns the mapping names that the header lacks (reported before anything is imported). */
export function missingColumns(mapping: ImportMapping, header: readonly string[]): string[] {
  const named = [
    mapping.leadId,
    mapping.name,
    mapping.email,
    mapping.ownerId,
    mapping.status,
    mapping.outcome?.column,
  ]
    .concat((mapping.attributes ?? []).filter((column) => column !== '*'))
    .filter((column): column is string => Boolean(column));
  return [...new Set(named)].filter((column) => !header.includes(column));
}

export function mapRow(
  mapping: ImportMapping,
  header: readonly string[],
  values: readonly string[],
  rowNumber: number,
): MappedRow {
  const cell = (column: string | undefined): string | undefined => {
    if (!column) return undefined;
    const value = values[header.indexOf(column)]?.trim();
    return value === undefined || value === '' ? undefined : value;
  };
  const row: MappedRow = {
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
    if (outcome !== undefined && mapping.outcome.converted.some((v) => v.toLowerCase() === outcome))
      row.status = 'CONVERTED';
    else if (outcome !== undefined && mapping.outcome.lost.some((v) => v.toLowerCase() === outcome))
      row.status = 'LOST';
  }
  if (mapping.attributes && mapping.attributes.length > 0) {
    const used = new Set([
      mapping.leadId,
      mapping.name,
      mapping.email,
      mapping.ownerId,
      mapping.status,
      mapping.outcome?.column,
    ]);
    const columns = mapping.attributes.includes('*')
      ? header.filter((column) => !used.has(column))
      : mapping.attributes;
    const attributes: Record<string, unknown> = {};
    for (const column of columns) {
      const value = cell(column);
      if (value !== undefined) attributes[column] = NUMBER.test(value) ? Number(value) : value;
    }
    row.attributes = attributes;
  }
  return row;
}
