import { Injectable } from '@nestjs/common';
import { Counter, Histogram } from 'prom-client';

import { MetricsService } from '@/metrics/metrics.service';

export type SlowOperationEngine = 'mongo' | 'redis';

/**
 * Slow operations (at least SLOW_OPERATION_MS) and the duration of every MongoDB command. Labels
 * are bounded: an engine, a command name from a fixed list; never a collection, key or tenant.
 */
@Injectable()
export class SlowOperationMetrics {
  readonly slowOperations: Counter<'engine' | 'operation'>;
  readonly mongoCommandDuration: Histogram<'command'>;

  constructor(metrics: MetricsService) {
    const registers = [metrics.registry];
    this.slowOperations = new Counter({
      name: 'leadscoring_slow_operations_total',
      help: 'MongoDB commands and Redis scripts that took at least SLOW_OPERATION_MS, by engine and operation.',
      labelNames: ['engine', 'operation'],
      registers,
    });
    this.mongoCommandDuration = new Histogram({
      name: 'leadscoring_mongo_command_duration_seconds',
      help: 'MongoDB command duration as the driver measured it (sent to answered), by command.',
      labelNames: ['command'],
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers,
    });
  }

  countSlow(engine: SlowOperationEngine, operation: string): void {
    this.slowOperations.inc({ engine, operation });
  }
}
