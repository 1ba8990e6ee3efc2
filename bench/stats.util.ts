/** Percentile of already sorted numbers (nearest rank). */
export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return NaN;
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[rank];
}

export function summarize(samples: readonly number[]): {
  n: number;
  p50: number;
  p95: number;
  p99: number;
  mean: number;
} {
  const sorted = [...samples].sort((a, b) => a - b);
  const mean = sorted.reduce((sum, x) => sum + x, 0) / Math.max(sorted.length, 1);
  return {
    n: sorted.length,
    p50: percentile(sorted, 50),
    p95: percentile(sorted, 95),
    p99: percentile(sorted, 99),
    mean,
  };
}

export function median(values: readonly number[]): number {
  return percentile(
    [...values].sort((a, b) => a - b),
    50,
  );
}

/**
 * The run whose `key` is the median of the runs' (nearest rank: the lower middle of an even
 * count; ties keep the earlier run), with its index. A row reports every figure of this one run:
 * taking each figure's median separately would mix runs (p50 of one, p99 of another).
 */
export function medianRun<K extends string, T extends Record<K, number>>(
  runs: readonly T[],
  key: K,
): { index: number; run: T } {
  if (runs.length === 0) throw new Error('no runs');
  const order = runs
    .map((run, index) => ({ index, value: run[key] }))
    .sort((a, b) => a.value - b.value || a.index - b.index);
  const { index } = order[Math.ceil(order.length / 2) - 1];
  return { index, run: runs[index] };
}

/** One live event: its delay, or that it never came within the wait, or that its send failed. */
export type Delivery = { readonly ms: number } | 'undelivered' | 'send-failed';

export function summarizeDeliveries(deliveries: readonly Delivery[]): {
  sent: number;
  delivered: number;
  undelivered: number;
  failedSends: number;
  p50: number;
  p95: number;
  p99: number;
} {
  const delays = deliveries.flatMap((d) => (typeof d === 'object' ? [d.ms] : []));
  const failedSends = deliveries.filter((d) => d === 'send-failed').length;
  const s = summarize(delays);
  return {
    sent: deliveries.length - failedSends,
    delivered: delays.length,
    undelivered: deliveries.filter((d) => d === 'undelivered').length,
    failedSends,
    p50: s.p50,
    p95: s.p95,
    p99: s.p99,
  };
}

export const round = (x: number, digits = 2): number => Math.round(x * 10 ** digits) / 10 ** digits;
