/** Formatting shared by every page: one place decides how numbers and times read. */

const numberFormat = new Intl.NumberFormat('en-US', { maximumFractionDigits: 1 });
const integerFormat = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });

export function formatScore(score: number): string {
  return numberFormat.format(score);
}

export function formatInteger(value: number): string {
  return integerFormat.format(value);
}

export function formatPercent(ratio: number, digits = 1): string {
  return `${(ratio * 100).toFixed(digits)}%`;
}

/** 75 s → "1m 15s", 7260 s → "2h 1m". */
export function formatDuration(seconds: number): string {
  const s = Math.round(seconds);
  if (s < 60) return `${s}s`;
  const minutes = Math.floor(s / 60);
  if (minutes < 60) return `${minutes}m ${s % 60}s`;
  const hours = Math.floor(minutes / 60);
  return `${hours}h ${minutes % 60}m`;
}

const relative = new Intl.RelativeTimeFormat('en-US', { numeric: 'auto' });
const UNITS: [Intl.RelativeTimeFormatUnit, number][] = [
  ['year', 365 * 24 * 3600],
  ['month', 30 * 24 * 3600],
  ['week', 7 * 24 * 3600],
  ['day', 24 * 3600],
  ['hour', 3600],
  ['minute', 60],
  ['second', 1],
];

/** "3 minutes ago", "yesterday"; `now` for tests. */
export function formatRelative(iso: string, now: number = Date.now()): string {
  const diffSeconds = (Date.parse(iso) - now) / 1000;
  const abs = Math.abs(diffSeconds);
  if (abs < 45) return 'just now';
  for (const [unit, size] of UNITS) {
    if (abs >= size || unit === 'second')
      return relative.format(Math.round(diffSeconds / size), unit);
  }
  return relative.format(0, 'second');
}

const exact = new Intl.DateTimeFormat('en-US', { dateStyle: 'medium', timeStyle: 'medium' });

export function formatExact(iso: string): string {
  return exact.format(new Date(iso));
}
