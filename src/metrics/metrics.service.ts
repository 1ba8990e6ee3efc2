import { Inject, Injectable } from '@nestjs/common';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';

import { APP_CONFIG } from '@/config/app-config';
import type { ConnectedAppConfig } from '@/config/app-config';
import { HealthState } from '@/health/health.model';
import { HealthService } from '@/health/health.service';

import { GraphqlOperationMetrics } from './graphql-operation-metrics';
import { WebSocketMetrics } from './websocket-metrics';

/**
 * One Prometheus registry per application instance (never the global one: two instances in one
 * process, as in tests, would otherwise clash). Feature modules add their own metrics through it.
 */
@Injectable()
export class MetricsService {
  readonly registry = new Registry();
  readonly httpRequests: Counter<'method' | 'route' | 'status'>;
  readonly httpDuration: Histogram<'method' | 'route'>;
  /**
   * Pages of the ranked list (`leads`) by where they were read: `source="redis"` (the ranking
   * index), or `source="mongo"` with the reason: `filtered` (a status or search filter),
   * `unservable` (a query the index does not keep), `missing` / `incomplete` (the index needs a
   * rebuild), `disabled` (RANKING_INDEX=off), `error` (Redis did not answer).
   */
  readonly rankedPages: Counter<'source' | 'reason'>;
  /** Plain groups of metrics built on this registry, reached by whatever injects this service. */
  readonly graphqlOperations: GraphqlOperationMetrics;
  readonly webSocket: WebSocketMetrics;

  constructor(@Inject(APP_CONFIG) config: ConnectedAppConfig, health: HealthService) {
    this.registry.setDefaultLabels({ role: config.role, instance: config.instanceId });
    collectDefaultMetrics({ register: this.registry, prefix: 'leadscoring_' });

    this.httpRequests = new Counter({
      name: 'leadscoring_http_requests_total',
      help: 'HTTP requests answered, by route template and status.',
      labelNames: ['method', 'route', 'status'],
      registers: [this.registry],
    });
    this.httpDuration = new Histogram({
      name: 'leadscoring_http_request_duration_seconds',
      help: 'HTTP request duration, by route template.',
      labelNames: ['method', 'route'],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
      registers: [this.registry],
    });
    this.rankedPages = new Counter({
      name: 'leadscoring_ranked_pages_total',
      help: 'Pages of the ranked lead list, by source (redis index or mongo) and fallback reason.',
      labelNames: ['source', 'reason'],
      registers: [this.registry],
    });
    this.graphqlOperations = new GraphqlOperationMetrics(this.registry);
    this.webSocket = new WebSocketMetrics(this.registry);
    new Gauge({
      name: 'leadscoring_dependency_up',
      help: '1 when the dependency answers its health probe.',
      labelNames: ['dependency'],
      registers: [this.registry],
      async collect() {
        const { dependencies } = await health.check();
        this.set({ dependency: 'mongo' }, dependencies.mongo.status === HealthState.UP ? 1 : 0);
        this.set({ dependency: 'redis' }, dependencies.redis.status === HealthState.UP ? 1 : 0);
      },
    });
  }

  render(): Promise<string> {
    return this.registry.metrics();
  }
}
