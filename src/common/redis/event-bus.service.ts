import { Inject, Injectable } from '@nestjs/common';
import { RedisPubSub } from 'graphql-redis-subscriptions';

import { APP_CONFIG } from '@/config/app-config';
import type { ConnectedAppConfig } from '@/config/app-config';

import { PUB_SUB } from './redis.constants';

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

  publish<T extends object>(topic: string, payload: T): Promise<void> {
    return this.pubSub.publish(this.channel(topic), payload);
  }

  /** For GraphQL subscription resolvers. */
  iterator<T>(topic: string): AsyncIterableIterator<T> {
    return this.pubSub.asyncIterableIterator<T>(this.channel(topic)) as AsyncIterableIterator<T>;
  }
}
