import { Inject, Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { Model, Types } from 'mongoose';

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

@Injectable()
export class ScoringConfigService extends TenantRepository<ScoringConfig> {
  private readonly defaults: EffectiveScoringConfig;

  constructor(
    @InjectModel(ScoringConfig.name) model: Model<ScoringConfig>,
    @Inject(APP_CONFIG) config: ConnectedAppConfig,
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

  async current(tenantId: string | Types.ObjectId): Promise<EffectiveScoringConfig> {
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
