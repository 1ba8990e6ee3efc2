/**
 * A lead's score trend, as Dynamics 365 shows it beside the score. Pure: the points come with the
 * stored score (maintained on every score write by `nextTrendPoints`), so a page of 50 leads needs
 * no history read at all.
 *
 * The rule (README "Score trend"):
 * - the series is the model's score (an override pins what is shown, not how the lead engages),
 *   one point per score history entry, at day resolution (the last point of each UTC day);
 * - the score at the window's start is the last point at or before `now - windowDays`; a lead
 *   with no such point (scored first inside the window, or with no points kept) is
 *   NOT_ENOUGH_DATA;
 * - change = current model score − score at the window's start; ≥ +minChange IMPROVING,
 *   ≤ −minChange DECLINING, else STEADY.
 * Comparing the ends rather than fitting a slope keeps the rule explainable ("up 12 points in 14
 * days") and a single spike inside the window does not flip it.
 */
export enum ScoreTrend {
  IMPROVING = 'IMPROVING',
  STEADY = 'STEADY',
  DECLINING = 'DECLINING',
  NOT_ENOUGH_DATA = 'NOT_ENOUGH_DATA',
}

/** One point of the series: epoch milliseconds (JSON- and Redis-safe) and the model's score. */
export interface TrendPoint {
  readonly at: number;
  readonly score: number;
}

export interface TrendSettings {
  readonly windowDays: number;
  readonly minChange: number;
}

export const DEFAULT_TREND_SETTINGS: TrendSettings = { windowDays: 14, minChange: 5 };

const DAY_MS = 86_400_000;

export function trendOf({
  points,
  current,
  now,
  settings,
}: {
  points: readonly TrendPoint[] | undefined;
  current: number;
  now: Date;
  settings: TrendSettings;
}): ScoreTrend {
  const start = now.getTime() - settings.windowDays * DAY_MS;
  let atStart: TrendPoint | undefined;
  for (const point of points ?? []) if (point.at <= start) atStart = point;
  if (!atStart) return ScoreTrend.NOT_ENOUGH_DATA;
  const change = current - atStart.score;
  if (change >= settings.minChange) return ScoreTrend.IMPROVING;
  if (change <= -settings.minChange) return ScoreTrend.DECLINING;
  return ScoreTrend.STEADY;
}

/**
 * The points after a new one: a point of the same UTC day as the last replaces it; points before
 * the last one at or before `at - keepDays` are dropped (nothing can need them: the window only
 * moves forward). So at most keepDays + 2 points are kept.
 */
export function nextTrendPoints(
  points: readonly TrendPoint[] | undefined,
  point: TrendPoint,
  keepDays: number,
): TrendPoint[] {
  const kept = (points ?? []).filter((p) => p.at <= point.at);
  const last = kept[kept.length - 1];
  if (last && Math.floor(last.at / DAY_MS) === Math.floor(point.at / DAY_MS)) kept.pop();
  kept.push({ at: point.at, score: point.score });
  const horizon = point.at - keepDays * DAY_MS;
  let anchor = -1;
  kept.forEach((p, i) => {
    if (p.at <= horizon) anchor = i;
  });
  return anchor > 0 ? kept.slice(anchor) : kept;
}
