import { Global, Module } from '@nestjs/common';

import { QueueMetricsService } from './queue-metrics.service';

/**
 * Metrics that need Nest to find what they measure (the Bull queues of this process). The plain
 * groups (GraphQL operations, WebSockets) are built by MetricsService itself.
 */
@Global()
@Module({
  providers: [QueueMetricsService],
  exports: [QueueMetricsService],
})
export class DomainMetricsModule {}
