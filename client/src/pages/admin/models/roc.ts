export interface RocPointLike {
  fpr: number;
  tpr: number;
  threshold: number;
}

/**
 * The API's ROC points ready to plot: sorted by false positive rate (then true positive rate) so
 * the line never doubles back, non-finite points dropped, values clamped to [0, 1]. The curve is
 * kept as given otherwise (it already runs from (0, 0) to (1, 1)).
 */
export function rocChartData(points: readonly RocPointLike[]): RocPointLike[] {
  return points
    .filter((p) => Number.isFinite(p.fpr) && Number.isFinite(p.tpr))
    .map((p) => ({ fpr: clamp01(p.fpr), tpr: clamp01(p.tpr), threshold: p.threshold }))
    .sort((a, b) => a.fpr - b.fpr || a.tpr - b.tpr);
}

/** Area under the plotted points by the trapezoid rule; null with fewer than two points. */
export function trapezoidAuc(points: readonly RocPointLike[]): number | null {
  const sorted = rocChartData(points);
  if (sorted.length < 2) return null;
  let area = 0;
  for (let i = 1; i < sorted.length; i++) {
    const width = sorted[i].fpr - sorted[i - 1].fpr;
    area += (width * (sorted[i].tpr + sorted[i - 1].tpr)) / 2;
  }
  return area;
}

/** The first point's threshold is max p + 1: "above every score" rather than a number > 1. */
export function thresholdLabel(threshold: number): string {
  return threshold > 1 ? 'above every score' : threshold.toFixed(3);
}

/** The chance line, for reference. */
export const DIAGONAL = [
  { x: 0, y: 0 },
  { x: 1, y: 1 },
] as const;

function clamp01(value: number): number {
  return Math.min(1, Math.max(0, value));
}
