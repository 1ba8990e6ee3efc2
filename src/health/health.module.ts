import { Global, Module } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';

import { HealthController } from './health.controller';
import { HealthResolver } from './health.resolver';
import { HealthService } from './health.service';
import { AcceptingTrafficHealthIndicator } from './indicators/accepting-traffic.health';
import { EnginesHealthIndicator } from './indicators/engines.health';
import { ShutdownStateService } from './shutdown-state.service';

@Global()
@Module({
  // A failed readiness check is an answer (503 naming the engine), not an error to log: the
  // engines' own supervision and the request log already say what went wrong.
  imports: [TerminusModule.forRoot({ logger: false })],
  controllers: [HealthController],
  providers: [
    HealthService,
    HealthResolver,
    ShutdownStateService,
    EnginesHealthIndicator,
    AcceptingTrafficHealthIndicator,
  ],
  exports: [HealthService, ShutdownStateService],
})
export class HealthModule {}
