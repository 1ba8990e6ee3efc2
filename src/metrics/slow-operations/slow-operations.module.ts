import { Module } from '@nestjs/common';

import { SlowCommandsMonitor } from './slow-commands.monitor';
import { SlowOperationMetrics } from './slow-operation.metrics';
import { SlowScriptsMonitor } from './slow-scripts.monitor';

/**
 * Slow MongoDB commands and Redis scripts, logged and counted (SLOW_OPERATION_MS). Needs the
 * global MetricsService, the Mongoose connection (opened with `monitorCommands: true`) and the
 * app's Redis client.
 */
@Module({
  providers: [SlowOperationMetrics, SlowCommandsMonitor, SlowScriptsMonitor],
})
export class SlowOperationsModule {}
