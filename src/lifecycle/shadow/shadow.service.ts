import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { Model } from 'mongoose';

import type { AuthUser } from '@/auth/auth-user';
import { AppException } from '@/common/errors/app.exception';
import { ErrorCode } from '@/common/errors/error-code';
import { EventBus } from '@/common/redis/event-bus.service';
import { decodedFind } from '@/common/tenancy/decoded-find.util';
import { toObjectId } from '@/common/tenancy/tenant-repository';
import { OutcomeRecord } from '@/feedback/schemas/outcome.schema';
import { LeadOutcomeValue } from '@/leads/schemas/lead.schema';
import { ComparedOutcome, compareLive } from '@/ml/lifecycle/model-comparison.util';
import { MODEL_DEPLOYMENT_TOPIC, ModelDeploymentEvent } from '@/ml-models/deployed-models.service';
import { MlModelsService } from '@/ml-models/ml-models.service';
import { MlModelStatus, MlModelType } from '@/ml-models/schemas/ml-model.schema';
import { ScoringJobsService } from '@/scoring/jobs/scoring-jobs.service';
import { ScoreChangeReason } from '@/scoring/schemas/score-history.schema';
import { ScoringConfigService } from '@/scoring/scoring-config.service';

import type { ModelComparisonModel, ShadowStatusModel } from './shadow.models';

const SHADOWABLE = new Set([MlModelStatus.READY, MlModelStatus.RETIRED]);
/** Outcomes compared at most (the newest first would need an index; these are the first read). */
const MAX_COMPARED = 200_000;

class ShadowException extends AppException {}

/**
 * Shadow mode: a challenger scores every lead alongside the deployed model on every write
 * (stored with the score, never shown); each outcome keeps both scores as they were when the lead
 * closed, and `modelComparison` judges both on those outcomes.
 */
@Injectable()
export class ShadowService {
  constructor(
    @InjectModel(OutcomeRecord.name) private readonly outcomes: Model<OutcomeRecord>,
    private readonly models: MlModelsService,
    private readonly configs: ScoringConfigService,
    private readonly scoringJobs: ScoringJobsService,
    private readonly events: EventBus,
  ) {}

  async status(tenantId: string): Promise<ShadowStatusModel> {
    const { shadow } = await this.models.deployment(tenantId);
    return { modelId: shadow?.modelId ?? null, since: shadow?.since ?? null, rescoreJobId: null };
  }

  async start(user: AuthUser, modelId: string): Promise<ShadowStatusModel> {
    const { tenantId } = user;
    const model = await this.models.get(tenantId, modelId);
    if (model.type === MlModelType.WEIGHTED_SUM || !SHADOWABLE.has(model.status))
      throw new ShadowException(
        ErrorCode.BAD_USER_INPUT,
        model.status === MlModelStatus.DEPLOYED
          ? `model ${modelId} is the deployed model: a shadow is another model, scored beside it`
          : `model ${modelId} is ${model.type === MlModelType.WEIGHTED_SUM ? 'the weighted sum' : model.status}; a shadow is a trained READY or RETIRED model`,
        { status: model.status },
      );
    const since = new Date();
    await this.models.setShadow(tenantId, { modelId: model.modelId, since });
    return { modelId: model.modelId, since, rescoreJobId: await this.rescore(user) };
  }

  async stop(user: AuthUser): Promise<ShadowStatusModel> {
    await this.models.setShadow(user.tenantId, null);
    await this.invalidate(user.tenantId);
    return { modelId: null, since: null, rescoreJobId: null };
  }

  /** Both models on the current outcomes whose lead carried both scores when it closed. */
  async compare(
    tenantId: string,
    championId: string,
    challengerId: string,
  ): Promise<ModelComparisonModel> {
    await this.models.get(tenantId, championId);
    await this.models.get(tenantId, challengerId);
    const rows: ComparedOutcome[] = [];
    const cursor = decodedFind<Record<string, unknown>>(
      this.outcomes.collection,
      {
        tenantId: toObjectId(tenantId),
        current: true,
        'shown.modelId': championId,
        'shown.shadow.modelId': challengerId,
      },
      { projection: { outcome: 1, 'shown.score': 1, 'shown.shadow.score': 1 }, batchSize: 5_000 },
    );
    for await (const doc of cursor) {
      const shown = doc.shown as { score: number; shadow: { score: number } };
      rows.push({
        converted: doc.outcome === LeadOutcomeValue.CONVERTED,
        championScore: shown.score,
        challengerScore: shown.shadow.score,
      });
      if (rows.length >= MAX_COMPARED) break;
    }
    const { thresholds } = await this.configs.current(tenantId);
    const result = compareLive(rows, thresholds);
    return {
      outcomes: result.outcomes,
      converted: result.converted,
      champion: { modelId: championId, ...result.champion, byTier: [...result.champion.byTier] },
      challenger: {
        modelId: challengerId,
        ...result.challenger,
        byTier: [...result.challenger.byTier],
      },
    };
  }

  private async invalidate(tenantId: string): Promise<void> {
    await this.events.publish<ModelDeploymentEvent>(MODEL_DEPLOYMENT_TOPIC, {
      tenantId,
      modelId: await this.models.deployedId(tenantId),
    });
  }

  /** Every process picks the shadow up; every lead gets its shadow score by a batch rescoring. */
  private async rescore(user: AuthUser): Promise<string> {
    await this.invalidate(user.tenantId);
    const job = await this.scoringJobs.enqueueRescore({
      tenantId: user.tenantId,
      requestedBy: user.userId,
      reason: ScoreChangeReason.BATCH_RESCORE,
      filter: {},
    });
    return job._id.toHexString();
  }
}
