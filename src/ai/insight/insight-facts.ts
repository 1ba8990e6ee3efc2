/**
 * Facts derived from a lead's numbers, shared by the fallback insight and the prompt: the score's
 * trend over its history, the half-life behind the decay, safe feature names and number words.
 * Pure: the caller passes `now`.
 */
import type { InsightHistoryPoint } from './insight.types';

export const DAY_MS = 86_400_000;

/** How far back the trend looks: the last score against the one about this many days earlier. */
export const TREND_WINDOW_DAYS = 7;

/** A change of less than this many points (either way) is steady. */
export const STEADY_BAND_POINTS = 2;

export interface ScoreTrend {
  readonly direction: 'rising' | 'falling' | 'steady';
  /** The earlier score compared against. */
  readonly from: number;
  /** The current score. */
  readonly to: number;
  /** `to - from`, in hundredths. */
  readonly change: number;
  /** Whole days between the earlier score and now (at least 1). */
  readonly days: number;
}

/**
 * The trend of `score` (the current score, at `now`) against the history: compared with the latest
 * entry at least TREND_WINDOW_DAYS old, or else the oldest entry. Null when there is no entry at
 * least a day old to compare with (or `now` is not a date). Entries with an unreadable date or a
 * non-finite score, or after `now`, are ignored; the rest are taken in time order.
 */
export function scoreTrend(
  history: readonly InsightHistoryPoint[],
  score: number,
  now: string,
): ScoreTrend | null {
  const nowMs = Date.parse(now);
  if (Number.isNaN(nowMs) || !Number.isFinite(score)) return null;
  const points = history
    .map((entry) => ({ at: Date.parse(entry.at), score: entry.score }))
    .filter((p) => !Number.isNaN(p.at) && p.at <= nowMs && Number.isFinite(p.score))
    .sort((a, b) => a.at - b.at);
  if (points.length === 0) return null;
  const target = nowMs - TREND_WINDOW_DAYS * DAY_MS;
  let reference = points[0];
  for (const point of points) if (point.at <= target) reference = point;
  const days = Math.floor((nowMs - reference.at) / DAY_MS);
  if (days < 1) return null;
  const change = round2(score - reference.score);
  const direction =
    change >= STEADY_BAND_POINTS ? 'rising' : change <= -STEADY_BAND_POINTS ? 'falling' : 'steady';
  return { direction, from: reference.score, to: score, change, days };
}

/**
 * The half-life (days, one decimal) behind a weighted-sum decay: decay = 0.5^(days / halfLife), so
 * halfLife = days / -log2(decay). Null when the numbers cannot tell it (active within the last
 * quarter hour, never active, no decay, a trained model's decay of 1).
 */
export function halfLifeDays(
  decayFactor: number,
  daysSinceLastActivity: number | null,
): number | null {
  if (daysSinceLastActivity === null || !(daysSinceLastActivity >= 0.01)) return null;
  if (!(decayFactor > 0 && decayFactor < 1)) return null;
  const halfLife = daysSinceLastActivity / -Math.log2(decayFactor);
  if (!Number.isFinite(halfLife) || halfLife <= 0) return null;
  return Math.round(halfLife * 10) / 10;
}

const MAX_FEATURE_NAME = 40;

/**
 * A feature name reduced to letters, digits, `_`, `.`, `-` and spaces (at most 40 characters), so
 * it can be quoted in a sentence whatever a model's configuration calls it.
 */
export function safeFeatureName(feature: string): string {
  const cleaned = String(feature)
    .replace(/[^A-Za-z0-9_. -]+/g, ' ')
    .replace(/\s+/g, ' ')
    .trim()
    .slice(0, MAX_FEATURE_NAME)
    .trim();
  return cleaned.length > 0 ? cleaned : 'unnamed feature';
}

/** x to hundredths (ties up), never -0. */
export function round2(x: number): number {
  return Math.round(x * 100) / 100 + 0;
}

/** A number in words: at most two decimals, no trailing zeros (79, 40.5, 12.34). */
export function formatNumber(x: number): string {
  if (!Number.isFinite(x)) return '0';
  return String(round2(x));
}

/** "1 email open", "12 email opens". */
export function plural(count: number, singular: string, pluralForm = `${singular}s`): string {
  return `${formatNumber(count)} ${count === 1 ? singular : pluralForm}`;
}

/** A duration in seconds in words: "45 seconds", "10 minutes", "2.5 hours". */
export function formatDuration(seconds: number): string {
  const s = Number.isFinite(seconds) ? Math.max(seconds, 0) : 0;
  if (s < 120) return plural(Math.round(s), 'second');
  if (s < 7200) return plural(Math.round(s / 60), 'minute');
  return plural(Math.round(s / 360) / 10, 'hour');
}

/** "today", "1 day ago", "12 days ago" (whole days, rounded down). */
export function formatDaysAgo(days: number): string {
  const whole = Math.floor(days);
  if (whole < 1) return 'today';
  return `${plural(whole, 'day')} ago`;
}
