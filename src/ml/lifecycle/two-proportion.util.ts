import { twoSidedNormalP } from './normal.util';

export interface ProportionTest {
  /** Arm A's rate minus arm B's. */
  readonly difference: number;
  /** Pooled two-proportion z statistic; null when it is undefined (an empty arm, or 0 or 1 overall). */
  readonly z: number | null;
  /** Two-sided p-value of "the rates are equal"; null with z. */
  readonly pValue: number | null;
}

/**
 * The two-proportion z-test with a pooled standard error:
 * z = (p̂a − p̂b) / √(p̂ (1 − p̂) (1/na + 1/nb)), p̂ = (xa + xb) / (na + nb); p = P(|Z| ≥ |z|).
 */
export function twoProportionTest(
  a: { readonly successes: number; readonly trials: number },
  b: { readonly successes: number; readonly trials: number },
): ProportionTest {
  for (const [name, arm] of [
    ['a', a],
    ['b', b],
  ] as const) {
    if (!Number.isInteger(arm.trials) || arm.trials < 0)
      throw new RangeError(`${name}.trials must be a whole number ≥ 0`);
    if (!Number.isInteger(arm.successes) || arm.successes < 0 || arm.successes > arm.trials)
      throw new RangeError(`${name}.successes must be a whole number from 0 to ${name}.trials`);
  }
  const rateA = a.trials > 0 ? a.successes / a.trials : 0;
  const rateB = b.trials > 0 ? b.successes / b.trials : 0;
  const difference = rateA - rateB;
  if (a.trials === 0 || b.trials === 0) return { difference, z: null, pValue: null };
  const pooled = (a.successes + b.successes) / (a.trials + b.trials);
  const variance = pooled * (1 - pooled) * (1 / a.trials + 1 / b.trials);
  if (variance === 0) return { difference, z: null, pValue: null };
  const z = difference / Math.sqrt(variance);
  return { difference, z, pValue: twoSidedNormalP(z) };
}
