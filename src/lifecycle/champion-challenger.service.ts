import { Injectable } from '@nestjs/common';

import { DatasetTable } from '@/ml/dataset/dataset-table.util';
import type { RawFeatures } from '@/ml/features/raw-features.util';
import { HeadToHead, headToHead, ProbabilityOf } from '@/ml/lifecycle/head-to-head.util';
import { scoreRawFeatures } from '@/ml/serve/score-with-model.util';
import { MlModelsService } from '@/ml-models/ml-models.service';
import { MlModel, MlModelType } from '@/ml-models/schemas/ml-model.schema';
import { scoreEngagement } from '@/scoring/scorer/score-engagement.util';
import { ScoringConfigService } from '@/scoring/scoring-config.service';

const DAY_MS = 86_400_000;

/**
 * Champion and challenger on the same test rows (the challenger's own test split of its dataset
 * version): a trained model through its serving path, the weighted sum through the scorer with
 * the tenant's config (its score / 100 as the probability).
 */
@Injectable()
export class ChampionChallengerService {
  constructor(
    private readonly models: MlModelsService,
    private readonly configs: ScoringConfigService,
  ) {}

  async compare(
    tenantId: string,
    table: DatasetTable,
    champion: MlModel,
    challenger: MlModel,
  ): Promise<HeadToHead> {
    return headToHead({
      table,
      seed: challenger.seed ?? 42,
      champion: await this.probabilityOf(tenantId, champion),
      challenger: await this.probabilityOf(tenantId, challenger),
    });
  }

  private async probabilityOf(tenantId: string, model: MlModel): Promise<ProbabilityOf> {
    if (model.type === MlModelType.WEIGHTED_SUM) {
      const { parameters } = await this.configs.current(tenantId);
      const now = new Date();
      return (raw: RawFeatures) => {
        const days = numberOr(raw.daysSinceLastActivity, null);
        return (
          scoreEngagement(
            {
              emailOpens: numberOr(raw.emailOpens, 0)!,
              websiteVisits: numberOr(raw.websiteVisits, 0)!,
              timeSpentSeconds: numberOr(raw.timeSpentSeconds, 0)!,
              lastActivityAt: days === null ? null : new Date(now.getTime() - days * DAY_MS),
            },
            parameters,
            now,
          ).score / 100
        );
      };
    }
    const serving = await this.models.loadServing(tenantId, model);
    return (raw: RawFeatures) => scoreRawFeatures(serving, raw).probability;
  }
}

function numberOr(value: unknown, fallback: number | null): number | null {
  return typeof value === 'number' && Number.isFinite(value) ? value : fallback;
}
