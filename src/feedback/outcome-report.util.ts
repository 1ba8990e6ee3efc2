import { PriorityTier } from '@/scoring/scorer/priority-tier.util';

/** One current outcome as a report needs it: the score shown when it was recorded, and the label. */
export interface ReportedOutcome {
  readonly score: number;
  readonly tier: PriorityTier;
  readonly converted: boolean;
}

export interface ConversionCounts {
  readonly outcomes: number;
  readonly converted: number;
  /** converted / outcomes; null with no outcomes. */
  readonly conversionRate: number | null;
}

export interface TierConversion extends ConversionCounts {
  readonly tier: PriorityTier;
}

/** A score band of ten points: decile 1 is [0, 10), ..., decile 10 is [90, 100]. */
export interface DecileConversion extends ConversionCounts {
  readonly decile: number;
  readonly minScore: number;
  readonly maxScore: number;
}

export interface OutcomeReport extends ConversionCounts {
  readonly tiers: readonly TierConversion[];
  readonly deciles: readonly DecileConversion[];
  /**
   * Whether the conversion rate never falls from one non-empty decile to the next higher one:
   * the question the report answers (is a higher score really more likely to convert?). Null with
   * fewer than two non-empty deciles.
   */
  readonly rateRisesWithScore: boolean | null;
}

const TIERS = [PriorityTier.HOT, PriorityTier.WARM, PriorityTier.COLD] as const;

function counts(outcomes: number, converted: number): ConversionCounts {
  return { outcomes, converted, conversionRate: outcomes === 0 ? null : converted / outcomes };
}

/** The decile (1 to 10) of a score from 0 to 100; 100 belongs to the tenth. */
export function decileOf(score: number): number {
  return Math.min(10, Math.max(1, Math.floor(score / 10) + 1));
}

/**
 * Conversion per tier and per score decile of outcomes added one at a time (those of one model,
 * or of all): the outcome report Einstein users get, on the scores the leads were shown when they
 * closed. It keeps counts only, so a report over millions of outcomes holds none of them.
 * Fixed ten-point bands rather than equal-count deciles: the score is a probability-like number
 * reps read directly, and a band means the same thing across models and months.
 */
export class OutcomeReportBuilder {
  private readonly byTier = new Map(TIERS.map((tier) => [tier, { outcomes: 0, converted: 0 }]));
  private readonly byDecile = Array.from({ length: 10 }, () => ({ outcomes: 0, converted: 0 }));
  private outcomes = 0;
  private converted = 0;

  add(outcome: ReportedOutcome): this {
    const won = outcome.converted ? 1 : 0;
    this.outcomes += 1;
    this.converted += won;
    const tier = this.byTier.get(outcome.tier);
    if (tier) {
      tier.outcomes += 1;
      tier.converted += won;
    }
    const decile = this.byDecile[decileOf(outcome.score) - 1];
    decile.outcomes += 1;
    decile.converted += won;
    return this;
  }

  /** The report of the outcomes added so far (adding more afterwards is fine). */
  build(): OutcomeReport {
    const deciles = this.byDecile.map((d, i) => ({
      decile: i + 1,
      minScore: i * 10,
      maxScore: i === 9 ? 100 : i * 10 + 9.99,
      ...counts(d.outcomes, d.converted),
    }));
    const rates = deciles.flatMap((d) => (d.conversionRate === null ? [] : [d.conversionRate]));
    return {
      ...counts(this.outcomes, this.converted),
      tiers: TIERS.map((tier) => ({
        tier,
        ...counts(this.byTier.get(tier)!.outcomes, this.byTier.get(tier)!.converted),
      })),
      deciles,
      rateRisesWithScore:
        rates.length < 2 ? null : rates.every((rate, i) => i === 0 || rate >= rates[i - 1]),
    };
  }
}

/** The report of the outcomes given at once (see OutcomeReportBuilder). */
export function outcomeReport(outcomes: Iterable<ReportedOutcome>): OutcomeReport {
  const builder = new OutcomeReportBuilder();
  for (const outcome of outcomes) builder.add(outcome);
  return builder.build();
}
