import { Injectable } from '@nestjs/common';
import { HealthIndicatorResult, HealthIndicatorService } from '@nestjs/terminus';

import { DependencyHealth, HealthState } from '../health.model';
import { HealthService } from '../health.service';

type EngineName = 'mongo' | 'redis';

/**
 * Terminus indicators over the engines' write-and-read probes. Both indicators of one readiness
 * check read the same probe run (HealthService shares it between concurrent callers).
 */
@Injectable()
export class EnginesHealthIndicator {
  constructor(
    private readonly health: HealthService,
    private readonly indicators: HealthIndicatorService,
  ) {}

  async check(engine: EngineName): Promise<HealthIndicatorResult<EngineName>> {
    const { dependencies } = await this.health.check();
    return this.result(engine, dependencies[engine]);
  }

  private result(engine: EngineName, probe: DependencyHealth): HealthIndicatorResult<EngineName> {
    const session = this.indicators.check(engine);
    return probe.status === HealthState.UP
      ? session.up({ latencyMs: probe.latencyMs, engine: probe.engine })
      : session.down({ message: probe.error ?? 'down' });
  }
}
