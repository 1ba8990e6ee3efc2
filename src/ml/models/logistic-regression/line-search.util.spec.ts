import { backtrack, strongWolfe } from './line-search.util';
import { LineFunction } from './logistic-objective.util';

/** φ(t) = (t − 3)² − 9 from φ(0) = 0 with slope −6: the minimum is at t = 3. */
function parabola(calls: number[]): LineFunction {
  return {
    value0: 0,
    slope0: -6,
    at(t) {
      calls.push(t);
      return { value: (t - 3) * (t - 3) - 9, slope: 2 * (t - 3) };
    },
  };
}

describe('strongWolfe', () => {
  it('finds a step with sufficient decrease and a flat enough slope', () => {
    // From t = 0.01 it doubles: 0.01, 0.02, 0.04, 0.08, 0.16, 0.32. At 0.32 the slope is
    // 2·(0.32 − 3) = −5.36 and |−5.36| ≤ 0.9·6 = 5.4: accepted, φ = 2.68² − 9 = −1.8176.
    const calls: number[] = [];
    const step = strongWolfe(parabola(calls), 0.01)!;
    expect(step.t).toBeCloseTo(0.32, 12);
    expect(step.value).toBeCloseTo(-1.8176, 12);
    expect(calls).toHaveLength(6);
  });

  it('zooms back in after overshooting', () => {
    // t = 100 overshoots (φ = 97² − 9 = 9400 > 0): the zoom between 0 and 100 comes back in,
    // to a step meeting both conditions.
    const calls: number[] = [];
    const step = strongWolfe(parabola(calls), 100)!;
    expect(step.value).toBeLessThanOrEqual(1e-4 * step.t * -6);
    expect(Math.abs(2 * (step.t - 3))).toBeLessThanOrEqual(0.9 * 6);
  });

  it('gives up (null) when no step decreases the function', () => {
    const line: LineFunction = { value0: 0, slope0: -1, at: () => ({ value: 1, slope: 1 }) };
    expect(strongWolfe(line, 1)).toBeNull();
  });
});

describe('backtrack', () => {
  it('takes the full step when it decreases enough, halves it otherwise', () => {
    // t = 1: φ = 2² − 9 = −5 ≤ 1e-4·1·(−6): taken. Along a direction 10× too long, φ(10t):
    // t = 1: 7² − 9 = 40, refused; t = 0.5: 2² − 9 = −5 ≤ 1e-4·0.5·(−60) = −0.003: taken.
    expect(backtrack(parabola([]))).toEqual({ t: 1, value: -5 });
    const long: LineFunction = {
      value0: 0,
      slope0: -60,
      at: (t) => ({ value: (10 * t - 3) ** 2 - 9, slope: 20 * (10 * t - 3) }),
    };
    expect(backtrack(long)).toEqual({ t: 0.5, value: -5 });
  });
});
