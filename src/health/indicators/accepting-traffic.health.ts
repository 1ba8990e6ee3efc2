import { Injectable } from '@nestjs/common';
import { HealthIndicatorResult, HealthIndicatorService } from '@nestjs/terminus';

import { ShutdownStateService } from '../shutdown-state.service';

/** Down from the moment shutdown begins: a load balancer stops sending new work here. */
@Injectable()
export class AcceptingTrafficHealthIndicator {
  constructor(
    private readonly shutdownState: ShutdownStateService,
    private readonly indicators: HealthIndicatorService,
  ) {}

  check(): HealthIndicatorResult<'traffic'> {
    const session = this.indicators.check('traffic');
    return this.shutdownState.isShuttingDown
      ? session.down({ message: 'shutting down: draining' })
      : session.up();
  }
}
