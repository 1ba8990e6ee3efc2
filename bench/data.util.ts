/**
 * Pure helpers of `npm run bench:data` (run-data.ts): the bank-marketing CSV (its header, the
 * import mapping, a modified copy for a second version), the phases a build was seen in while it
 * was polled, and the RSS of a phase.
 */
import { RssSample, summarizeRss } from './rss.util';

/**
 * The cells of one line of a CSV separated by `sep`, as written (quotes kept): a separator inside
 * "quotes" does not split, `""` inside quotes is an escaped quote.
 */
export function splitCsvLine(line: string, sep = ';'): string[] {
  const cells: string[] = [];
  let start = 0;
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i];
    if (ch === '"') quoted = !quoted;
    else if (ch === sep && !quoted) {
      cells.push(line.slice(start, i));
      start = i + 1;
    }
  }
  cells.push(line.slice(start));
  return cells;
}

/** A cell's value: without its surrounding quotes, `""` read as `"`. */
export function unquote(cell: string): string {
  const trimmed = cell.trim();
  return trimmed.length >= 2 && trimmed.startsWith('"') && trimmed.endsWith('"')
    ? trimmed.slice(1, -1).replace(/""/g, '"')
    : trimmed;
}

/** The column names of a CSV text's first line. */
export function csvHeader(csv: string, sep = ';'): string[] {
  const end = csv.indexOf('\n');
  const first = (end < 0 ? csv : csv.slice(0, end)).replace(/\r$/, '').replace(/^\uFEFF/, '');
  return splitCsvLine(first, sep).map(unquote);
}

/** The outcome column of the bank file and the one left out of the attributes (it leaks `y`). */
export const BANK_OUTCOME_COLUMN = 'y';
export const BANK_LEAKING_COLUMN = 'duration';

export interface BankImportMapping {
  leadIdPrefix: string;
  outcome: { column: string; converted: string[]; lost: string[]; at?: string };
  attributes: string[];
}

/**
 * The import mapping of the bank file: leads `<prefix><row>`, `y` as the outcome, every other
 * column but `duration` as an attribute; `outcomeAtColumn` dates the outcomes from that column
 * (which is then no attribute either).
 */
export function bankImportMapping(
  header: readonly string[],
  { prefix = 'BANK-', outcomeAtColumn }: { prefix?: string; outcomeAtColumn?: string } = {},
): BankImportMapping {
  const left = new Set([BANK_OUTCOME_COLUMN, BANK_LEAKING_COLUMN, outcomeAtColumn]);
  return {
    leadIdPrefix: prefix,
    outcome: {
      column: BANK_OUTCOME_COLUMN,
      converted: ['yes'],
      lost: ['no'],
      ...(outcomeAtColumn ? { at: outcomeAtColumn } : {}),
    },
    attributes: header.filter((column) => !left.has(column)),
  };
}

/** Data row `n` (from 1) is touched by a rule "every `every`-th row" when n is a multiple of it. */
const touched = (n: number, every: number): boolean => every > 0 && n % every === 0;

/** `"yes"` ↔ `"no"` (quotes kept as they were); any other value unchanged. */
export function flipYesNo(cell: string): string {
  const value = unquote(cell).toLowerCase();
  const quoted = cell.trim().startsWith('"');
  const flipped = value === 'yes' ? 'no' : value === 'no' ? 'yes' : null;
  if (flipped === null) return cell;
  return quoted ? `"${flipped}"` : flipped;
}

export interface ModifiedCsv {
  readonly csv: string;
  /** Data rows (the header not counted). */
  readonly rows: number;
  readonly balanceChanged: number;
  readonly labelFlipped: number;
  /** Rows with either change: the rows a comparison should find changed. */
  readonly changedRows: number;
}

/**
 * A copy of the bank CSV where every `balanceEvery`-th data row has its `balance` increased by 1
 * and every `flipEvery`-th row its `y` flipped (yes ↔ no). With `outcomeAt`, a last column
 * `outcomeAtColumn` holding that date is added to every row (so that the outcomes of a re-import
 * keep the date an earlier import gave them).
 */
export function modifyBankCsv(
  csv: string,
  {
    balanceEvery,
    flipEvery,
    outcomeAt,
    outcomeAtColumn = 'outcome_at',
    sep = ';',
  }: {
    balanceEvery: number;
    flipEvery: number;
    outcomeAt?: string;
    outcomeAtColumn?: string;
    sep?: string;
  },
): ModifiedCsv {
  const lines = csv.split('\n');
  const header = csvHeader(csv, sep);
  const balance = header.indexOf('balance');
  const outcome = header.indexOf(BANK_OUTCOME_COLUMN);
  if (balance < 0 || outcome < 0)
    throw new Error(`the CSV has no "balance" or "${BANK_OUTCOME_COLUMN}" column`);
  const out: string[] = [];
  let rows = 0;
  let balanceChanged = 0;
  let labelFlipped = 0;
  let changedRows = 0;
  lines.forEach((raw, index) => {
    const line = raw.replace(/\r$/, '');
    if (index === 0) {
      out.push(outcomeAt === undefined ? line : `${line}${sep}"${outcomeAtColumn}"`);
      return;
    }
    if (line.trim() === '') {
      out.push(line);
      return;
    }
    rows += 1;
    const cells = splitCsvLine(line, sep);
    const moreBalance = touched(rows, balanceEvery);
    const flip = touched(rows, flipEvery);
    if (moreBalance) {
      const value = Number(unquote(cells[balance]));
      if (!Number.isFinite(value)) throw new Error(`row ${rows}: balance ${cells[balance]}`);
      cells[balance] = String(value + 1);
      balanceChanged += 1;
    }
    if (flip) {
      cells[outcome] = flipYesNo(cells[outcome]);
      labelFlipped += 1;
    }
    if (moreBalance || flip) changedRows += 1;
    if (outcomeAt !== undefined) cells.push(`"${outcomeAt}"`);
    out.push(cells.join(sep));
  });
  return { csv: out.join('\n'), rows, balanceChanged, labelFlipped, changedRows };
}

/** Data rows of a CSV text: its non-empty lines after the header. */
export function countDataRows(csv: string): number {
  let rows = 0;
  let start = csv.indexOf('\n') + 1;
  if (start === 0) return 0;
  while (start < csv.length) {
    let end = csv.indexOf('\n', start);
    if (end < 0) end = csv.length;
    if (csv.slice(start, end).trim() !== '') rows += 1;
    start = end + 1;
  }
  return rows;
}

/** One poll of a build: when it answered (ms from the mutation's send) and what it said. */
export interface BuildObservation {
  readonly atMs: number;
  readonly status: string;
  readonly stage: string;
}

/** The phase a poll shows: the status while not running, the stage while RUNNING. */
export function buildPhase(status: string, stage: string): string {
  return status === 'RUNNING' ? stage : status;
}

/** How long a build was seen in one phase, from its first sighting to the next phase's. */
export interface PhaseSpan {
  readonly phase: string;
  readonly fromMs: number;
  readonly ms: number;
}

/**
 * The phases of a build in the order they were first seen, each lasting until the next one was
 * first seen; the last (seen) phase ends at `endMs`. A phase too short to be polled is missing,
 * its time counted in the phase before it. Time before the first sighting is `request`.
 */
export function buildPhases(observations: readonly BuildObservation[], endMs: number): PhaseSpan[] {
  const firsts: { phase: string; atMs: number }[] = [{ phase: 'request', atMs: 0 }];
  for (const o of observations) {
    const phase = buildPhase(o.status, o.stage);
    if (phase !== firsts[firsts.length - 1].phase && !firsts.some((f) => f.phase === phase))
      firsts.push({ phase, atMs: o.atMs });
  }
  return firsts.map((f, i) => {
    const to = i + 1 < firsts.length ? firsts[i + 1].atMs : endMs;
    return { phase: f.phase, fromMs: f.atMs, ms: Math.max(0, to - f.atMs) };
  });
}

/** The RSS around one phase, in MB: the last reading before it starts, and its largest reading. */
export interface PhaseRss {
  readonly beforeMb: number | null;
  readonly maxMb: number | null;
  readonly samples: number;
}

/** The RSS of a phase from `startMs` to `endMs` (the readings' clock) out of a run's readings. */
export function phaseRss(samples: readonly RssSample[], startMs: number, endMs: number): PhaseRss {
  const upToEnd = samples.filter((s) => s.atMs <= endMs);
  const figures = summarizeRss(upToEnd, startMs);
  return {
    beforeMb: figures.warmupEndMb,
    maxMb: figures.maxAfterWarmupMb,
    samples: upToEnd.filter((s) => s.atMs >= startMs).length,
  };
}

/** A goal: the value must be at most (`<=`), below (`<`) or at least (`>=`) the limit. */
export interface Goal {
  readonly op: '<=' | '<' | '>=';
  readonly limit: number;
  readonly unit: string;
}

/** Whether a measured value meets its goal; null when there is no value. */
export function meetsGoal(value: number | null, goal: Goal): boolean | null {
  if (value === null || !Number.isFinite(value)) return null;
  if (goal.op === '>=') return value >= goal.limit;
  return goal.op === '<=' ? value <= goal.limit : value < goal.limit;
}

const GOAL_SIGNS = { '<=': '≤', '<': '<', '>=': '≥' } as const;

export function goalText(goal: Goal): string {
  return `${GOAL_SIGNS[goal.op]} ${goal.limit}${goal.unit ? ` ${goal.unit}` : ''}`;
}
