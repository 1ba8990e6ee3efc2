import { dateTimes, levelRateAuc, numbersOf, rankAuc } from './single-feature-auc.util';

const y = (...labels: number[]) => Uint8Array.from(labels);

describe('rankAuc', () => {
  it('is the share of (positive, negative) pairs the values order right: 8 of 9', () => {
    // Positives 3, 5, 6; negatives 1, 2, 4. 3 beats 1 and 2 but not 4; 5 and 6 beat all three.
    expect(rankAuc([1, 2, 3, 4, 5, 6], y(0, 0, 1, 0, 1, 1))).toEqual({
      auc: 8 / 9,
      orientation: 'HIGHER_IS_POSITIVE',
    });
  });

  it('turns round when lower values go with conversion', () => {
    const result = rankAuc([6, 5, 4, 3, 2, 1], y(0, 0, 1, 0, 1, 1))!;
    expect(result.orientation).toBe('LOWER_IS_POSITIVE');
    expect(result.auc).toBeCloseTo(8 / 9, 12);
  });

  it('counts ties half: 4.5 of 9 pairs', () => {
    // Positives 1, 2, 3 against negatives 1, 2, 3: 0.5 + 1.5 + 2.5.
    expect(rankAuc([1, 1, 2, 2, 3, 3], y(0, 1, 0, 1, 0, 1))!.auc).toBe(0.5);
  });

  it('ranks a missing value below every present one', () => {
    // Positives missing, missing; negatives 1, 2, 3, missing: each positive only ties the missing
    // negative, 2 × 0.5 of 8 pairs = 0.125, so lower (missing) goes with conversion: 0.875.
    expect(rankAuc([null, 1, null, 2, 3, null], y(1, 0, 1, 0, 0, 0))).toEqual({
      auc: 0.875,
      orientation: 'LOWER_IS_POSITIVE',
    });
  });

  it('is 0.5 for a column with no value, and null with one class', () => {
    expect(rankAuc([null, null], y(0, 1))!.auc).toBe(0.5);
    expect(rankAuc([1, 2], y(1, 1))).toBeNull();
  });
});

describe('levelRateAuc', () => {
  it('scores test rows by the rates learnt on the train rows: 3.5 of 4 pairs', () => {
    // Train rows 0-5: a = 1/2, b = 2/3, c = 0, overall 3/6. Test rows 6-9: b (1) → 2/3,
    // c (0) → 0, d unseen (1) → 1/2, a (0) → 1/2. Pairs: 2/3 beats 0 and 1/2; 1/2 beats 0
    // and ties 1/2: 3.5 of 4.
    const values = ['a', 'a', 'b', 'b', 'b', 'c', 'b', 'c', 'd', 'a'];
    const labels = y(1, 0, 1, 1, 0, 0, 1, 0, 1, 0);
    expect(levelRateAuc(values, labels, [0, 1, 2, 3, 4, 5], [6, 7, 8, 9])).toBe(0.875);
  });

  it('treats missing as a level of its own', () => {
    const values = [null, null, 'x', 'x', null, 'x'];
    expect(levelRateAuc(values, y(1, 1, 0, 0, 1, 0), [0, 1, 2, 3], [4, 5])).toBe(1);
  });

  it('gives an identifier nothing: every test level is new, so every score is the prior', () => {
    const values = Array.from({ length: 10 }, (_, i) => `id-${i}`);
    const labels = y(1, 0, 1, 0, 1, 0, 1, 0, 1, 0);
    expect(levelRateAuc(values, labels, [0, 1, 2, 3, 4, 5], [6, 7, 8, 9])).toBe(0.5);
  });

  it('is null without test rows or with one class among them', () => {
    expect(levelRateAuc(['a', 'b'], y(0, 1), [0, 1], [])).toBeNull();
    expect(levelRateAuc(['a', 'b', 'a'], y(0, 1, 1), [0], [1, 2])).toBeNull();
  });

  it('falls back to 0.5 for every row when there are no train rows', () => {
    expect(levelRateAuc(['a', 'b'], y(0, 1), [], [0, 1])).toBe(0.5);
  });
});

describe('dateTimes and numbersOf', () => {
  it('read dates as ms and numbers as they are, anything else as missing', () => {
    expect(dateTimes(['2026-01-01', 'soon', 5, null])).toEqual([
      Date.UTC(2026, 0, 1),
      null,
      null,
      null,
    ]);
    expect(numbersOf([1.5, '2', NaN, null, true])).toEqual([1.5, null, null, null, null]);
  });
});
