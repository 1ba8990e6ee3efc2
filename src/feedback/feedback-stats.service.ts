import { setImmediate as nextTurn } from 'node:timers/promises';

import { Injectable } from '@nestjs/common';

import { LeadOutcomeValue } from '@/leads/schemas/lead.schema';

import type { ModelFeedbackStatsModel } from './models/feedback.models';
import { OutcomeReport, OutcomeReportBuilder } from './outcome-report.util';
import { OutcomesService } from './outcomes.service';
import { RepFeedbackService } from './rep-feedback.service';
import type { ShownScore } from './schemas/outcome.schema';
import { FeedbackRating } from './schemas/rep-feedback.schema';

/** Records counted between two yields to the event loop (other requests go on meanwhile). */
const YIELD_EVERY = 5_000;

type ShownModel = Pick<ShownScore, 'modelId' | 'modelVersion'> | null | undefined;

/**
 * Ratings and the outcome report of the scores one model (or every model) showed. Both stream
 * the tenant's documents in batches and keep counts only: memory does not grow with the tenant.
 */
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
    const ofModel = (shown: ShownModel): boolean =>
      (modelId === undefined || shown?.modelId === modelId) &&
      (version === undefined || shown?.modelVersion === version);
    const allModels = modelId === undefined && version === undefined;
    const [{ report, unscored }, ratings] = await Promise.all([
      this.outcomeReport(tenantId, ofModel),
      this.ratingCounts(tenantId, (shown) => allModels || ofModel(shown)),
    ]);
    return {
      modelId: modelId ?? null,
      modelVersion: version ?? null,
      ratings,
      ...report,
      tiers: [...report.tiers],
      deciles: [...report.deciles],
      unscoredOutcomes: allModels ? unscored : 0,
    };
  }

  private async outcomeReport(
    tenantId: string,
    ofModel: (shown: ShownModel) => boolean,
  ): Promise<{ report: OutcomeReport; unscored: number }> {
    const report = new OutcomeReportBuilder();
    let unscored = 0;
    let sinceYield = 0;
    for await (const batch of this.outcomes.currentWithShown(tenantId)) {
      for (const { outcome, shown } of batch) {
        if (!shown) unscored += 1;
        else if (ofModel(shown))
          report.add({
            score: shown.score,
            tier: shown.tier,
            converted: outcome === LeadOutcomeValue.CONVERTED,
          });
      }
      sinceYield += batch.length;
      if (sinceYield >= YIELD_EVERY) {
        sinceYield = 0;
        await nextTurn();
      }
    }
    return { report: report.build(), unscored };
  }

  private async ratingCounts(
    tenantId: string,
    counted: (shown: ShownModel) => boolean,
  ): Promise<ModelFeedbackStatsModel['ratings']> {
    const ratings = { tooHigh: 0, tooLow: 0, aboutRight: 0, total: 0 };
    let sinceYield = 0;
    for await (const batch of this.feedback.ratingsWithShown(tenantId)) {
      for (const { rating, shown } of batch) {
        if (!counted(shown)) continue;
        ratings.total += 1;
        if (rating === FeedbackRating.TOO_HIGH) ratings.tooHigh += 1;
        else if (rating === FeedbackRating.TOO_LOW) ratings.tooLow += 1;
        else if (rating === FeedbackRating.ABOUT_RIGHT) ratings.aboutRight += 1;
      }
      sinceYield += batch.length;
      if (sinceYield >= YIELD_EVERY) {
        sinceYield = 0;
        await nextTurn();
      }
    }
    return ratings;
  }
}
