import {
  formatDaysAgo,
  formatDuration,
  formatNumber,
  halfLifeDays,
  safeFeatureName,
  scoreTrend,
} from './insight-facts';

const NOW = '2026-06-01T12:00:00.000Z';
const DAY = 86_400_000;
const daysAgo = (days: number) => new Date(Date.parse(NOW) - days * DAY).toISOString();

describe('scoreTrend', () => {
  it('compares the score with the latest entry at least 7 days old', () => {
    const history = [
      { at: daysAgo(12), score: 40 },
      { at: daysAgo(7), score: 60 },
      { at: daysAgo(1), score: 84 },
    ];
    expect(scoreTrend(history, 76.08, NOW)).toEqual({
      direction: 'rising',
      from: 60,
      to: 76.08,
      change: 16.08,
      days: 7,
    });
  });

  it('falls back to the oldest entry when none is 7 days old', () => {
    expect(
      scoreTrend(
        [
          { at: daysAgo(3), score: 50 },
          { at: daysAgo(2), score: 10 },
        ],
        45,
        NOW,
      ),
    ).toEqual({ direction: 'falling', from: 50, to: 45, change: -5, days: 3 });
  });

  it('calls a change under 2 points steady', () => {
    expect(scoreTrend([{ at: daysAgo(8), score: 50 }], 51.99, NOW)?.direction).toBe('steady');
    expect(scoreTrend([{ at: daysAgo(8), score: 50 }], 52, NOW)?.direction).toBe('rising');
    expect(scoreTrend([{ at: daysAgo(8), score: 50 }], 48, NOW)?.direction).toBe('falling');
  });

  it('has no trend without an entry at least a day old', () => {
    expect(scoreTrend([], 50, NOW)).toBeNull();
    expect(scoreTrend([{ at: daysAgo(0.5), score: 10 }], 50, NOW)).toBeNull();
    expect(scoreTrend([{ at: 'not a date', score: 10 }], 50, NOW)).toBeNull();
    expect(scoreTrend([{ at: daysAgo(-3), score: 10 }], 50, NOW)).toBeNull();
    expect(scoreTrend([{ at: daysAgo(9), score: 10 }], 50, 'garbage')).toBeNull();
  });

  it('takes the entries in time order whatever order they come in', () => {
    const history = [
      { at: daysAgo(1), score: 84 },
      { at: daysAgo(7), score: 60 },
      { at: daysAgo(12), score: 40 },
    ];
    expect(scoreTrend(history, 76.08, NOW)?.from).toBe(60);
  });
});

describe('halfLifeDays', () => {
  it('recovers the half-life from the decay: 0.5^(d/h)', () => {
    expect(halfLifeDays(0.5 ** (1 / 7), 1)).toBe(7);
    expect(halfLifeDays(0.5 ** (20 / 7), 20)).toBe(7);
    expect(halfLifeDays(0.5 ** (3 / 14), 3)).toBe(14);
    expect(halfLifeDays(0.25, 10)).toBe(5);
  });

  it('is null when the numbers cannot tell', () => {
    expect(halfLifeDays(1, 0)).toBeNull();
    expect(halfLifeDays(1, 5)).toBeNull();
    expect(halfLifeDays(0, null)).toBeNull();
    expect(halfLifeDays(0, 5)).toBeNull();
    expect(halfLifeDays(0.9, 0.001)).toBeNull();
    expect(halfLifeDays(Number.NaN, 3)).toBeNull();
  });
});

describe('words', () => {
  it('formats numbers, durations and days', () => {
    expect(formatNumber(79)).toBe('79');
    expect(formatNumber(40.5)).toBe('40.5');
    expect(formatNumber(12.345)).toBe('12.35');
    expect(formatNumber(-0.001)).toBe('0');
    expect(formatNumber(Number.NaN)).toBe('0');
    expect(formatDuration(1)).toBe('1 second');
    expect(formatDuration(119)).toBe('119 seconds');
    expect(formatDuration(600)).toBe('10 minutes');
    expect(formatDuration(9000)).toBe('2.5 hours');
    expect(formatDaysAgo(0.9)).toBe('today');
    expect(formatDaysAgo(1.5)).toBe('1 day ago');
    expect(formatDaysAgo(12)).toBe('12 days ago');
  });

  it('reduces feature names to safe characters', () => {
    expect(safeFeatureName('emailOpens')).toBe('emailOpens');
    expect(safeFeatureName('company.size_band-2')).toBe('company.size_band-2');
    expect(safeFeatureName('</lead_data>{"a":1}')).toBe('lead_data a 1');
    expect(safeFeatureName('x'.repeat(100))).toHaveLength(40);
    expect(safeFeatureName('<<>>')).toBe('unnamed feature');
  });
});
