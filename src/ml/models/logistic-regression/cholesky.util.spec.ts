import { choleskyInPlace, choleskySolveInPlace } from './cholesky.util';

describe('choleskyInPlace and choleskySolveInPlace', () => {
  it('factors and solves a small positive definite system', () => {
    // A = [[4, 2], [2, 3]]: L = [[2, 0], [1, √2]] (2·2 = 4, 1·2 = 2, 1 + 2 = 3).
    // A⁻¹ = [[3, −2], [−2, 4]] / 8, so A·x = [2, 1] has x = [(6 − 2)/8, (−4 + 4)/8] = [0.5, 0].
    const a = Float64Array.from([4, 2, 2, 3]);
    expect(choleskyInPlace(a, 2)).toBe(true);
    expect(a[0]).toBe(2);
    expect(a[2]).toBe(1);
    expect(a[3]).toBeCloseTo(Math.SQRT2, 15);
    const b = Float64Array.from([2, 1]);
    choleskySolveInPlace(a, 2, b);
    expect(b[0]).toBeCloseTo(0.5, 15);
    expect(b[1]).toBeCloseTo(0, 15);
  });

  it('solves a 3 × 3 system', () => {
    // A = [[2, 1, 0], [1, 2, 1], [0, 1, 2]], x = [1, −1, 2]: A·x = [1, 1, 3].
    const a = Float64Array.from([2, 1, 0, 1, 2, 1, 0, 1, 2]);
    const b = Float64Array.from([1, 1, 3]);
    expect(choleskyInPlace(a, 3)).toBe(true);
    choleskySolveInPlace(a, 3, b);
    [1, -1, 2].forEach((value, i) => expect(b[i]).toBeCloseTo(value, 14));
  });

  it('refuses singular, indefinite and NaN matrices', () => {
    expect(choleskyInPlace(Float64Array.from([1, 1, 1, 1]), 2)).toBe(false);
    expect(choleskyInPlace(Float64Array.from([1, 2, 2, 1]), 2)).toBe(false);
    expect(choleskyInPlace(Float64Array.from([0, 0, 0, 1]), 2)).toBe(false);
    expect(choleskyInPlace(Float64Array.from([NaN, 0, 0, 1]), 2)).toBe(false);
  });
});
