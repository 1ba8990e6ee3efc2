import { seededRandom, shuffleInPlace } from '../common/random.util';
import { splitRows } from './split.util';

const times = (values: number[]) => Float64Array.from(values);
const labels = (values: number[]) => Uint8Array.from(values);

/** n rows at one time (so never time-ordered), the first `positives` of them labelled 1. */
function sameTimeRows(
  n: number,
  positives: number,
): { eventTimes: Float64Array; labels: Uint8Array } {
  const y = new Uint8Array(n);
  y.fill(1, 0, positives);
  return { eventTimes: new Float64Array(n), labels: y };
}

describe('splitRows, by time', () => {
  it('puts the latest ceil(testFraction·n) rows in test', () => {
    // 10 distinct times; ceil(0.2·10) = 2 latest: time 100 (row 9) and 90 (row 5). Cutoff 90.
    // Test labels: row 5 → 1, row 9 → 0; train rows 0–4, 6–8 hold both classes.
    const split = splitRows({
      eventTimes: times([50, 10, 40, 20, 30, 90, 60, 80, 70, 100]),
      labels: labels([0, 1, 0, 1, 0, 1, 0, 1, 0, 0]),
    });
    expect(split.method).toBe('TIME');
    expect(split.test).toEqual([5, 9]);
    expect(split.train).toEqual([0, 1, 2, 3, 4, 6, 7, 8]);
    expect(split.cutoff).toBe(90);
    expect(split.reason).toMatch(/time-ordered/);
  });

  it('rounds the test size up', () => {
    // ceil(0.25·10) = ceil(2.5) = 3 latest: rows 7, 8, 9 (times 8, 9, 10). Cutoff 8.
    const split = splitRows({
      eventTimes: times([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]),
      labels: labels([0, 1, 0, 1, 0, 1, 0, 1, 0, 1]),
      testFraction: 0.25,
    });
    expect(split.test).toEqual([7, 8, 9]);
    expect(split.cutoff).toBe(8);
  });

  it('never splits rows tied at the cutoff time', () => {
    // Sorted by (time, index): rows 0–6 (times 1–7), row 7 (8), row 8 (8), row 9 (9). The 2
    // latest are rows 8 and 9, but row 7 shares row 8's time 8, so it joins the test: 3 rows.
    const split = splitRows({
      eventTimes: times([1, 2, 3, 4, 5, 6, 7, 8, 8, 9]),
      labels: labels([1, 0, 1, 0, 1, 0, 0, 1, 0, 1]),
    });
    expect(split.method).toBe('TIME');
    expect(split.test).toEqual([7, 8, 9]);
    expect(split.train).toEqual([0, 1, 2, 3, 4, 5, 6]);
    expect(split.cutoff).toBe(8);
    expect(split.reason).toMatch(/widened from 2 to keep tied times together/);
  });

  it('takes exactly half as many distinct times as rows as time-ordered', () => {
    // 4 rows, 2 distinct times (2 ≥ 4/2). ceil(0.2·4) = 1 latest: row 3 (time 2), widened to
    // row 2 (time 2 too). Test rows 2, 3 (labels 1, 0); train rows 0, 1 (labels 0, 1).
    const split = splitRows({ eventTimes: times([1, 1, 2, 2]), labels: labels([0, 1, 1, 0]) });
    expect(split.method).toBe('TIME');
    expect(split.test).toEqual([2, 3]);
    expect(split.train).toEqual([0, 1]);
    expect(split.cutoff).toBe(2);
  });
});

describe('splitRows, falling back to stratified', () => {
  it('when fewer than half the times are distinct', () => {
    // 3 distinct times for 10 rows: 3 < 5.
    const split = splitRows({
      eventTimes: times([1, 1, 1, 2, 2, 2, 3, 3, 3, 3]),
      labels: labels([0, 1, 0, 1, 0, 1, 0, 1, 0, 1]),
    });
    expect(split.method).toBe('STRATIFIED');
    expect(split.cutoff).toBeNull();
    expect(split.reason).toMatch(/only 3 distinct event times for 10 rows/);
  });

  it('when the time split’s test has one class', () => {
    // Latest 2 rows (8, 9) are both 1.
    const split = splitRows({
      eventTimes: times([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]),
      labels: labels([0, 1, 0, 0, 0, 1, 0, 0, 1, 1]),
    });
    expect(split.method).toBe('STRATIFIED');
    expect(split.cutoff).toBeNull();
    expect(split.reason).toMatch(/test rows \(2\) have only class 1/);
    // Stratified: positives 4 → round(0.8) = 1 test; negatives 6 → round(1.2) = 1 test.
    expect(split.test.filter((row) => [1, 5, 8, 9].includes(row))).toHaveLength(1);
    expect(split.test).toHaveLength(2);
  });

  it('when the time split’s train has one class', () => {
    // Test rows 8, 9 (labels 1, 0) hold both classes, but train rows 0–7 are all 0.
    const split = splitRows({
      eventTimes: times([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]),
      labels: labels([0, 0, 0, 0, 0, 0, 0, 0, 1, 0]),
    });
    expect(split.method).toBe('STRATIFIED');
    expect(split.reason).toMatch(/train rows \(8\) have only class 0/);
  });

  it('when an event time is missing', () => {
    const split = splitRows({
      eventTimes: times([0, 1, NaN, 3, 4, 5]),
      labels: labels([0, 1, 0, 1, 0, 1]),
    });
    expect(split.method).toBe('STRATIFIED');
    expect(split.reason).toMatch(/1 of 6 rows have no event time/);
  });
});

describe('splitRows, stratified', () => {
  it('takes round(testFraction·count) of each class', () => {
    // 20 positives → round(0.2·20) = 4 test; 80 negatives → round(0.2·80) = 16 test.
    const rows = sameTimeRows(100, 20);
    const split = splitRows(rows);
    expect(split.method).toBe('STRATIFIED');
    expect(split.test).toHaveLength(20);
    expect(split.test.filter((row) => rows.labels[row] === 1)).toHaveLength(4);
    expect(split.train.filter((row) => rows.labels[row] === 1)).toHaveLength(16);
    expect(split.train).toHaveLength(80);
    expect([...split.train, ...split.test].sort((a, b) => a - b)).toEqual(
      Array.from({ length: 100 }, (_, i) => i),
    );
    for (const side of [split.train, split.test]) {
      expect([...side].sort((a, b) => a - b)).toEqual(side);
    }
  });

  it('rounds halves up', () => {
    // 0.25·10 negatives = 2.5 → 3; 0.25·2 positives = 0.5 → 1. Test 4 rows.
    const rows = sameTimeRows(12, 2);
    const split = splitRows({ ...rows, testFraction: 0.25 });
    expect(split.test).toHaveLength(4);
    expect(split.test.filter((row) => rows.labels[row] === 1)).toHaveLength(1);
  });

  it('keeps at least one row of a class of ≥ 2 on each side', () => {
    // 2 positives: 0.2·2 = 0.4 → 0, raised to 1; 0.9·2 = 1.8 → 2, lowered to 1.
    const rows = sameTimeRows(10, 2);
    for (const testFraction of [0.2, 0.9]) {
      const split = splitRows({ ...rows, testFraction });
      expect(split.test.filter((row) => rows.labels[row] === 1)).toHaveLength(1);
      expect(split.train.filter((row) => rows.labels[row] === 1)).toHaveLength(1);
    }
  });

  it('keeps a class of one row in train, and never leaves test empty', () => {
    // 1 positive (row 0) stays in train; 9 negatives → round(1.8) = 2 test.
    const split = splitRows(sameTimeRows(10, 1));
    expect(split.train).toContain(0);
    expect(split.test).toHaveLength(2);
    // One row per class: the later row (1) is test.
    const pair = splitRows(sameTimeRows(2, 1));
    expect(pair).toMatchObject({ method: 'STRATIFIED', train: [0], test: [1] });
  });

  it('shuffles each class with seededRandom(seed), negatives first, and tests the first ones', () => {
    // Rows 0–4 positive, 5–19 negative: 1 positive and 3 negatives in test.
    const rows = sameTimeRows(20, 5);
    const random = seededRandom(7);
    const negatives = shuffleInPlace(
      [5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19],
      random,
    );
    const positives = shuffleInPlace([0, 1, 2, 3, 4], random);
    const expected = [...negatives.slice(0, 3), ...positives.slice(0, 1)].sort((a, b) => a - b);
    expect(splitRows({ ...rows, seed: 7 }).test).toEqual(expected);
  });

  it('is deterministic for a seed and differs across seeds', () => {
    const rows = sameTimeRows(100, 20);
    const first = splitRows({ ...rows, seed: 1 });
    expect(splitRows({ ...rows, seed: 1 })).toEqual(first);
    expect(splitRows({ ...rows, seed: 2 }).test).not.toEqual(first.test);
    expect(splitRows(rows)).toEqual(splitRows({ ...rows, seed: 42 }));
  });
});

describe('splitRows, refusals', () => {
  it('refuses a testFraction outside (0, 1)', () => {
    const rows = sameTimeRows(10, 5);
    for (const testFraction of [0, 1, -0.1, 1.5, NaN]) {
      expect(() => splitRows({ ...rows, testFraction })).toThrow(RangeError);
    }
  });

  it('refuses fewer than 2 rows, mismatched lengths and labels other than 0 or 1', () => {
    expect(() => splitRows(sameTimeRows(1, 1))).toThrow(RangeError);
    expect(() => splitRows(sameTimeRows(0, 0))).toThrow(RangeError);
    expect(() => splitRows({ eventTimes: times([1, 2, 3]), labels: labels([0, 1]) })).toThrow(
      RangeError,
    );
    expect(() => splitRows({ eventTimes: times([1, 2]), labels: labels([0, 2]) })).toThrow(
      RangeError,
    );
  });
});
