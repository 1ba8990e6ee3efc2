/**
 * A live score change applied to the rows of one page, as the server would order them. Pure: the
 * page (LiveScores) writes the rows back, flashes the row and refetches when told to.
 *
 * The server's order (src/scoring/lead-score-queries.service.ts): SCORE DESC is highest score
 * first, ties by lead id ascending; ASC is the exact reverse. LAST_ACTIVITY does not depend on
 * the score, so a change there never moves a row.
 */
import type { LeadSortField, SortOrder } from './urlState';

export type Tier = 'HOT' | 'WARM' | 'COLD';

export interface LiveRow {
  /** `Lead.id`. */
  id: string;
  score: number;
  tier: Tier;
}

export interface ScoreChange {
  id: string;
  score: number;
  tier: Tier;
  /** Null for a lead's first score. */
  previousScore?: number | null;
}

export interface PageContext {
  sort: LeadSortField;
  order: SortOrder;
  /** No page before this one: nothing ranks above its first row but what is on it. */
  isFirstPage: boolean;
  /** No page after this one. */
  isLastPage: boolean;
}

export interface LiveResult<T extends LiveRow> {
  /** The same array when nothing changed. */
  rows: T[];
  /** The row to highlight (the changed one, when it is on the page). */
  flashed: string | null;
  /** The page's contents may have changed beyond this row: fetch it again. */
  refetch: boolean;
}

type Key = Pick<LiveRow, 'id' | 'score'>;

/** Negative when `a` comes first in the server's order. */
export function compareByScore(a: Key, b: Key, order: SortOrder): number {
  const descending = b.score - a.score || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
  return order === 'DESC' ? descending : -descending;
}

type Place = 'before' | 'within' | 'after';

/** Where a lead with this key falls relative to the page's rows. */
function placeOf(key: Key, rows: readonly Key[], page: PageContext): Place {
  if (rows.length === 0) return 'within';
  if (!page.isFirstPage && compareByScore(key, rows[0], page.order) < 0) return 'before';
  if (!page.isLastPage && compareByScore(key, rows[rows.length - 1], page.order) > 0)
    return 'after';
  return 'within';
}

export function applyScoreChange<T extends LiveRow>(
  rows: readonly T[],
  change: ScoreChange,
  page: PageContext,
): LiveResult<T> {
  const index = rows.findIndex((row) => row.id === change.id);
  if (index < 0) return offPage(rows, change, page);

  const current = rows[index];
  const updated: T = { ...current, score: change.score, tier: change.tier };
  if (page.sort !== 'SCORE') {
    const next = rows.slice();
    next[index] = updated;
    return { rows: next, flashed: change.id, refetch: false };
  }

  const others = rows.filter((_, i) => i !== index);
  let at = others.findIndex((row) => compareByScore(updated, row, page.order) < 0);
  if (at < 0) at = others.length;
  const next = [...others.slice(0, at), updated, ...others.slice(at)];

  // Now first (or last) and moved that way: it may belong to the page before (or after).
  const direction = compareByScore(updated, current, page.order);
  const leavesUp = !page.isFirstPage && at === 0 && direction < 0;
  const leavesDown = !page.isLastPage && at === others.length && direction > 0;
  return { rows: next, flashed: change.id, refetch: leavesUp || leavesDown };
}

/**
 * A lead not on the page: ignored, unless it now belongs on it, or it crossed the page (from a
 * page before to one after, or the reverse), which shifts every row of it by one.
 */
function offPage<T extends LiveRow>(
  rows: readonly T[],
  change: ScoreChange,
  page: PageContext,
): LiveResult<T> {
  const unchanged = { rows: rows as T[], flashed: null, refetch: false };
  if (page.sort !== 'SCORE') return unchanged;
  const now = placeOf(change, rows, page);
  if (now === 'within') return { ...unchanged, refetch: true };
  // A lead scored for the first time was not ranked before: it shifts the pages after it.
  const before =
    change.previousScore == null
      ? 'after'
      : placeOf({ id: change.id, score: change.previousScore }, rows, page);
  return { ...unchanged, refetch: before !== now };
}
