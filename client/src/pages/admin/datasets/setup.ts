/** Guided model setup: the profile's states, flags by column, and the admin's column choices. */
import type {
  AdminSetupFlagFragment,
  AdminSetupRecommendationFragment,
  ApplySetupInput,
  ColumnRole,
  DatasetProfileStatus,
  SetupSource,
} from '../../../gql/graphql';

/** PENDING (queued for a worker) and RUNNING: ask again until READY or FAILED. */
export function isProfiling(status: DatasetProfileStatus): boolean {
  return status === 'PENDING' || status === 'RUNNING';
}

export const ROLE_LABEL: Record<ColumnRole, string> = {
  IDENTIFIER: 'Identifier',
  CONSTANT: 'Constant',
  FREE_TEXT: 'Free text',
  DATE: 'Date',
  NUMERIC: 'Numeric',
  CATEGORICAL: 'Categorical',
  LABEL: 'Label',
};

export const SOURCE_LABEL: Record<SetupSource, string> = {
  DETERMINISTIC: 'Deterministic',
  AI: 'AI',
};

/** The flags of each column, possible leakage first. */
export function flagsByColumn(
  flags: readonly AdminSetupFlagFragment[],
): Map<string, AdminSetupFlagFragment[]> {
  const byColumn = new Map<string, AdminSetupFlagFragment[]>();
  for (const flag of sortFlags(flags)) {
    const list = byColumn.get(flag.column) ?? [];
    list.push(flag);
    byColumn.set(flag.column, list);
  }
  return byColumn;
}

/** Possible leakage first, then removal proposals; by column name within each. */
export function sortFlags(flags: readonly AdminSetupFlagFragment[]): AdminSetupFlagFragment[] {
  const rank = (flag: AdminSetupFlagFragment) => (flag.kind === 'POSSIBLE_LEAKAGE' ? 0 : 1);
  return [...flags].sort((a, b) => rank(a) - rank(b) || a.column.localeCompare(b.column));
}

/** One column of the version as a recommendation decides it. */
export interface ColumnChoice {
  name: string;
  role: ColumnRole;
  reason: string;
  /** The recommendation uses it. */
  recommended: boolean;
  /** A copy of the label: the API refuses to keep it. */
  locked: boolean;
}

/** Every feature column of a recommendation (used and left out), by name. */
export function columnChoices(recommendation: AdminSetupRecommendationFragment): ColumnChoice[] {
  const choices = [
    ...recommendation.included.map((d) => ({ ...d, recommended: true })),
    ...recommendation.excluded.map((d) => ({ ...d, recommended: false })),
  ].map((d) => ({ ...d, locked: d.role === 'LABEL' }));
  return choices.sort((a, b) => a.name.localeCompare(b.name));
}

/** The columns a recommendation uses. */
export function recommendedColumns(recommendation: AdminSetupRecommendationFragment): Set<string> {
  return new Set(recommendation.included.map((d) => d.name));
}

/**
 * applySetup's input from the columns the admin ticked: those the recommendation leaves out become
 * keepColumns, those it uses that are unticked become excludeColumns (each list only when not
 * empty, in name order).
 */
export function toApplyInput(
  source: SetupSource,
  recommendation: AdminSetupRecommendationFragment,
  used: ReadonlySet<string>,
): ApplySetupInput {
  const recommended = recommendedColumns(recommendation);
  const keepColumns = [...used].filter((name) => !recommended.has(name)).sort();
  const excludeColumns = [...recommended].filter((name) => !used.has(name)).sort();
  const input: ApplySetupInput = { source };
  if (keepColumns.length > 0) input.keepColumns = keepColumns;
  if (excludeColumns.length > 0) input.excludeColumns = excludeColumns;
  return input;
}

/** A share from 0 to 1 as a percentage, or a dash. */
export function formatShare(value: number | null | undefined): string {
  return value === null || value === undefined ? '—' : `${(value * 100).toFixed(0)}%`;
}

/** A JSON value in words: lists joined, strings unquoted, objects as JSON. */
function describeValue(value: unknown): string {
  if (value === null || value === undefined) return 'none';
  if (Array.isArray(value))
    return value.length === 0 ? 'none' : value.map(describeValue).join(', ');
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return JSON.stringify(value);
}

/** A SetupChoice's value (JSON) as words; text that is not JSON as it is. */
export function formatChoiceValue(json: string): string {
  try {
    return describeValue(JSON.parse(json));
  } catch {
    return json;
  }
}

/** A model proposal's params as "name: value" items, in name order. */
export function formatParams(params: Record<string, unknown>): string[] {
  return Object.keys(params)
    .sort()
    .map((key) => `${key}: ${describeValue(params[key])}`);
}
