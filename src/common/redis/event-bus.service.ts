import { Inject, Injectable } from '@nestjs/common';
import { SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import { RedisPubSub } from 'graphql-redis-subscriptions';

import { APP_CONFIG } from '@/config/app-config';
import type { ConnectedAppConfig } from '@/config/app-config';

import { PUB_SUB } from './redis.constants';

const tracer = trace.getTracer('lead-scoring.events');

/**
 * Events between processes (api and worker replicas) over Redis PubSub. Channels are namespaced
 * by REDIS_PREFIX so that deployments, and test files, sharing one Redis never see each other's.
 * Payloads travel as JSON: dates arrive as ISO strings.
 */
@Injectable()
export class EventBus {
  private readonly channelPrefix: string;

  constructor(
    @Inject(PUB_SUB) private readonly pubSub: RedisPubSub,
    @Inject(APP_CONFIG) config: ConnectedAppConfig,
  ) {
    this.channelPrefix = `${config.redis.prefix}:events:`;
  }

  channel(topic: string): string {
    return this.channelPrefix + topic;
  }

  /** Traced (when tracing is on) as a PRODUCER span in the trace of the work that published. */
  publish<T extends object>(topic: string, payload: T): Promise<void> {
    return tracer.startActiveSpan(
      `publish ${topic}`,
      {
        kind: SpanKind.PRODUCER,
        attributes: {
          'messaging.system': 'redis',
          'messaging.operation.type': 'send',
          'messaging.destination.name': topic,
        },
      },
      (span) =>
        this.pubSub.publish(this.channel(topic), payload).then(
          () => span.end(),
          (error: unknown) => {
            span.setStatus({ code: SpanStatusCode.ERROR, message: String(error) });
            span.end();
            throw error;
          },
        ),
    );
  }

  /** For GraphQL subscription resolvers. */
  iterator<T>(topic: string): AsyncIterableIterator<T> {
    return this.pubSub.asyncIterableIterator<T>(this.channel(topic)) as AsyncIterableIterator<T>;
  }
}
