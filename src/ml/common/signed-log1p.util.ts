/**
 * sign(x)·log1p(|x|): log1p's compression of long tails, odd so that negative values (refunds,
 * corrections) keep their sign instead of becoming NaN.
 */
export function signedLog1p(x: number): number {
  return Math.sign(x) * Math.log1p(Math.abs(x));
}
