import { Injectable, Logger, OnApplicationShutdown, OnModuleInit } from '@nestjs/common';

import { EventBus } from '@/common/redis/event-bus.service';
import type { ServingModel } from '@/ml/serve/score-with-model.util';
import {
  ScoringModelChoice,
  ScoringModelRegistry,
  ScoringModelSource,
  SingleModelChoice,
  WEIGHTED_SUM_CHOICE,
} from '@/scoring/scoring-model.registry';

import { MlModelsService } from './ml-models.service';
import { MlModel, WEIGHTED_SUM_ID } from './schemas/ml-model.schema';

/** Published on every deploy and rollback: every process drops the tenant's cached model. */
export const MODEL_DEPLOYMENT_TOPIC = 'ml-models.deployment';

export interface ModelDeploymentEvent {
  readonly tenantId: string;
  readonly modelId: string;
}

/** How long a tenant's answer is trusted without an event (a missed message heals by then). */
const CACHE_TTL_MS = 60_000;
/** Trained models kept loaded per process (parameters are immutable once READY). */
const MAX_LOADED_MODELS = 100;

/**
 * The scoring side of the registry: which model scores a tenant now, loaded once per process
 * and kept until a deploy or rollback (heard from any process through the EventBus) or the TTL.
 */
@Injectable()
export class DeployedModels implements ScoringModelSource, OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger(DeployedModels.name);
  private readonly byTenant = new Map<
    string,
    { at: number; choice: Promise<ScoringModelChoice> }
  >();
  private readonly loaded = new Map<string, ServingModel>();
  private events?: AsyncIterableIterator<ModelDeploymentEvent>;

  constructor(
    private readonly registry: ScoringModelRegistry,
    private readonly models: MlModelsService,
    private readonly bus: EventBus,
  ) {}

  onModuleInit(): void {
    this.registry.use(this);
    const events = this.bus.iterator<ModelDeploymentEvent>(MODEL_DEPLOYMENT_TOPIC);
    this.events = events;
    void (async () => {
      for await (const event of events) this.invalidate(event.tenantId);
    })().catch((error: unknown) =>
      this.logger.error(`model deployments no longer heard: ${String(error)}`),
    );
  }

  onApplicationShutdown(): void {
    void this.events?.return?.();
  }

  invalidate(tenantId: string): void {
    this.byTenant.delete(tenantId);
  }

  current(
    tenantId: string,
    { fresh = false }: { fresh?: boolean } = {},
  ): Promise<ScoringModelChoice> {
    const cached = this.byTenant.get(tenantId);
    if (cached && !fresh && Date.now() - cached.at < CACHE_TTL_MS) return cached.choice;
    const choice = this.resolve(tenantId);
    this.byTenant.set(tenantId, { at: Date.now(), choice });
    // A failed load is not cached: the next call tries again.
    choice.catch(() => this.byTenant.delete(tenantId));
    return choice;
  }

  private async resolve(tenantId: string): Promise<ScoringModelChoice> {
    const deployment = await this.models.deployment(tenantId);
    const shadow = deployment.shadow
      ? { shadow: await this.single(tenantId, deployment.shadow.modelId) }
      : {};
    const test = deployment.abTest;
    if (test)
      return {
        kind: 'AB',
        testId: test.id,
        shareA: test.shareA,
        a: await this.single(tenantId, test.modelA),
        b: await this.single(tenantId, test.modelB),
        ...shadow,
      };
    return {
      ...(await this.single(tenantId, deployment.stack.at(-1) ?? WEIGHTED_SUM_ID)),
      ...shadow,
    };
  }

  private async single(tenantId: string, modelId: string): Promise<SingleModelChoice> {
    if (modelId === WEIGHTED_SUM_ID) return WEIGHTED_SUM_CHOICE;
    const model = await this.models.get(tenantId, modelId);
    return {
      kind: 'TRAINED',
      modelId: model.modelId,
      version: model.version,
      modelType: model.type,
      serving: await this.servingOf(tenantId, model),
    };
  }

  private async servingOf(tenantId: string, model: MlModel): Promise<ServingModel> {
    const key = model._id.toHexString();
    const held = this.loaded.get(key);
    if (held) return held;
    const serving = await this.models.loadServing(tenantId, model);
    if (this.loaded.size >= MAX_LOADED_MODELS) this.loaded.delete(this.loaded.keys().next().value!);
    this.loaded.set(key, serving);
    return serving;
  }
}
