import { Injectable } from '@nestjs/common';

import { DatasetTable } from '@/ml/dataset/dataset-table.util';
import type { RawFeatures } from '@/ml/features/raw-features.util';
import { splitRows } from '@/ml/eval/split.util';
import { HeadToHead, headToHead, ProbabilityOf } from '@/ml/lifecycle/head-to-head.util';
import { scoreRawFeatures } from '@/ml/serve/score-with-model.util';
import { MlModelsService } from '@/ml-models/ml-models.service';
import { MlModel, MlModelType } from '@/ml-models/schemas/ml-model.schema';
import { scoreEngagement } from '@/scoring/scorer/score-engagement.util';
import { ScoringConfigService } from '@/scoring/scoring-config.service';
import { DatasetStore } from '@/versions/dataset-store.service';
import { DatasetVersionsService } from '@/versions/dataset-versions.service';

const DAY_MS = 86_400_000;

/**
 * Champion and challenger on the same test rows (the challenger's own test split of its dataset
 * version, less the leads the champion trained on): a trained model through its serving path, the
 * weighted sum through the scorer with the tenant's config (its score / 100 as the probability).
 */
@Injectable()
export class ChampionChallengerService {
  constructor(
    private readonly models: MlModelsService,
    private readonly configs: ScoringConfigService,
    private readonly versions: DatasetVersionsService,
    private readonly store: DatasetStore,
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
      championTrainedOn: await this.trainedOn(tenantId, champion),
      champion: await this.probabilityOf(tenantId, champion),
      challenger: await this.probabilityOf(tenantId, challenger),
    });
  }

  /**
   * The leads a trained champion learnt from: its version's training side, split as its training
   * split it (same seed, same fraction). None for the weighted sum, which learns nothing.
   */
  private async trainedOn(tenantId: string, model: MlModel): Promise<Set<string> | undefined> {
    if (model.type === MlModelType.WEIGHTED_SUM || !model.datasetVersionId) return undefined;
    const version = await this.versions.get(tenantId, model.datasetVersionId.toHexString());
    const table = await this.store.readTable(version);
    const split = splitRows({
      eventTimes: table.eventTimes,
      labels: table.labels,
      testFraction: 0.2,
      seed: model.seed ?? 42,
    });
    return new Set(split.train.map((row) => table.leadIds[row]));
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
