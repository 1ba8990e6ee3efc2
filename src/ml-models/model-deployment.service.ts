import { randomUUID } from 'node:crypto';

import { Injectable, Logger } from '@nestjs/common';

import type { AuthUser } from '@/auth/auth-user';
import { EventBus } from '@/common/redis/event-bus.service';
import { ScoringJobsService } from '@/scoring/jobs/scoring-jobs.service';
import { ScoreChangeReason } from '@/scoring/schemas/score-history.schema';
import { DatasetVersionsService } from '@/versions/dataset-versions.service';
import { VersionsException } from '@/versions/versions.exception';

import {
  DeployedModels,
  MODEL_DEPLOYMENT_TOPIC,
  ModelDeploymentEvent,
} from './deployed-models.service';
import { MlModelsException } from './ml-models.exception';
import { MlModelsService } from './ml-models.service';
import { MlModel, MlModelStatus, WEIGHTED_SUM_ID } from './schemas/ml-model.schema';

const DEPLOYABLE = new Set([MlModelStatus.READY, MlModelStatus.RETIRED, MlModelStatus.DEPLOYED]);
/** What marks a dataset version as relied on by a deployed model (archiving it is refused). */
const MODEL_USE = 'MODEL';

export interface DeploymentChange {
  readonly deployed: MlModel;
  readonly previousModelId: string | null;
  readonly rescoreJobId: string | null;
}

/**
 * Published once per deploy or rollback that changed the tenant's scoring model (not on the
 * repairs of `settle`, shadows or A/B changes): what outbound webhooks send as `model.deployed`.
 */
export const MODEL_DEPLOYED_TOPIC = 'ml-models.deployed';

export interface ModelDeployedEvent {
  /** Unique per change: every process hearing it derives the same webhook event id from it. */
  readonly id: string;
  readonly tenantId: string;
  readonly modelId: string;
  readonly version: number;
  readonly modelType: string;
  readonly previousModelId: string;
  readonly reason: ScoreChangeReason;
  readonly deployedBy: string;
  readonly at: string;
}

/** How many times a settle re-reads a deployment that moved while it wrote. */
const SETTLE_ROUNDS = 5;

/**
 * Deploy and rollback: which model scores a tenant. The deployment record's stack (moved
 * conditionally) is the truth; statuses and dataset pins are derived from it afterwards by
 * `settle`, idempotently, so a call cut short (or two at once) is repaired by the next deploy,
 * rollback or re-deploy of the current model. Then every process drops its cached model and the
 * tenant's leads are rescored through the batch job.
 */
@Injectable()
export class ModelDeploymentService {
  private readonly logger = new Logger(ModelDeploymentService.name);

  constructor(
    private readonly models: MlModelsService,
    private readonly deployed: DeployedModels,
    private readonly datasets: DatasetVersionsService,
    private readonly scoringJobs: ScoringJobsService,
    private readonly events: EventBus,
  ) {}

  async deploy(user: AuthUser, modelId: string): Promise<DeploymentChange> {
    const { tenantId } = user;
    const model = await this.models.get(tenantId, modelId);
    if (!DEPLOYABLE.has(model.status)) throw MlModelsException.notDeployable(modelId, model.status);
    const deployment = await this.models.deployment(tenantId);
    if (deployment.abTest) throw MlModelsException.abTestRunning(deployment.abTest.id);
    const previousId = deployment.stack.at(-1) ?? WEIGHTED_SUM_ID;
    if (previousId === model.modelId) {
      // Already the tenant's model: only repairs what an earlier call may have left half done.
      const deployed = await this.settle(user);
      return { deployed, previousModelId: null, rescoreJobId: null };
    }
    if (
      !(await this.models.moveDeployment(tenantId, deployment.revision, [
        ...deployment.stack,
        model.modelId,
      ]))
    )
      throw MlModelsException.changedMeanwhile();
    // A shadow that becomes the live model has nothing left to compare.
    if (deployment.shadow?.modelId === model.modelId) await this.models.setShadow(tenantId, null);
    return this.switched(user, previousId, ScoreChangeReason.MODEL_DEPLOYED);
  }

  /** Back to the model deployed before the current one (the weighted sum included). */
  async rollback(user: AuthUser): Promise<DeploymentChange> {
    const { tenantId } = user;
    const deployment = await this.models.deployment(tenantId);
    if (deployment.abTest) throw MlModelsException.abTestRunning(deployment.abTest.id);
    if (deployment.stack.length === 0) throw MlModelsException.nothingToRollBack();
    const stack = deployment.stack.slice(0, -1);
    const currentId = deployment.stack.at(-1)!;
    if (!(await this.models.moveDeployment(tenantId, deployment.revision, stack)))
      throw MlModelsException.changedMeanwhile();
    return this.switched(user, currentId, ScoreChangeReason.MODEL_ROLLED_BACK);
  }

  private async switched(
    user: AuthUser,
    replacedId: string,
    reason: ScoreChangeReason,
  ): Promise<DeploymentChange> {
    const { tenantId } = user;
    const deployed = await this.settle(user);
    await this.announce(user, deployed, replacedId, reason);
    const job = await this.scoringJobs.enqueueRescore({
      tenantId,
      requestedBy: user.userId,
      reason,
      filter: {},
    });
    return { deployed, previousModelId: replacedId, rescoreJobId: job._id.toHexString() };
  }

  /** Tells listeners (outbound webhooks) of the change; the change stands if this fails. */
  private async announce(
    user: AuthUser,
    deployed: MlModel,
    previousModelId: string,
    reason: ScoreChangeReason,
  ): Promise<void> {
    try {
      await this.events.publish<ModelDeployedEvent>(MODEL_DEPLOYED_TOPIC, {
        id: randomUUID(),
        tenantId: user.tenantId,
        modelId: deployed.modelId,
        version: deployed.version,
        modelType: deployed.type,
        previousModelId,
        reason,
        deployedBy: user.userId,
        at: new Date().toISOString(),
      });
    } catch (error) {
      this.logger.warn({ msg: 'model deployment not announced', error: String(error) });
    }
  }

  /**
   * Makes statuses and pins agree with the deployment stack: its top DEPLOYED and its dataset
   * version pinned, every other DEPLOYED record RETIRED and unpinned (pin released before the
   * status moves, so a crash in between is seen and finished next time). A stack moved meanwhile
   * by another call is read again. Then the cached models are dropped everywhere.
   */
  private async settle(user: AuthUser): Promise<MlModel> {
    const { tenantId } = user;
    await this.models.ensureWeightedSum(tenantId);
    let deployed: MlModel | null = null;
    for (let round = 0; round < SETTLE_ROUNDS; round++) {
      const { revision, stack } = await this.models.deployment(tenantId);
      const topId = stack.at(-1) ?? WEIGHTED_SUM_ID;
      const top = await this.models.get(tenantId, topId);
      if (top.datasetVersionId) await this.pin(tenantId, top);
      deployed = await this.models.markDeployed(tenantId, topId, user.userId);
      for (const stale of await this.models.deployedRecords(tenantId)) {
        if (stale.modelId === topId) continue;
        if (stale.datasetVersionId)
          await this.datasets.release(tenantId, stale.datasetVersionId.toHexString(), {
            kind: MODEL_USE,
            id: stale.modelId,
          });
        await this.models.markRetired(tenantId, stale.modelId);
      }
      if ((await this.models.deployment(tenantId)).revision === revision) break;
    }
    this.deployed.invalidate(tenantId);
    await this.events.publish<ModelDeploymentEvent>(MODEL_DEPLOYMENT_TOPIC, {
      tenantId,
      modelId: deployed!.modelId,
    });
    return deployed!;
  }

  /**
   * Pins the deployed model's dataset version (archiving it is refused while pinned). A version
   * archived before (or while) the model is deployed comes back: the model relies on it.
   */
  private async pin(tenantId: string, model: MlModel): Promise<void> {
    const id = model.datasetVersionId!.toHexString();
    const use = { kind: MODEL_USE, id: model.modelId };
    try {
      await this.datasets.markInUse(tenantId, id, use);
    } catch (error) {
      if (!(error instanceof VersionsException)) throw error;
      this.logger.log({ msg: 'restoring the archived dataset version of a deployed model', id });
      await this.datasets.restore(tenantId, await this.datasets.get(tenantId, id));
      await this.datasets.markInUse(tenantId, id, use);
    }
  }
}
