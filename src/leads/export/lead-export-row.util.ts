import { stringify } from 'csv-stringify/sync';

import type { LeadModel } from '@/leads/models/lead.model';

/** The formats of `GET /leads/scoring/export`. */
export const EXPORT_FORMATS = ['csv', 'ndjson'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

export const EXPORT_MEDIA_TYPES: Record<ExportFormat, string> = {
  csv: 'text/csv',
  ndjson: 'application/x-ndjson',
};

/** How many factors the CSV's `topFactors` cell lists. */
export const TOP_FACTORS = 3;

/**
 * Fields of the lead view that other work adds (a score's trend, a manual override and the
 * model's own score beside it). Read by name from whatever the view mapper returns, so they fill
 * in once the mapper sets them, with no change here; until then their columns stay empty.
 */
export const OPTIONAL_VIEW_FIELDS = ['trend', 'modelScore', 'override'] as const;
type OptionalField = (typeof OPTIONAL_VIEW_FIELDS)[number];

/** One factor of a score: a weighted-sum term (points) or a trained model's factor (logit). */
export interface ExportFactor {
  readonly feature: string;
  readonly value: string | number | null;
  readonly contribution: number;
}

/** One exported lead: an NDJSON line as it is, a CSV row through `toCsvRow`. */
export interface ExportRecord {
  readonly id: string;
  readonly leadId: string;
  readonly name: string | null;
  readonly email: string | null;
  readonly ownerId: string | null;
  readonly status: string;
  readonly score: number;
  readonly tier: string;
  readonly modelType: string;
  readonly modelId: string;
  readonly modelVersion: number;
  readonly configVersion: number;
  readonly scoredAt: string;
  readonly stale: boolean;
  readonly lastActivityAt: string | null;
  /** `points` (weighted sum: the terms add up to the score) or `logit` (trained models). */
  readonly factorUnit: 'points' | 'logit';
  /** Every factor, largest effect (absolute contribution) first. */
  readonly factors: readonly ExportFactor[];
  readonly trend?: unknown;
  readonly modelScore?: unknown;
  readonly override?: unknown;
}

/** The CSV header, in column order. */
export const CSV_COLUMNS = [
  'id',
  'leadId',
  'name',
  'email',
  'ownerId',
  'status',
  'score',
  'tier',
  'modelType',
  'modelId',
  'modelVersion',
  'configVersion',
  'scoredAt',
  'stale',
  'lastActivityAt',
  'factorUnit',
  'topFactors',
  ...OPTIONAL_VIEW_FIELDS,
] as const;

const iso = (date: Date | string | null | undefined): string | null =>
  date === null || date === undefined ? null : new Date(date).toISOString();

/** The score's factors, largest absolute contribution first (stable for equal ones). */
export function rankedFactors(view: LeadModel): {
  unit: 'points' | 'logit';
  factors: ExportFactor[];
} {
  const trained = view.breakdown.modelType !== 'WEIGHTED_SUM';
  const source: ExportFactor[] = trained
    ? view.breakdown.factors.map(({ feature, value, contribution }) => ({
        feature,
        value,
        contribution,
      }))
    : view.breakdown.terms.map(({ feature, value, contribution }) => ({
        feature,
        value,
        contribution,
      }));
  const factors = source
    .map((factor, index) => ({ factor, index }))
    .sort(
      (a, b) =>
        Math.abs(b.factor.contribution) - Math.abs(a.factor.contribution) || a.index - b.index,
    )
    .map(({ factor }) => factor);
  return { unit: trained ? 'logit' : 'points', factors };
}

/** The lead as the export writes it, from the same view the ranked list answers. */
export function toExportRecord(view: LeadModel): ExportRecord {
  const { unit, factors } = rankedFactors(view);
  const extra = view as unknown as Partial<Record<OptionalField, unknown>>;
  const optional: Partial<Record<OptionalField, unknown>> = {};
  for (const field of OPTIONAL_VIEW_FIELDS) {
    if (extra[field] !== undefined) optional[field] = extra[field];
  }
  return {
    id: view.id,
    leadId: view.leadId,
    name: view.name,
    email: view.email,
    ownerId: view.ownerId,
    status: view.status,
    score: view.score,
    tier: view.tier,
    modelType: view.breakdown.modelType,
    modelId: view.breakdown.modelId,
    modelVersion: view.breakdown.modelVersion,
    configVersion: view.breakdown.configVersion,
    scoredAt: iso(view.breakdown.computedAt)!,
    stale: view.isStale,
    lastActivityAt: iso(view.engagement.lastActivityAt),
    factorUnit: unit,
    factors,
    ...optional,
  };
}

/** `+1.2345`, `-0.5`: the sign always shown, at most 4 decimals. */
export function signed(contribution: number): string {
  const rounded = Math.round(contribution * 10_000) / 10_000;
  return `${rounded >= 0 ? '+' : ''}${rounded}`;
}

/** `feature:+contribution; …` of the first `TOP_FACTORS` factors. */
export function topFactorsText(factors: readonly ExportFactor[]): string {
  return factors
    .slice(0, TOP_FACTORS)
    .map((factor) => `${factor.feature}:${signed(factor.contribution)}`)
    .join('; ');
}

/** A CSV cell: text, a number, or empty (null). Objects (a trend, an override) as compact JSON. */
export type CsvCell = string | number | null;

function cell(value: unknown): CsvCell {
  if (value === null || value === undefined) return null;
  if (typeof value === 'number' || typeof value === 'string') return value;
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  if (value instanceof Date) return value.toISOString();
  return JSON.stringify(value);
}

/**
 * A record as CSV cells in `CSV_COLUMNS` order. Quoting and formula neutralising are the
 * stringifier's (csv-stringify with `escape_formulas`), not done here.
 */
export function toCsvRow(record: ExportRecord): CsvCell[] {
  return CSV_COLUMNS.map((column) =>
    column === 'topFactors' ? topFactorsText(record.factors) : cell(record[column]),
  );
}

/** RFC 4180 (CRLF records, quoted where needed) with spreadsheet formulas neutralised (OWASP). */
const CSV_OPTIONS = {
  record_delimiter: 'windows',
  // csv-stringify quotes a cell holding the record delimiter (CRLF) but not a lone CR or LF,
  // which RFC 4180 readers take as the end of the record: quoted too.
  quoted_match: /[\r\n]/,
  escape_formulas: true,
  columns: [...CSV_COLUMNS],
} as const;

/** CSV text of a chunk of records (with the header row before the first chunk). */
export function csvChunk(records: readonly ExportRecord[], header: boolean): string {
  return stringify(records.map(toCsvRow), { ...CSV_OPTIONS, header });
}

/** One NDJSON line (with its newline). */
export function toNdjsonLine(record: ExportRecord): string {
  return `${JSON.stringify(record)}\n`;
}

/**
 * The format asked for: `format` when given, else the first of the Accept header's media types
 * the route produces (CSV when it names neither, `*\/*` or none).
 */
export function chooseFormat(
  format: ExportFormat | undefined,
  accept: string | undefined,
): ExportFormat {
  if (format) return format;
  const wanted = (accept ?? '')
    .split(',')
    .map((part) => {
      const [type, ...params] = part.trim().toLowerCase().split(';');
      const q = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
      return { type: type.trim(), q: q ? Number(q.slice(2)) : 1 };
    })
    .filter((entry) => entry.q > 0)
    .sort((a, b) => b.q - a.q);
  for (const { type } of wanted) {
    if (type === EXPORT_MEDIA_TYPES.csv) return 'csv';
    if (type === EXPORT_MEDIA_TYPES.ndjson || type === 'application/ndjson') return 'ndjson';
  }
  return 'csv';
}

/** `lead-scores-<tenant>-<yyyy-mm-dd>.<csv|ndjson>` (the date in UTC). */
export function exportFileName(tenantId: string, at: Date, format: ExportFormat): string {
  return `lead-scores-${tenantId}-${at.toISOString().slice(0, 10)}.${format}`;
}
