import { categoricalPsi, numericPsi, PSI_FLOOR, psiFromShares } from './psi.util';

describe('psiFromShares', () => {
  it('is Σ (a − e)·ln(a/e)', () => {
    // (0.25 − 0.5)·ln(0.25/0.5) + (0.75 − 0.5)·ln(0.75/0.5) = 0.25·ln 2 + 0.25·ln 1.5
    // = 0.25·ln 3 = 0.274653072167027.
    expect(psiFromShares([0.5, 0.5], [0.25, 0.75])).toBeCloseTo(0.274653072167027, 12);
  });

  it('is 0 for identical shares', () => {
    expect(psiFromShares([0.1, 0.2, 0.7], [0.1, 0.2, 0.7])).toBe(0);
    expect(psiFromShares([], [])).toBe(0);
  });

  it('floors a zero share at PSI_FLOOR', () => {
    expect(PSI_FLOOR).toBe(1e-4);
    // Bin 1: 0. Bin 2: (0.25 − 0.5)·ln 0.5 = 0.25·ln 2 = 0.17328679513998632.
    // Bin 3: e = 0 → 0.0001: (0.25 − 0.0001)·ln(0.25/0.0001) = 0.2499·ln 2500
    //        = 0.2499 × 7.824046010856292 = 1.955229098112987.
    // Total 2.1285158932529735.
    expect(psiFromShares([0.5, 0.5, 0], [0.5, 0.25, 0.25])).toBeCloseTo(2.1285158932529735, 12);
    expect(Number.isFinite(psiFromShares([1, 0], [0, 1]))).toBe(true);
  });

  it('refuses shares of different lengths', () => {
    expect(() => psiFromShares([1], [0.5, 0.5])).toThrow(RangeError);
  });
});

describe('numericPsi', () => {
  it('cuts bins at the baseline deciles, (lower, upper]', () => {
    const baseline = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10];
    // Deciles at h = 9·k/10: 1.9, 2.8, …, 9.1, one baseline value per bin. The current values
    // sit in the first and last bins, half each; the eight bins between are empty.
    // 2 × (0.5 − 0.1)·ln(0.5/0.1) = 0.8·ln 5 = 1.2875503299472801
    // 8 × (0.0001 − 0.1)·ln(0.0001/0.1) = 8 × 0.0999·ln 1000 = 5.520678018962525
    // Total 6.808228348909805.
    const current = [1, 1, 1, 1, 1, 10, 10, 10, 10, 10];
    const result = numericPsi(baseline, current);
    expect(result.psi).toBeCloseTo(6.808228348909805, 9);
    expect(result.bins).toHaveLength(10);
    const uppers = [1.9, 2.8, 3.7, 4.6, 5.5, 6.4, 7.3, 8.2, 9.1];
    result.bins.slice(0, 9).forEach((bin, i) => expect(bin.upper).toBeCloseTo(uppers[i], 12));
    expect(result.bins[0].lower).toBeNull();
    expect(result.bins[9].upper).toBeNull();
    expect(result.bins[9].lower).toBeCloseTo(9.1, 12);
    expect(result.bins.every((bin) => bin.expectedShare === 0.1)).toBe(true);
    expect(result.bins.map((bin) => bin.actualShare)).toEqual([0.5, 0, 0, 0, 0, 0, 0, 0, 0, 0.5]);
  });

  it('keeps unique edges only, puts edge values in the lower bin, and bins missing values', () => {
    // Baseline sorted 1 1 1 1 1 1 2 2 3 4; quartiles (bins 4) at h = 9p: 2.25 → 1, 4.5 → 1,
    // 6.75 → 2. Unique edges 1, 2: bins (−inf, 1], (1, 2], (2, +inf) with 6, 2, 2 of 10.
    const baseline = [1, 2, 1, 3, 1, 4, 1, 2, 1, 1];
    // Current (5 values): 1 → bin 1; 2, 2 → bin 2; 5 → bin 3; null → (missing).
    const current = [2, null, 1, 5, 2];
    const result = numericPsi(baseline, current, 4);
    expect(result.bins).toEqual([
      { label: '(-inf, 1]', lower: null, upper: 1, expectedShare: 0.6, actualShare: 0.2 },
      { label: '(1, 2]', lower: 1, upper: 2, expectedShare: 0.2, actualShare: 0.4 },
      { label: '(2, +inf)', lower: 2, upper: null, expectedShare: 0.2, actualShare: 0.2 },
      { label: '(missing)', lower: null, upper: null, expectedShare: 0, actualShare: 0.2 },
    ]);
    // (0.2 − 0.6)·ln(1/3) + (0.4 − 0.2)·ln 2 + 0 + (0.2 − 0.0001)·ln(0.2/0.0001)
    // = 0.4·ln 3 + 0.2·ln 2 + 0.1999·ln 2000 = 2.097494753241695.
    expect(result.psi).toBeCloseTo(2.097494753241695, 12);
  });

  it('is 0 for the same distribution, and for an empty side', () => {
    const values = [5, 1, null, 3, 3, 8, NaN];
    expect(numericPsi(values, [...values].reverse()).psi).toBe(0);
    expect(numericPsi([], [1, 2]).psi).toBe(0);
    expect(numericPsi([], [1, 2]).bins).toEqual([
      { label: '(-inf, +inf)', lower: null, upper: null, expectedShare: 0, actualShare: 1 },
    ]);
  });
});

describe('categoricalPsi', () => {
  it('compares categories of either side, (missing) last, and lists new and vanished ones', () => {
    // Baseline (4): a a b –. Current (4): a c c 1 (the number counts as "1").
    const result = categoricalPsi(['a', 'a', 'b', null], ['a', 'c', 'c', 1]);
    expect(result.bins.map((bin) => [bin.label, bin.expectedShare, bin.actualShare])).toEqual([
      ['1', 0, 0.25],
      ['a', 0.5, 0.25],
      ['b', 0.25, 0],
      ['c', 0, 0.5],
      ['(missing)', 0.25, 0],
    ]);
    // "1": (0.25 − 0.0001)·ln(0.25/0.0001) = 0.2499·ln 2500
    // a:   (0.25 − 0.5)·ln 0.5 = 0.25·ln 2
    // b:   (0.0001 − 0.25)·ln(0.0001/0.25) = 0.2499·ln 2500
    // c:   (0.5 − 0.0001)·ln(0.5/0.0001) = 0.4999·ln 5000
    // (missing): as b, 0.2499·ln 2500.  Total 10.296718965867925.
    expect(result.psi).toBeCloseTo(10.296718965867925, 9);
    expect(result.newCategories).toEqual(['1', 'c']);
    expect(result.vanishedCategories).toEqual(['b']);
    expect(result.bins.every((bin) => bin.lower === null && bin.upper === null)).toBe(true);
  });

  it('is 0 with nothing new or vanished for the same values', () => {
    const values = [true, false, null, true];
    const result = categoricalPsi(values, [...values].reverse());
    expect(result.psi).toBe(0);
    expect(result.newCategories).toEqual([]);
    expect(result.vanishedCategories).toEqual([]);
    expect(result.bins.map((bin) => bin.label)).toEqual(['false', 'true', '(missing)']);
  });

  it('keeps a category spelled "(missing)" apart from missing values', () => {
    const result = categoricalPsi(['(missing)'], [null]);
    expect(result.bins.map((bin) => [bin.label, bin.expectedShare, bin.actualShare])).toEqual([
      ['(missing)', 1, 0],
      ['(missing)', 0, 1],
    ]);
  });
});
