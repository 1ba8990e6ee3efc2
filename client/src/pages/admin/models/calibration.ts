export interface CalibrationBinLike {
  bin: number;
  lower: number;
  upper: number;
  meanPredicted?: number | null;
  observedRate?: number | null;
  count: number;
}

export interface CalibrationRow {
  bin: number;
  /** "0.0–0.1" */
  range: string;
  predicted: number | null;
  observed: number | null;
  /** observed − predicted; null for an empty bin. */
  gap: number | null;
  count: number;
  /** Of all test rows. */
  share: number;
}

/** The calibration table's rows in bin order, with the gap and each bin's share of the rows. */
export function calibrationRows(bins: readonly CalibrationBinLike[]): CalibrationRow[] {
  const total = bins.reduce((sum, b) => sum + b.count, 0);
  return [...bins]
    .sort((a, b) => a.bin - b.bin)
    .map((b) => {
      const predicted = b.count > 0 ? (b.meanPredicted ?? null) : null;
      const observed = b.count > 0 ? (b.observedRate ?? null) : null;
      return {
        bin: b.bin,
        range: `${b.lower.toFixed(1)}–${b.upper.toFixed(1)}`,
        predicted,
        observed,
        gap: predicted !== null && observed !== null ? observed - predicted : null,
        count: b.count,
        share: total > 0 ? b.count / total : 0,
      };
    });
}

/**
 * Expected calibration error: the rows' average distance between predicted and observed,
 * Σ (count / total) · |observed − predicted| over the non-empty bins; null without rows.
 */
export function expectedCalibrationError(bins: readonly CalibrationBinLike[]): number | null {
  const rows = calibrationRows(bins);
  const total = rows.reduce((sum, r) => sum + (r.gap === null ? 0 : r.count), 0);
  if (total === 0) return null;
  return rows.reduce(
    (sum, r) => (r.gap === null ? sum : sum + (r.count / total) * Math.abs(r.gap)),
    0,
  );
}
