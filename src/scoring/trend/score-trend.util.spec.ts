import { nextTrendPoints, ScoreTrend, trendOf, TrendPoint } from './score-trend.util';

const DAY = 86_400_000;
const NOW = new Date('2025-03-15T12:00:00.000Z');
const daysAgo = (days: number): number => NOW.getTime() - days * DAY;
const point = (days: number, score: number): TrendPoint => ({ at: daysAgo(days), score });
const settings = { windowDays: 14, minChange: 5 };

describe('trendOf', () => {
  it.each([
    // points, current → trend; the window starts 14 days ago, the threshold is 5 points
    [[point(20, 40)], 45, ScoreTrend.IMPROVING], // +5: the threshold counts
    [[point(20, 40)], 44.99, ScoreTrend.STEADY],
    [[point(20, 40)], 35, ScoreTrend.DECLINING], // −5
    [[point(20, 40)], 35.01, ScoreTrend.STEADY],
    // the score at the start is the last point at or before it, not the first of the window
    [[point(30, 10), point(15, 60), point(3, 90)], 62, ScoreTrend.STEADY],
    [[point(30, 10), point(14, 60), point(3, 90)], 70, ScoreTrend.IMPROVING],
    // a spike inside the window does not count: only the ends do
    [[point(16, 50), point(7, 95), point(1, 52)], 52, ScoreTrend.STEADY],
  ])('%j now %d → %s', (points, current, expected) => {
    expect(trendOf({ points, current, now: NOW, settings })).toBe(expected);
  });

  it('is NOT_ENOUGH_DATA for a lead first scored inside the window, or with no points', () => {
    expect(
      trendOf({ points: [point(13.9, 10), point(1, 80)], current: 80, now: NOW, settings }),
    ).toBe(ScoreTrend.NOT_ENOUGH_DATA);
    expect(trendOf({ points: [], current: 50, now: NOW, settings })).toBe(
      ScoreTrend.NOT_ENOUGH_DATA,
    );
    expect(trendOf({ points: undefined, current: 50, now: NOW, settings })).toBe(
      ScoreTrend.NOT_ENOUGH_DATA,
    );
  });

  it('is STEADY for a lead whose score has not moved since before the window', () => {
    expect(trendOf({ points: [point(40, 33)], current: 33, now: NOW, settings })).toBe(
      ScoreTrend.STEADY,
    );
  });

  it('follows the window and threshold it is given', () => {
    const points = [point(10, 40), point(2, 48)];
    expect(trendOf({ points, current: 48, now: NOW, settings })).toBe(ScoreTrend.NOT_ENOUGH_DATA);
    // 7 days: the start's score is the 40 of 10 days ago; 1 day: the 48 of 2 days ago
    expect(
      trendOf({ points, current: 48, now: NOW, settings: { windowDays: 7, minChange: 5 } }),
    ).toBe(ScoreTrend.IMPROVING);
    expect(
      trendOf({ points, current: 48, now: NOW, settings: { windowDays: 1, minChange: 5 } }),
    ).toBe(ScoreTrend.STEADY);
    expect(
      trendOf({ points, current: 48, now: NOW, settings: { windowDays: 10, minChange: 5 } }),
    ).toBe(ScoreTrend.IMPROVING);
    expect(
      trendOf({ points, current: 48, now: NOW, settings: { windowDays: 10, minChange: 10 } }),
    ).toBe(ScoreTrend.STEADY);
  });
});

describe('nextTrendPoints', () => {
  const at = (iso: string): number => new Date(iso).getTime();

  it('starts a series', () => {
    expect(nextTrendPoints(undefined, { at: at('2025-03-01T10:00:00Z'), score: 20 }, 14)).toEqual([
      { at: at('2025-03-01T10:00:00Z'), score: 20 },
    ]);
  });

  it('keeps one point per UTC day, the last', () => {
    const points = [
      { at: at('2025-03-01T10:00:00Z'), score: 20 },
      { at: at('2025-03-02T01:00:00Z'), score: 25 },
    ];
    expect(nextTrendPoints(points, { at: at('2025-03-02T23:59:00Z'), score: 31 }, 14)).toEqual([
      { at: at('2025-03-01T10:00:00Z'), score: 20 },
      { at: at('2025-03-02T23:59:00Z'), score: 31 },
    ]);
  });

  it('drops what no window can need: points before the last one at or before the horizon', () => {
    // horizon: 2025-03-20T00:00Z − 14 days = 2025-03-06T00:00Z
    const points = [
      { at: at('2025-03-01T00:00:00Z'), score: 10 },
      { at: at('2025-03-05T00:00:00Z'), score: 20 },
      { at: at('2025-03-06T00:00:00Z'), score: 30 },
      { at: at('2025-03-10T00:00:00Z'), score: 40 },
    ];
    expect(nextTrendPoints(points, { at: at('2025-03-20T00:00:00Z'), score: 50 }, 14)).toEqual([
      { at: at('2025-03-06T00:00:00Z'), score: 30 },
      { at: at('2025-03-10T00:00:00Z'), score: 40 },
      { at: at('2025-03-20T00:00:00Z'), score: 50 },
    ]);
  });

  it('keeps the series bounded: a point a day for a year keeps window + 2 points at most', () => {
    let points: TrendPoint[] = [];
    for (let day = 0; day < 365; day++)
      points = nextTrendPoints(points, { at: day * DAY + 3_600_000, score: day % 100 }, 14);
    expect(points.length).toBeLessThanOrEqual(16);
    expect(points[points.length - 1]).toEqual({ at: 364 * DAY + 3_600_000, score: 64 });
  });

  it('ignores points newer than the one written (a clock that went back)', () => {
    const points = [{ at: at('2025-03-05T00:00:00Z'), score: 20 }];
    expect(nextTrendPoints(points, { at: at('2025-03-04T00:00:00Z'), score: 30 }, 14)).toEqual([
      { at: at('2025-03-04T00:00:00Z'), score: 30 },
    ]);
  });
});
