/**
 * A window's marker still here this long after the window has lost its writer (requests end long
 * before): the PendingInteractionsSweeper's grace.
 */
export const UNCLAIMED_GRACE_MS = 60_000;

/** A time range [from, until) in ms since the epoch. */
export interface TimeRange {
  readonly from: number;
  readonly until: number;
}

/** The start of the window of `width` ms that holds `at` (windows are aligned on the epoch). */
export function windowStart(at: number, width: number): number {
  return at - (((at % width) + width) % width);
}

/**
 * The ranges covered by these windows, overlapping or touching ones joined, in time order: the
 * sweep reads each range once, however many writers' markers cover it.
 */
export function mergeRanges(windows: readonly TimeRange[]): TimeRange[] {
  const sorted = [...windows].sort((a, b) => a.from - b.from || a.until - b.until);
  const merged: { from: number; until: number }[] = [];
  for (const window of sorted) {
    const last = merged.at(-1);
    if (last && window.from <= last.until) last.until = Math.max(last.until, window.until);
    else merged.push({ from: window.from, until: window.until });
  }
  return merged;
}
