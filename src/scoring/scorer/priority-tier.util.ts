import { registerEnumType } from '@nestjs/graphql';

export enum PriorityTier {
  HOT = 'HOT',
  WARM = 'WARM',
  COLD = 'COLD',
}
registerEnumType(PriorityTier, { name: 'PriorityTier' });

export interface TierThresholds {
  /** Scores at or above are HOT. */
  readonly hot: number;
  /** Scores at or above (and below hot) are WARM; the rest COLD. */
  readonly warm: number;
}

export const DEFAULT_THRESHOLDS: TierThresholds = { hot: 70, warm: 40 };

export function tierFor(score: number, thresholds: TierThresholds): PriorityTier {
  if (score >= thresholds.hot) return PriorityTier.HOT;
  if (score >= thresholds.warm) return PriorityTier.WARM;
  return PriorityTier.COLD;
}
