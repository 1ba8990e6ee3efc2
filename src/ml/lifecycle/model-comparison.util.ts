import { rocAuc } from '../eval/metrics.util';

export interface ComparedOutcome {
  readonly converted: boolean;
  /** 0–100, as each model scored the lead when it closed. */
  readonly championScore: number;
  readonly challengerScore: number;
}

export interface TierRate {
  readonly tier: 'HOT' | 'WARM' | 'COLD';
  readonly outcomes: number;
  readonly converted: number;
  readonly conversionRate: number | null;
}

export interface ModelLiveFigures {
  /** AUC of the model's scores on the outcomes (null with one class only). */
  readonly auc: number | null;
  readonly byTier: readonly TierRate[];
}

export interface LiveComparison {
  readonly outcomes: number;
  readonly converted: number;
  readonly champion: ModelLiveFigures;
  readonly challenger: ModelLiveFigures;
}

/**
 * Champion and challenger on the outcomes that arrived while both scored every lead: each model's
 * AUC on its own scores, and the conversion of the leads each model put in each tier (the tenant's
 * thresholds), so "would the challenger's HOT leads have converted more?" has an answer.
 */
export function compareLive(
  outcomes: readonly ComparedOutcome[],
  thresholds: { readonly hot: number; readonly warm: number },
): LiveComparison {
  const y = Uint8Array.from(outcomes, (o) => (o.converted ? 1 : 0));
  const converted = y.reduce((sum, label) => sum + label, 0);
  const figures = (scoreOf: (o: ComparedOutcome) => number): ModelLiveFigures => {
    const p = Float64Array.from(outcomes, (o) => scoreOf(o) / 100);
    const auc = converted > 0 && converted < outcomes.length ? rocAuc(y, p) : null;
    const tiers = (['HOT', 'WARM', 'COLD'] as const).map((tier) => ({
      tier,
      outcomes: 0,
      converted: 0,
    }));
    for (const o of outcomes) {
      const score = scoreOf(o);
      const tier =
        score >= thresholds.hot ? tiers[0] : score >= thresholds.warm ? tiers[1] : tiers[2];
      tier.outcomes += 1;
      if (o.converted) tier.converted += 1;
    }
    return {
      auc,
      byTier: tiers.map((t) => ({
        ...t,
        conversionRate: t.outcomes > 0 ? t.converted / t.outcomes : null,
      })),
    };
  };
  return {
    outcomes: outcomes.length,
    converted,
    champion: figures((o) => o.championScore),
    challenger: figures((o) => o.challengerScore),
  };
}
