import { forgetPairs, lbfgsDirection, lbfgsMemory, rememberPair } from './lbfgs.util';

const direction = (...args: Parameters<typeof lbfgsDirection>) => {
  lbfgsDirection(...args);
  return Array.from(args[2]);
};

describe('lbfgsDirection', () => {
  it('is −g with no pairs, −g / diagonal with a diagonal', () => {
    const memory = lbfgsMemory();
    const g = Float64Array.from([1, -2]);
    expect(direction(memory, g, new Float64Array(2))).toEqual([-1, 2]);
    // (−1/2, 2/4) = (−0.5, 0.5).
    expect(direction(memory, g, new Float64Array(2), Float64Array.from([2, 4]))).toEqual([
      -0.5, 0.5,
    ]);
  });

  it('is the Newton step on a 1-D quadratic after one exact pair', () => {
    // f(x) = 2x²: f' = 4x. The pair s = 1, y = 4·1 = 4 gives H = s/y = 1/4 (ρ = 1/4, and the
    // two loops reduce to H·g). At x = 0.5, g = 2: −H·g = −0.5, straight to the minimum.
    const memory = lbfgsMemory();
    expect(rememberPair(memory, Float64Array.from([1]), Float64Array.from([4]))).toBe(true);
    expect(direction(memory, Float64Array.from([2]), new Float64Array(1))).toEqual([-0.5]);
  });

  it('satisfies the newest secant equation H·y = s in 2-D', () => {
    // A = [[2, 0], [0, 8]]; pairs s₁ = (1, 0) → y₁ = (2, 0), s₂ = (1, 1) → y₂ = (2, 8).
    // The two-loop product with g = y₂ is H·y₂, which BFGS makes equal to s₂ = (1, 1).
    const memory = lbfgsMemory();
    rememberPair(memory, Float64Array.from([1, 0]), Float64Array.from([2, 0]));
    rememberPair(memory, Float64Array.from([1, 1]), Float64Array.from([2, 8]));
    const [a, b] = direction(memory, Float64Array.from([2, 8]), new Float64Array(2));
    expect(a).toBeCloseTo(-1, 14);
    expect(b).toBeCloseTo(-1, 14);
  });
});

describe('rememberPair', () => {
  it('refuses a pair without positive curvature, drops the oldest beyond the memory size', () => {
    const memory = lbfgsMemory(2);
    expect(rememberPair(memory, Float64Array.from([1]), Float64Array.from([-1]))).toBe(false);
    expect(rememberPair(memory, Float64Array.from([1]), Float64Array.from([0]))).toBe(false);
    for (const y of [1, 2, 3]) rememberPair(memory, Float64Array.from([1]), Float64Array.from([y]));
    expect(memory.y.map((y) => y[0])).toEqual([2, 3]);
    expect(memory.rho).toEqual([1 / 2, 1 / 3]);
    forgetPairs(memory);
    expect(memory.s).toHaveLength(0);
  });
});
