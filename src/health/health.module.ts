import { Global, Module } from '@nestjs/common';

import { HealthController } from './health.controller';
import { HealthResolver } from './health.resolver';
import { HealthService } from './health.service';
import { ShutdownStateService } from './shutdown-state.service';

@Global()
@Module({
  controllers: [HealthController],
  providers: [HealthService, HealthResolver, ShutdownStateService],
  exports: [HealthService, ShutdownStateService],
})
export class HealthModule {}
