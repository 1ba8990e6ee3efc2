/**
 * What the benchmarks' reports share: the machine they ran on, the results files, goal rows and
 * the Markdown they print.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, totalmem } from 'node:os';
import { join } from 'node:path';

import { round } from './stats.util';

/** The load average now, rounded. */
export const loadNow = (): number[] => loadavg().map((x) => round(x));

/** Node, CPUs, memory, and the load average at the start and now. */
export function machineInfo(loadBefore: readonly number[]) {
  return {
    node: process.version,
    cpus: cpus().length,
    cpuModel: cpus()[0]?.model ?? '?',
    totalMemMb: Math.round(totalmem() / 1024 / 1024),
    loadBefore,
    loadAfter: loadNow(),
  };
}

/** `<dir>/<name>-<date of results.date>.json` and `<name>-latest.json`; answers the latter. */
export function writeResults(dir: string, name: string, results: { date: string }): string {
  mkdirSync(dir, { recursive: true });
  const json = JSON.stringify(results, null, 2);
  writeFileSync(join(dir, `${name}-${results.date.slice(0, 10)}.json`), json);
  const latest = join(dir, `${name}-latest.json`);
  writeFileSync(latest, json);
  return latest;
}

export interface GoalRow {
  measure: string;
  value: number | null;
  goal: string;
  met: boolean | null;
}

/** `measure: value` of every goal not met (missed, or with no value). */
export function missedGoals(goals: readonly GoalRow[]): string[] {
  return goals.filter((g) => g.met !== true).map((g) => `${g.measure}: ${g.value}`);
}

/** A titled Markdown list, or nothing when there are no items. */
export function listing(title: string, items: readonly string[]): string {
  return items.length === 0 ? '' : `${title}:\n${items.map((item) => `- ${item}`).join('\n')}\n`;
}

/** A number for a table: fixed `digits`, `–` for null and NaN. */
export function fixed(value: number | null | undefined, digits: number): string {
  return value === null || value === undefined || Number.isNaN(value) ? '–' : value.toFixed(digits);
}

/** A whole number with thousands separators, `–` for null and NaN. */
export function thousands(value: number | null | undefined): string {
  return value === null || value === undefined || Number.isNaN(value)
    ? '–'
    : Math.round(value).toLocaleString('en');
}

export function yesNo(met: boolean | null): string {
  return met === null ? '–' : met ? 'yes' : 'NO';
}

/** A Markdown table. */
export function markdownTable(header: readonly string[], rows: readonly (readonly string[])[]) {
  return [
    `| ${header.join(' | ')} |`,
    `|${header.map(() => '---').join('|')}|`,
    ...rows.map((row) => `| ${row.join(' | ')} |`),
  ].join('\n');
}
