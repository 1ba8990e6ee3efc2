import { Global, Module } from '@nestjs/common';

import { DomainMetricsModule } from './domain-metrics.module';
import { HttpMetricsMiddleware } from './http-metrics.middleware';
import { MetricsController } from './metrics.controller';
import { MetricsService } from './metrics.service';
import { SlowOperationsModule } from './slow-operations/slow-operations.module';

@Global()
@Module({
  imports: [DomainMetricsModule, SlowOperationsModule],
  controllers: [MetricsController],
  providers: [MetricsService, HttpMetricsMiddleware],
  exports: [MetricsService, HttpMetricsMiddleware],
})
export class MetricsModule {}
