import { InjectQueue } from '@nestjs/bull';
import { Injectable, Logger } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import type { Queue } from 'bull';
import { Model, QueryFilter } from 'mongoose';

import type { AuthUser } from '@/auth/auth-user';
import { Role } from '@/auth/role.enum';
import { AppException } from '@/common/errors/app.exception';
import { pageInfo } from '@/common/graphql/page.args';
import { TenantRepository } from '@/common/tenancy/tenant-repository';
import { decidePromotion } from '@/ml/lifecycle/promotion-rule.util';
import type { HeadToHead, HeadToHeadFigures } from '@/ml/lifecycle/head-to-head.util';
import { MlModelsService } from '@/ml-models/ml-models.service';
import { ModelDeploymentService } from '@/ml-models/model-deployment.service';
import { MlModel, MlModelType } from '@/ml-models/schemas/ml-model.schema';
import { TrainableModelType } from '@/training/dto/training.inputs';
import { TrainingJobsService } from '@/training/jobs/training-jobs.service';
import { TrainingJobStatus } from '@/training/schemas/training-job.schema';
import { DatasetBuilder } from '@/versions/dataset-builder.service';
import { DatasetStore } from '@/versions/dataset-store.service';
import { DatasetVersionsService } from '@/versions/dataset-versions.service';
import { VersionsException } from '@/versions/versions.exception';

import { ChampionChallengerService } from './champion-challenger.service';
import type { ModelDecisionsArgs } from './dto/lifecycle.inputs';
import {
  LIFECYCLE_QUEUE,
  LifecycleJobName,
  RunRetrainingData,
} from './jobs/lifecycle-queue.constants';
import { LifecycleException } from './lifecycle.exception';
import { LifecycleSettingsService } from './lifecycle-settings.service';
import type { ModelDecisionModel, ModelDecisionPageModel } from './models/lifecycle.models';
import {
  DecisionFigures,
  ModelDecision,
  ModelDecisionOutcome,
  ModelDecisionStatus,
  RetrainingStage,
  RetrainingTrigger,
} from './schemas/model-lifecycle.schema';

/** Who acts for a retraining nobody started by hand (trainedBy, deployedBy). */
export const LIFECYCLE_ACTOR = 'system:lifecycle';
const DAY_MS = 86_400_000;
const TRAINING_POLL_MS = 500;
/** A challenger's training that has not ended by then is given up (the decision FAILED). */
const TRAINING_WAIT_MS = 6 * 60 * 60_000;
const STALE_MARGIN_MS = 60 * 60_000;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Retraining runs and their decisions: a new dataset version from the tenant's closed leads (a
 * child of the latest), the challenger trained through the training queue, champion and
 * challenger judged on the same test rows, the promotion rule applied, and a promoted challenger
 * deployed through the ordinary deploy path. Each step is recorded on the decision, so a run whose
 * worker died resumes where it stopped when Bull hands the job on.
 */
@Injectable()
export class RetrainingService extends TenantRepository<ModelDecision> {
  private readonly logger = new Logger(RetrainingService.name);

  constructor(
    @InjectModel(ModelDecision.name) model: Model<ModelDecision>,
    @InjectQueue(LIFECYCLE_QUEUE) private readonly queue: Queue,
    private readonly settings: LifecycleSettingsService,
    private readonly builder: DatasetBuilder,
    private readonly versions: DatasetVersionsService,
    private readonly store: DatasetStore,
    private readonly training: TrainingJobsService,
    private readonly models: MlModelsService,
    private readonly deployment: ModelDeploymentService,
    private readonly judge: ChampionChallengerService,
  ) {
    super(model);
  }

  /** `runRetraining`: records a decision and queues its run (one running run per tenant). */
  request(user: AuthUser, trigger: RetrainingTrigger): Promise<ModelDecision> {
    return this.requestFor({ tenantId: user.tenantId, trigger, requestedBy: user.userId });
  }

  /**
   * The same for a run nobody started by hand (a drift: `requestedBy` null, the lifecycle acts).
   * CONFLICT while one of the tenant's runs is running.
   */
  async requestFor({
    tenantId,
    trigger,
    requestedBy,
  }: {
    tenantId: string;
    trigger: RetrainingTrigger;
    requestedBy: string | null;
  }): Promise<ModelDecision> {
    const decision = await this.open(tenantId, trigger, requestedBy);
    const data: RunRetrainingData = {
      tenantId,
      decisionId: decision._id.toHexString(),
    };
    try {
      await this.queue.add(LifecycleJobName.RUN, data, {
        jobId: `run:${data.decisionId}`,
        attempts: 2,
        backoff: { type: 'fixed', delay: 5_000 },
        removeOnComplete: 1_000,
        removeOnFail: 1_000,
      });
    } catch (error) {
      await this.finish(decision, {
        status: ModelDecisionStatus.FAILED,
        failure: `not queued: ${String(error)}`,
      });
      throw LifecycleException.queueUnavailable(data.decisionId);
    }
    return decision;
  }

  /** A new decision in RUNNING, unless one of the tenant's is running already (CONFLICT). */
  async open(
    tenantId: string,
    trigger: RetrainingTrigger,
    requestedBy: string | null,
  ): Promise<ModelDecision> {
    const [running] = await this.find(
      tenantId,
      { status: ModelDecisionStatus.RUNNING },
      { limit: 1, projection: { _id: 1, updatedAt: 1, tenantId: 1 } },
    );
    if (running) {
      // A run writes at each step and waits at most TRAINING_WAIT_MS for its challenger: one
      // silent for longer lost its worker before Bull knew of it, and must not block the tenant.
      if (Date.now() - running.updatedAt.getTime() <= TRAINING_WAIT_MS + STALE_MARGIN_MS)
        throw LifecycleException.alreadyRunning(running._id.toHexString());
      await this.finish(running, {
        status: ModelDecisionStatus.FAILED,
        failure: 'its run stopped without finishing (no progress for hours)',
      });
    }
    return this.create(tenantId, {
      trigger,
      status: ModelDecisionStatus.RUNNING,
      stage: RetrainingStage.QUEUED,
      requestedBy,
    });
  }

  async get(tenantId: string, id: string): Promise<ModelDecision> {
    const found = await this.findById(tenantId, id);
    if (!found) throw LifecycleException.decisionNotFound(id);
    return found;
  }

  async list(tenantId: string, args: ModelDecisionsArgs): Promise<ModelDecisionPageModel> {
    const filter: QueryFilter<ModelDecision> = {};
    if (args.trigger) filter.trigger = args.trigger;
    const { items, total } = await this.page(tenantId, filter, {
      sort: { createdAt: -1, _id: -1 },
      page: args.page,
      limit: args.limit,
    });
    return { items: items.map(toModelDecisionModel), ...pageInfo(args, total) };
  }

  /**
   * Runs (or resumes) a decision to its end. Errors a retry may cure are thrown (Bull retries the
   * job); a run that cannot succeed is recorded FAILED with the reason.
   */
  async execute(tenantId: string, decisionId: string): Promise<ModelDecision> {
    let decision = await this.get(tenantId, decisionId);
    if (decision.status !== ModelDecisionStatus.RUNNING) return decision;
    try {
      decision = await this.withVersion(decision);
      if (decision.status !== ModelDecisionStatus.RUNNING) return decision;
      decision = await this.withChallenger(decision);
      if (decision.status !== ModelDecisionStatus.RUNNING) return decision;
      return await this.decide(decision);
    } catch (error) {
      if (error instanceof AppException || error instanceof RangeError) {
        return this.finish(decision, {
          status: ModelDecisionStatus.FAILED,
          failure: error.message,
        });
      }
      throw error;
    }
  }

  /** Records a run its worker could not finish (the job's final failure). */
  async failRun(tenantId: string, decisionId: string, reason: string): Promise<void> {
    const decision = await this.findById(tenantId, decisionId);
    if (decision?.status === ModelDecisionStatus.RUNNING)
      await this.finish(decision, { status: ModelDecisionStatus.FAILED, failure: reason });
  }

  /** Step 1: the dataset version (built once; a resumed run reuses it) and the minimum data. */
  private async withVersion(decision: ModelDecision): Promise<ModelDecision> {
    const tenantId = decision.tenantId.toHexString();
    const minimum = await this.training.minimum(tenantId);
    if (!decision.datasetVersionId) {
      decision = await this.step(decision, { stage: RetrainingStage.BUILDING_VERSION, ...minimum });
      const settings = await this.settings.get(tenantId);
      let built;
      try {
        built = await this.builder.build({
          tenantId,
          request: {
            name: `retraining ${new Date().toISOString().slice(0, 10)} (${decision.trigger.toLowerCase()})`,
            filter: {},
            transformation: settings.transformation,
            parentId: null,
          },
          requestedBy: decision.requestedBy ?? LIFECYCLE_ACTOR,
        });
      } catch (error) {
        // Nothing closed yet: the cold start, not a failure.
        if (error instanceof VersionsException && typeof error.details.closed === 'number')
          return this.finish(decision, {
            status: ModelDecisionStatus.DONE,
            outcome: ModelDecisionOutcome.BELOW_MINIMUM,
            converted: 0,
            lost: 0,
            reasons: [error.message],
          });
        throw error;
      }
      decision = await this.step(decision, {
        datasetVersionId: built.version._id,
        converted: built.version.converted,
        lost: built.version.lost,
      });
      if (built.reused) {
        const champion = await this.champion(tenantId);
        if (champion.datasetVersionId?.equals(built.version._id))
          return this.finish(decision, {
            status: ModelDecisionStatus.DONE,
            outcome: ModelDecisionOutcome.NO_NEW_DATA,
            championId: champion.modelId,
            reasons: [
              `the closed leads are the deployed model's own training data (version ${built.version._id.toHexString()}): nothing new to learn`,
            ],
          });
      }
    }
    const converted = decision.converted ?? 0;
    const lost = decision.lost ?? 0;
    if (converted < minimum.minConverted || lost < minimum.minLost)
      return this.finish(decision, {
        status: ModelDecisionStatus.DONE,
        outcome: ModelDecisionOutcome.BELOW_MINIMUM,
        reasons: [
          `${converted} converted and ${lost} lost leads; a model needs at least ${minimum.minConverted} converted and ${minimum.minLost} lost (${Math.max(0, minimum.minConverted - converted)} and ${Math.max(0, minimum.minLost - lost)} more): the deployed model stays`,
        ],
      });
    return decision;
  }

  /** Step 2: the challenger, trained by a `training` job (queued once, then awaited). */
  private async withChallenger(decision: ModelDecision): Promise<ModelDecision> {
    const tenantId = decision.tenantId.toHexString();
    if (!decision.trainingJobId) {
      const settings = await this.settings.get(tenantId);
      const job = await this.training.request(systemUser(tenantId, decision), {
        datasetVersionId: decision.datasetVersionId!.toHexString(),
        modelType: settings.modelType as TrainableModelType,
        params: settings.params,
        transformation: settings.transformation ?? undefined,
        seed: 42,
      });
      decision = await this.step(decision, {
        stage: RetrainingStage.TRAINING,
        trainingJobId: job._id,
      });
    }
    const deadline = decision.updatedAt.getTime() + TRAINING_WAIT_MS;
    for (;;) {
      const job = await this.training.get(tenantId, decision.trainingJobId!.toHexString());
      if (job.status === TrainingJobStatus.COMPLETED)
        return this.step(decision, { challengerId: job.modelId });
      if (job.status === TrainingJobStatus.FAILED || job.status === TrainingJobStatus.CANCELLED)
        return this.finish(decision, {
          status: ModelDecisionStatus.FAILED,
          challengerId: job.modelId,
          failure: `the challenger's training ${job.status.toLowerCase()}: ${job.failure ?? 'no reason given'}`,
        });
      if (Date.now() > deadline)
        return this.finish(decision, {
          status: ModelDecisionStatus.FAILED,
          failure: `the challenger's training did not finish within ${TRAINING_WAIT_MS / 3_600_000} h`,
        });
      await sleep(TRAINING_POLL_MS);
    }
  }

  /** Step 3: both models on the same test rows, the rule, and a deploy if the challenger won. */
  private async decide(decision: ModelDecision): Promise<ModelDecision> {
    const tenantId = decision.tenantId.toHexString();
    decision = await this.step(decision, { stage: RetrainingStage.EVALUATING });
    const settings = await this.settings.get(tenantId);
    const champion = await this.champion(tenantId);
    const challenger = await this.models.get(tenantId, decision.challengerId!);
    const version = await this.versions.get(tenantId, decision.datasetVersionId!.toHexString());
    const table = await this.store.readTable(version);
    const result = await this.judge.compare(tenantId, table, champion, challenger);
    const ageDays =
      champion.type === MlModelType.WEIGHTED_SUM || !champion.trainedAt
        ? null
        : (Date.now() - champion.trainedAt.getTime()) / DAY_MS;
    const verdict = decidePromotion({
      champion: result.champion,
      challenger: result.challenger,
      championAgeDays: ageDays,
      rule: settings.promotion,
    });
    const figures = {
      championId: champion.modelId,
      champion: stored(result.champion),
      challenger: stored(result.challenger),
      testRows: result.testRows,
      rule: { ...settings.promotion },
      reasons: [
        `judged on the same ${result.testRows} test rows (${result.converted} converted, ${result.splitMethod.toLowerCase()} split)`,
        ...freshnessReasons(result),
        ...verdict.reasons,
      ],
    };
    if (!verdict.promote)
      return this.finish(decision, {
        ...figures,
        status: ModelDecisionStatus.DONE,
        outcome: ModelDecisionOutcome.KEPT,
      });
    decision = await this.step(decision, { ...figures, stage: RetrainingStage.DEPLOYING });
    const change = await this.deployment.deploy(systemUser(tenantId, decision), challenger.modelId);
    return this.finish(decision, {
      status: ModelDecisionStatus.DONE,
      outcome: ModelDecisionOutcome.PROMOTED,
      rescoreJobId: change.rescoreJobId,
    });
  }

  /** The model scoring the tenant now. */
  private async champion(tenantId: string): Promise<MlModel> {
    return this.models.get(tenantId, await this.models.deployedId(tenantId));
  }

  private async step(decision: ModelDecision, set: Partial<ModelDecision>): Promise<ModelDecision> {
    const updated = await this.updateById(decision.tenantId, decision._id.toHexString(), {
      $set: set,
    });
    return updated ?? decision;
  }

  private async finish(
    decision: ModelDecision,
    set: Partial<ModelDecision>,
  ): Promise<ModelDecision> {
    const done = await this.step(decision, {
      ...set,
      stage: RetrainingStage.DONE,
      decidedAt: new Date(),
    });
    this.logger.log({
      msg: 'model decision',
      tenantId: decision.tenantId.toHexString(),
      decisionId: decision._id.toHexString(),
      status: done.status,
      outcome: done.outcome,
      failure: done.failure,
    });
    return done;
  }
}

function systemUser(tenantId: string, decision: ModelDecision): AuthUser {
  return {
    userId: decision.requestedBy ?? LIFECYCLE_ACTOR,
    tenantId,
    role: Role.ADMIN,
    jti: `lifecycle:${decision._id.toHexString()}`,
    exp: 0,
  };
}

function stored(figures: HeadToHeadFigures): DecisionFigures {
  const finite = (value: number) => (Number.isFinite(value) ? value : null);
  return {
    auc: finite(figures.auc),
    prAuc: finite(figures.prAuc),
    logLoss: finite(figures.logLoss),
    brier: finite(figures.brier),
  };
}

export function toModelDecisionModel(decision: ModelDecision): ModelDecisionModel {
  return {
    id: decision._id.toHexString(),
    trigger: decision.trigger,
    status: decision.status,
    stage: decision.stage,
    outcome: decision.outcome,
    datasetVersionId: decision.datasetVersionId?.toHexString() ?? null,
    trainingJobId: decision.trainingJobId?.toHexString() ?? null,
    championId: decision.championId,
    challengerId: decision.challengerId,
    champion: decision.champion,
    challenger: decision.challenger,
    testRows: decision.testRows,
    converted: decision.converted,
    lost: decision.lost,
    minConverted: decision.minConverted,
    minLost: decision.minLost,
    rule: decision.rule
      ? {
          maxAucDrop: decision.rule.maxAucDrop,
          maxBrierIncrease: decision.rule.maxBrierIncrease,
          maxChampionAgeDays: decision.rule.maxChampionAgeDays,
        }
      : null,
    reasons: decision.reasons,
    rescoreJobId: decision.rescoreJobId,
    failure: decision.failure,
    requestedBy: decision.requestedBy,
    createdAt: decision.createdAt,
    decidedAt: decision.decidedAt,
  };
}

/** What the champion had seen of the test rows, in words (nothing to say when it saw none). */
function freshnessReasons(result: HeadToHead): string[] {
  if (result.seenByChampion > 0)
    return [
      `the champion trained on ${result.seenByChampion} of them: too few rows it had not seen to judge on alone`,
    ];
  if (result.leftOutSeenByChampion > 0)
    return [
      `${result.leftOutSeenByChampion} more test rows left out: the champion trained on them`,
    ];
  return [];
}
