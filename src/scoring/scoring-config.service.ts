import { Inject, Injectable, Logger, OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { Model, Types } from 'mongoose';

import { EventBus } from '@/common/redis/event-bus.service';
import { TenantRepository } from '@/common/tenancy/tenant-repository';
import { APP_CONFIG } from '@/config/app-config';
import type { ConnectedAppConfig } from '@/config/app-config';

import { ScoringConfigModel, UpdateScoringConfigInput } from './models/scoring-config.model';
import { ScoringException } from './scoring.exception';
import { DEFAULT_THRESHOLDS, TierThresholds } from './scorer/priority-tier.util';
import { ScoringParameters } from './scorer/score-engagement.util';
import { ScoringConfig } from './schemas/scoring-config.schema';

/** What the scorer needs, resolved for one tenant at one version. */
export interface EffectiveScoringConfig {
  readonly version: number;
  readonly parameters: ScoringParameters;
  readonly thresholds: TierThresholds;
  readonly createdAt: Date | null;
  readonly createdBy: string | null;
}

const DUPLICATE_KEY = 11000;

/** Published when a tenant saves a configuration: every process drops its cached one. */
export const SCORING_CONFIG_TOPIC = 'scoring.config';

export interface ScoringConfigSavedEvent {
  readonly tenantId: string;
  readonly version: number;
}

/** How long a cached configuration is trusted without an event (a missed message heals by then). */
export const CONFIG_CACHE_TTL_MS = 60_000;
/** Tenants whose configuration a process keeps (the oldest entry goes first beyond it). */
const MAX_CACHED_TENANTS = 10_000;

/**
 * A tenant's scoring configuration versions. Live scoring reads the current one through `cached`
 * (one MongoDB read a minute per tenant and process instead of one per scoring call, a seventh of
 * the commands of a single-event `recordInteractions`); a save drops it here at once and in every other process
 * through the EventBus. Readers that must see the newest (batch jobs, the API) use `current`.
 */
@Injectable()
export class ScoringConfigService
  extends TenantRepository<ScoringConfig>
  implements OnModuleInit, OnApplicationShutdown
{
  private readonly logger = new Logger(ScoringConfigService.name);
  private readonly defaults: EffectiveScoringConfig;
  private readonly cache = new Map<
    string,
    { readonly at: number; readonly config: Promise<EffectiveScoringConfig> }
  >();
  private events?: AsyncIterableIterator<ScoringConfigSavedEvent>;

  constructor(
    @InjectModel(ScoringConfig.name) model: Model<ScoringConfig>,
    @Inject(APP_CONFIG) config: ConnectedAppConfig,
    private readonly bus: EventBus,
  ) {
    super(model);
    this.defaults = {
      version: 1,
      parameters: {
        weights: config.scoring.weights,
        caps: config.scoring.caps,
        halfLifeDays: config.scoring.halfLifeDays,
      },
      thresholds: DEFAULT_THRESHOLDS,
      createdAt: null,
      createdBy: null,
    };
  }

  onModuleInit(): void {
    const events = this.bus.iterator<ScoringConfigSavedEvent>(SCORING_CONFIG_TOPIC);
    this.events = events;
    void (async () => {
      for await (const event of events) this.invalidate(event.tenantId);
    })().catch((error: unknown) =>
      this.logger.error(`scoring configuration saves no longer heard: ${String(error)}`),
    );
  }

  onApplicationShutdown(): void {
    void this.events?.return?.();
  }

  /** The current configuration, read from MongoDB (and kept for `cached`). */
  current(tenantId: string | Types.ObjectId): Promise<EffectiveScoringConfig> {
    const key = String(tenantId);
    const config = this.read(key);
    const entry = { at: Date.now(), config };
    this.cache.delete(key); // re-inserted last: the Map's order is the entries' age
    this.cache.set(key, entry);
    if (this.cache.size > MAX_CACHED_TENANTS) this.cache.delete(this.cache.keys().next().value!);
    // A failed read is not kept: the next call tries again.
    config.catch(() => {
      if (this.cache.get(key) === entry) this.cache.delete(key);
    });
    return config;
  }

  /**
   * The current configuration as this process last read it, for at most CONFIG_CACHE_TTL_MS:
   * a save anywhere drops it (SCORING_CONFIG_TOPIC). A caller that meets a score of a newer
   * version than the answer (a save whose event has not arrived) asks `current` (see
   * LeadScoringService.liveConfig).
   */
  cached(tenantId: string | Types.ObjectId): Promise<EffectiveScoringConfig> {
    const hit = this.cache.get(String(tenantId));
    if (hit && Date.now() - hit.at < CONFIG_CACHE_TTL_MS) return hit.config;
    return this.current(tenantId);
  }

  /** Forgets the tenant's cached configuration (a save, here or in another process). */
  invalidate(tenantId: string): void {
    this.cache.delete(tenantId);
  }

  private async read(tenantId: string): Promise<EffectiveScoringConfig> {
    const [latest] = await this.find(tenantId, {}, { sort: { version: -1 }, limit: 1 });
    return latest ? toEffective(latest) : this.defaults;
  }

  async update(
    tenantId: string,
    actorId: string,
    input: UpdateScoringConfigInput,
  ): Promise<EffectiveScoringConfig> {
    const current = await this.current(tenantId);
    const { parameters, thresholds } = withChanges(current, input);
    const weights = [...parameters.weights];
    const caps = [...parameters.caps];
    const halfLifeDays = parameters.halfLifeDays;

    // The input's own rules (UpdateScoringConfigInput) have checked every field, each problem
    // reported at once; what is kept from the current version was valid when it was saved.
    try {
      const saved = await this.create(tenantId, {
        version: current.version + 1,
        weights,
        caps,
        halfLifeDays,
        hotThreshold: thresholds.hot,
        warmThreshold: thresholds.warm,
        createdBy: new Types.ObjectId(actorId),
      });
      this.invalidate(tenantId);
      // Should the event be lost, other processes find the new version within the cache's TTL,
      // or at once when they meet a score of it.
      await this.bus
        .publish<ScoringConfigSavedEvent>(SCORING_CONFIG_TOPIC, {
          tenantId,
          version: saved.version,
        })
        .catch((error: unknown) =>
          this.logger.warn({
            msg: 'could not tell other processes of a saved scoring configuration',
            tenantId,
            error: String(error),
          }),
        );
      return toEffective(saved);
    } catch (error) {
      // Two managers saving at once: the unique (tenant, version) index lets one win.
      if ((error as { code?: number }).code === DUPLICATE_KEY)
        throw ScoringException.concurrentChange();
      throw error;
    }
  }
}

/** The current configuration with the fields the input sets replaced (what saving it would keep). */
export function withChanges(
  current: EffectiveScoringConfig,
  input: UpdateScoringConfigInput,
): Pick<EffectiveScoringConfig, 'parameters' | 'thresholds'> {
  return {
    parameters: {
      weights: input.weights
        ? [input.weights.emailOpens, input.weights.websiteVisits, input.weights.timeSpent]
        : current.parameters.weights,
      caps: input.caps
        ? [input.caps.emailOpens, input.caps.websiteVisits, input.caps.timeSpent]
        : current.parameters.caps,
      halfLifeDays: input.halfLifeDays ?? current.parameters.halfLifeDays,
    },
    thresholds: input.thresholds
      ? { hot: input.thresholds.hot, warm: input.thresholds.warm }
      : current.thresholds,
  };
}

function toEffective(doc: ScoringConfig): EffectiveScoringConfig {
  return {
    version: doc.version,
    parameters: {
      weights: [doc.weights[0], doc.weights[1], doc.weights[2]],
      caps: [doc.caps[0], doc.caps[1], doc.caps[2]],
      halfLifeDays: doc.halfLifeDays,
    },
    thresholds: { hot: doc.hotThreshold, warm: doc.warmThreshold },
    createdAt: doc.createdAt ?? null,
    createdBy: doc.createdBy?.toHexString() ?? null,
  };
}

export function toScoringConfigModel(config: EffectiveScoringConfig): ScoringConfigModel {
  const [we, wv, wt] = config.parameters.weights;
  const [ce, cv, ct] = config.parameters.caps;
  return {
    version: config.version,
    weights: { emailOpens: we, websiteVisits: wv, timeSpent: wt },
    caps: { emailOpens: ce, websiteVisits: cv, timeSpent: ct },
    halfLifeDays: config.parameters.halfLifeDays,
    thresholds: config.thresholds,
    createdAt: config.createdAt,
    createdBy: config.createdBy,
  };
}
