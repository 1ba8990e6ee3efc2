/**
 * The p-quantile of ascending `sorted` values by linear interpolation between the two closest
 * ranks: numpy's default (`method="linear"`), h = (n − 1)·p. NaN when there are no values.
 */
export function quantileSorted(sorted: ArrayLike<number>, p: number): number {
  const n = sorted.length;
  if (n === 0) return NaN;
  const h = (n - 1) * p;
  const lo = Math.floor(h);
  if (lo >= n - 1) return sorted[n - 1];
  if (lo < 0) return sorted[0];
  const fraction = h - lo;
  const low = sorted[lo];
  return fraction === 0 ? low : low + fraction * (sorted[lo + 1] - low);
}
