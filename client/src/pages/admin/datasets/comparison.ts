import type { FeatureType } from '../../../gql/graphql';

/** The API's reading of a PSI: below 0.1 stable, 0.1 to 0.25 moderate, above 0.25 a shift. */
export type PsiLevel = 'stable' | 'moderate' | 'shift';

export function psiLevel(psi: number): PsiLevel {
  if (psi > 0.25) return 'shift';
  if (psi >= 0.1) return 'moderate';
  return 'stable';
}

export const PSI_LEVEL_LABEL: Record<PsiLevel, string> = {
  stable: 'Stable',
  moderate: 'Moderate change',
  shift: 'Shifted',
};

/** Largest PSI first, then by name: the features that moved most lead the table. */
export function byPsi<T extends { name: string; psi: number }>(features: readonly T[]): T[] {
  return [...features].sort((x, y) => y.psi - x.psi || x.name.localeCompare(y.name));
}

/** "+2.5 pts" / "−1.0 pts": a change of rate in percentage points, signed. */
export function formatRateChange(change: number): string {
  const points = change * 100;
  const sign = points > 0 ? '+' : points < 0 ? '−' : '±';
  return `${sign}${Math.abs(points).toFixed(1)} pts`;
}

export const FEATURE_TYPE_LABEL: Record<FeatureType, string> = {
  BOOLEAN: 'Boolean',
  CATEGORICAL: 'Categorical',
  NUMERIC: 'Numeric',
  TEXT: 'Text',
};
