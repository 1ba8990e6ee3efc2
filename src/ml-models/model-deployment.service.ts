import { Injectable } from '@nestjs/common';

import type { AuthUser } from '@/auth/auth-user';
import { EventBus } from '@/common/redis/event-bus.service';
import { ScoringJobsService } from '@/scoring/jobs/scoring-jobs.service';
import { ScoreChangeReason } from '@/scoring/schemas/score-history.schema';
import { DatasetVersionsService } from '@/versions/dataset-versions.service';

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
 * Deploy and rollback: which model scores a tenant. Each moves the tenant's deployment stack
 * (conditionally), updates the statuses, pins the deployed model's dataset version, tells every
 * process to drop its cached model, and rescores the tenant's leads through the batch job.
 */
@Injectable()
export class ModelDeploymentService {
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
    const previousId = deployment.stack.at(-1) ?? WEIGHTED_SUM_ID;
    if (previousId === model.modelId)
      return { deployed: model, previousModelId: null, rescoreJobId: null };
    if (
      !(await this.models.moveDeployment(tenantId, deployment.revision, [
        ...deployment.stack,
        model.modelId,
      ]))
    )
      throw MlModelsException.changedMeanwhile();
    return this.switchTo(user, model.modelId, previousId, ScoreChangeReason.MODEL_DEPLOYED);
  }

  /** Back to the model deployed before the current one (the weighted sum included). */
  async rollback(user: AuthUser): Promise<DeploymentChange> {
    const { tenantId } = user;
    const deployment = await this.models.deployment(tenantId);
    if (deployment.stack.length === 0) throw MlModelsException.nothingToRollBack();
    const stack = deployment.stack.slice(0, -1);
    const currentId = deployment.stack.at(-1)!;
    const previousId = stack.at(-1) ?? WEIGHTED_SUM_ID;
    if (!(await this.models.moveDeployment(tenantId, deployment.revision, stack)))
      throw MlModelsException.changedMeanwhile();
    return this.switchTo(user, previousId, currentId, ScoreChangeReason.MODEL_ROLLED_BACK);
  }

  private async switchTo(
    user: AuthUser,
    modelId: string,
    replacedId: string,
    reason: ScoreChangeReason,
  ): Promise<DeploymentChange> {
    const { tenantId } = user;
    await this.models.ensureWeightedSum(tenantId);
    const replaced = await this.models.setStatus(tenantId, replacedId, MlModelStatus.RETIRED, null);
    const deployed = await this.models.setStatus(
      tenantId,
      modelId,
      MlModelStatus.DEPLOYED,
      user.userId,
    );
    if (!deployed) throw MlModelsException.notFound(modelId);
    if (deployed.datasetVersionId)
      await this.datasets.markInUse(tenantId, deployed.datasetVersionId.toHexString(), {
        kind: MODEL_USE,
        id: deployed.modelId,
      });
    if (replaced?.datasetVersionId)
      await this.datasets.release(tenantId, replaced.datasetVersionId.toHexString(), {
        kind: MODEL_USE,
        id: replaced.modelId,
      });
    this.deployed.invalidate(tenantId);
    await this.events.publish<ModelDeploymentEvent>(MODEL_DEPLOYMENT_TOPIC, { tenantId, modelId });
    const job = await this.scoringJobs.enqueueRescore({
      tenantId,
      requestedBy: user.userId,
      reason,
      filter: {},
    });
    return { deployed, previousModelId: replacedId, rescoreJobId: job._id.toHexString() };
  }
}
