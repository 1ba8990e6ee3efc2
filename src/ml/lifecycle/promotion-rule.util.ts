/** When a challenger replaces the champion (Dynamics 365 publishes at ≥ 95 % of the active's accuracy). */
export interface PromotionRule {
  /** The challenger's AUC may be at most this much below the champion's. */
  readonly maxAucDrop: number;
  /** The challenger's Brier score may be at most this fraction above the champion's (0.1: 10 %). */
  readonly maxBrierIncrease: number;
  /** A trained champion older than this (days since it was trained) is replaced anyway. */
  readonly maxChampionAgeDays: number;
}

export const DEFAULT_PROMOTION_RULE: PromotionRule = {
  maxAucDrop: 0.005,
  maxBrierIncrease: 0.1,
  maxChampionAgeDays: 90,
};

export interface ModelFigures {
  readonly auc: number;
  readonly brier: number;
}

export interface PromotionDecision {
  readonly promote: boolean;
  /** Why, in words an admin reads in the decision log. */
  readonly reasons: readonly string[];
  readonly aucOk: boolean;
  readonly brierOk: boolean;
  readonly championExpired: boolean;
}

/**
 * The rule: promote when the challenger's AUC ≥ champion's − maxAucDrop and its Brier score ≤
 * champion's × (1 + maxBrierIncrease), or when a trained champion is older than maxChampionAgeDays
 * (`championAgeDays` null: the weighted sum, which does not age). A challenger whose figures are
 * not finite (a test set of one class) is never promoted.
 */
export function decidePromotion(input: {
  readonly champion: ModelFigures;
  readonly challenger: ModelFigures;
  readonly championAgeDays: number | null;
  readonly rule: PromotionRule;
}): PromotionDecision {
  const { champion, challenger, championAgeDays, rule } = input;
  if (!Number.isFinite(challenger.auc) || !Number.isFinite(challenger.brier)) {
    return {
      promote: false,
      reasons: ['the challenger has no finite AUC or Brier score on the test rows'],
      aucOk: false,
      brierOk: false,
      championExpired: false,
    };
  }
  const championKnown = Number.isFinite(champion.auc) && Number.isFinite(champion.brier);
  const aucFloor = champion.auc - rule.maxAucDrop;
  const brierCeiling = champion.brier * (1 + rule.maxBrierIncrease);
  const aucOk = !championKnown || challenger.auc >= aucFloor - 1e-12;
  const brierOk = !championKnown || challenger.brier <= brierCeiling + 1e-12;
  const championExpired = championAgeDays !== null && championAgeDays > rule.maxChampionAgeDays;
  const reasons: string[] = [];
  if (!championKnown) reasons.push('the champion has no finite figures on the test rows');
  else {
    reasons.push(
      `AUC ${fmt(challenger.auc)} ${aucOk ? '≥' : '<'} ${fmt(aucFloor)} (champion ${fmt(champion.auc)} − ${rule.maxAucDrop})`,
      `Brier ${fmt(challenger.brier)} ${brierOk ? '≤' : '>'} ${fmt(brierCeiling)} (champion ${fmt(champion.brier)} + ${rule.maxBrierIncrease * 100} %)`,
    );
  }
  if (championExpired)
    reasons.push(
      `the champion is ${Math.floor(championAgeDays)} days old (> ${rule.maxChampionAgeDays})`,
    );
  return {
    promote: (aucOk && brierOk) || championExpired,
    reasons,
    aucOk,
    brierOk,
    championExpired,
  };
}

function fmt(value: number): string {
  return value.toFixed(4);
}
