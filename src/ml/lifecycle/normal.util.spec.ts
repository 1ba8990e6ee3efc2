import { erfc, twoSidedNormalP } from './normal.util';

describe('erfc', () => {
  // Reference values: the series definitions evaluated to more digits than a double holds.
  it.each([
    [0, 1],
    [0.5, 0.4795001221869535],
    [1, 0.15729920705028513],
    [2.4, 6.885138966450786e-4],
    [2.6, 2.360344165293492e-4],
    [3, 2.209049699858544e-5],
    [5, 1.5374597944280349e-12],
  ])('erfc(%p) = %p', (x, expected) => {
    expect(Math.abs(erfc(x) - expected) / expected).toBeLessThan(1e-12);
  });

  it('is 2 − erfc(−x) for negative x and NaN for NaN', () => {
    expect(erfc(-1)).toBeCloseTo(2 - 0.15729920705028513, 14);
    expect(erfc(NaN)).toBeNaN();
  });

  it('gives the two-sided p of z = 1.96 as 0.05', () => {
    expect(twoSidedNormalP(1.96)).toBeCloseTo(0.04999579029644087, 12);
    expect(twoSidedNormalP(-1.96)).toBeCloseTo(0.04999579029644087, 12);
    expect(twoSidedNormalP(0)).toBe(1);
  });
});
