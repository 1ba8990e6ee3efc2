import { LineFunction } from './logistic-objective.util';

/** Armijo's sufficient decrease, and the strong Wolfe curvature for L-BFGS (Nocedal & Wright). */
const SUFFICIENT_DECREASE = 1e-4;
const CURVATURE = 0.9;
const MAX_TRIALS = 40;

/**
 * Near the optimum the decrease a step buys falls below the rounding of a sum over thousands of
 * rows, and a strict Armijo test would refuse every step before the gradient is small enough.
 * Within this relative noise a step counts when it makes the slope smaller in magnitude
 * (the slope, a sum of signed terms, stays accurate where the value does not).
 */
const RELATIVE_NOISE = 1e-12;

export interface LineStep {
  readonly t: number;
  readonly value: number;
}

function noiseOf(line: LineFunction): number {
  return RELATIVE_NOISE * (Math.abs(line.value0) + 1);
}

/** Backtracking from t = 1 (the Newton step), halving; null when no step decreases F. */
export function backtrack(line: LineFunction): LineStep | null {
  const { value0, slope0 } = line;
  const noise = noiseOf(line);
  let t = 1;
  for (let trial = 0; trial < MAX_TRIALS; trial++) {
    const { value, slope } = line.at(t);
    if (value <= value0 + SUFFICIENT_DECREASE * t * slope0) return { t, value };
    if (Math.abs(value - value0) <= noise && Math.abs(slope) < Math.abs(slope0)) {
      return { t, value };
    }
    t *= 0.5;
  }
  return null;
}

/**
 * A step meeting the strong Wolfe conditions (Nocedal & Wright, algorithms 3.5 and 3.6, with
 * cubic interpolation in the zoom), so that L-BFGS's curvature pairs keep sᵀy > 0. Falls back to
 * the best step with sufficient decrease after MAX_TRIALS; null when there is none.
 */
export function strongWolfe(line: LineFunction, initial: number): LineStep | null {
  const { value0, slope0 } = line;
  const noise = noiseOf(line);
  const decreases = (t: number, value: number) =>
    value <= value0 + SUFFICIENT_DECREASE * t * slope0 + noise;
  const curved = (slope: number) => Math.abs(slope) <= -CURVATURE * slope0;

  let trials = 0;
  let previous = { t: 0, value: value0, slope: slope0 };
  let t = initial;
  let best: LineStep | null = null;

  const zoom = (
    lo: { t: number; value: number; slope: number },
    hi: { t: number; value: number; slope: number },
  ): LineStep | null => {
    while (trials < MAX_TRIALS) {
      trials++;
      const width = hi.t - lo.t;
      let trial = cubicMinimizer(lo, hi);
      const margin = 0.1 * Math.abs(width);
      const low = Math.min(lo.t, hi.t) + margin;
      const high = Math.max(lo.t, hi.t) - margin;
      if (!(trial >= low && trial <= high)) trial = lo.t + 0.5 * width;
      const { value, slope } = line.at(trial);
      if (!decreases(trial, value) || value >= lo.value) {
        hi = { t: trial, value, slope };
      } else {
        if (curved(slope)) return { t: trial, value };
        if (slope * width >= 0) hi = lo;
        lo = { t: trial, value, slope };
      }
    }
    return lo.t > 0 ? { t: lo.t, value: lo.value } : null;
  };

  while (trials < MAX_TRIALS) {
    trials++;
    const { value, slope } = line.at(t);
    const current = { t, value, slope };
    if (!decreases(t, value) || (previous.t > 0 && value >= previous.value)) {
      return zoom(previous, current) ?? best;
    }
    best = { t, value };
    if (curved(slope)) return best;
    if (slope >= 0) return zoom(current, previous) ?? best;
    previous = current;
    t *= 2;
  }
  return best;
}

/** The minimizer of the cubic through (a, f_a, f'_a) and (b, f_b, f'_b); NaN when there is none. */
function cubicMinimizer(
  a: { t: number; value: number; slope: number },
  b: { t: number; value: number; slope: number },
): number {
  const d1 = a.slope + b.slope - (3 * (a.value - b.value)) / (a.t - b.t);
  const discriminant = d1 * d1 - a.slope * b.slope;
  if (!(discriminant >= 0)) return NaN;
  const d2 = Math.sign(b.t - a.t) * Math.sqrt(discriminant);
  return b.t - ((b.t - a.t) * (b.slope + d2 - d1)) / (b.slope - a.slope + 2 * d2);
}
