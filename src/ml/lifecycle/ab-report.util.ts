import { AbArm, abArmOf } from './ab-assignment.util';
import { ProportionTest, twoProportionTest } from './two-proportion.util';

export interface TierConversion {
  readonly tier: string;
  readonly outcomes: number;
  readonly converted: number;
  readonly conversionRate: number | null;
}

export interface ArmReport {
  readonly arm: AbArm;
  readonly leads: number;
  readonly outcomes: number;
  readonly converted: number;
  readonly conversionRate: number | null;
  /** Tiers in the order first seen over HOT, WARM, COLD, then any other. */
  readonly byTier: readonly TierConversion[];
}

export interface AbReport {
  readonly arms: readonly [ArmReport, ArmReport];
  readonly significance: ProportionTest;
}

const TIER_ORDER = ['HOT', 'WARM', 'COLD'];

interface ArmCounts {
  leads: number;
  outcomes: number;
  converted: number;
  tiers: Map<string, { outcomes: number; converted: number }>;
}

/**
 * Counts an A/B test's leads and outcomes by arm (the same stable hash scoring uses), one record
 * at a time, so the caller can stream a tenant's leads and outcomes through it.
 */
export class AbReportBuilder {
  private readonly counts: Record<AbArm, ArmCounts> = { A: emptyCounts(), B: emptyCounts() };

  constructor(
    private readonly testId: string,
    private readonly shareA: number,
  ) {}

  addLead(leadId: string): void {
    this.counts[abArmOf(this.testId, leadId, this.shareA)].leads += 1;
  }

  /** `tier`: the tier the lead showed when the outcome was recorded (null: not scored then). */
  addOutcome(leadId: string, converted: boolean, tier: string | null): void {
    const arm = this.counts[abArmOf(this.testId, leadId, this.shareA)];
    arm.outcomes += 1;
    if (converted) arm.converted += 1;
    if (tier === null) return;
    const byTier = arm.tiers.get(tier) ?? { outcomes: 0, converted: 0 };
    byTier.outcomes += 1;
    if (converted) byTier.converted += 1;
    arm.tiers.set(tier, byTier);
  }

  result(): AbReport {
    const a = armReport('A', this.counts.A);
    const b = armReport('B', this.counts.B);
    return {
      arms: [a, b],
      significance: twoProportionTest(
        { successes: a.converted, trials: a.outcomes },
        { successes: b.converted, trials: b.outcomes },
      ),
    };
  }
}

function emptyCounts(): ArmCounts {
  return { leads: 0, outcomes: 0, converted: 0, tiers: new Map() };
}

function rate(converted: number, outcomes: number): number | null {
  return outcomes > 0 ? converted / outcomes : null;
}

function armReport(arm: AbArm, counts: ArmCounts): ArmReport {
  const rank = (tier: string) => {
    const i = TIER_ORDER.indexOf(tier);
    return i === -1 ? TIER_ORDER.length : i;
  };
  const byTier = [...counts.tiers]
    .sort(([x], [y]) => rank(x) - rank(y) || (x < y ? -1 : x > y ? 1 : 0))
    .map(([tier, c]) => ({ tier, ...c, conversionRate: rate(c.converted, c.outcomes) }));
  return {
    arm,
    leads: counts.leads,
    outcomes: counts.outcomes,
    converted: counts.converted,
    conversionRate: rate(counts.converted, counts.outcomes),
    byTier,
  };
}
