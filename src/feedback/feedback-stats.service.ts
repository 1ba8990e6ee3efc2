import { Injectable } from '@nestjs/common';

import { LeadOutcomeValue } from '@/leads/schemas/lead.schema';

import type { ModelFeedbackStatsModel } from './models/feedback.models';
import { outcomeReport } from './outcome-report.util';
import { OutcomesService } from './outcomes.service';
import { RepFeedbackService } from './rep-feedback.service';
import type { ShownScore } from './schemas/outcome.schema';
import { FeedbackRating } from './schemas/rep-feedback.schema';

/** Ratings and the outcome report of the scores one model (or every model) showed. */
@Injectable()
export class FeedbackStatsService {
  constructor(
    private readonly outcomes: OutcomesService,
    private readonly feedback: RepFeedbackService,
  ) {}

  async forModel(
    tenantId: string,
    { modelId, version }: { modelId?: string; version?: number },
  ): Promise<ModelFeedbackStatsModel> {
    const ofModel = (shown: ShownScore | null): boolean =>
      (modelId === undefined || shown?.modelId === modelId) &&
      (version === undefined || shown?.modelVersion === version);
    const [outcomes, ratings] = await Promise.all([
      this.outcomes.currentWithShown(tenantId),
      this.feedback.ratingsWithShown(tenantId),
    ]);
    const allModels = modelId === undefined && version === undefined;
    const counted = ratings.filter((r) => allModels || ofModel(r.shown));
    const count = (rating: FeedbackRating) => counted.filter((r) => r.rating === rating).length;
    const scored = outcomes.filter((o) => o.shown !== null && ofModel(o.shown));
    const report = outcomeReport(
      scored.map((o) => ({
        score: o.shown!.score,
        tier: o.shown!.tier,
        converted: o.outcome === LeadOutcomeValue.CONVERTED,
      })),
    );
    return {
      modelId: modelId ?? null,
      modelVersion: version ?? null,
      ratings: {
        tooHigh: count(FeedbackRating.TOO_HIGH),
        tooLow: count(FeedbackRating.TOO_LOW),
        aboutRight: count(FeedbackRating.ABOUT_RIGHT),
        total: counted.length,
      },
      ...report,
      tiers: [...report.tiers],
      deciles: [...report.deciles],
      unscoredOutcomes: allModels ? outcomes.filter((o) => o.shown === null).length : 0,
    };
  }
}
