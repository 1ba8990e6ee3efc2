import { Global, Inject, Module, OnApplicationShutdown } from '@nestjs/common';
import { RedisPubSub } from 'graphql-redis-subscriptions';
import Redis from 'ioredis';

import { APP_CONFIG } from '@/config/app-config';
import type { ConnectedAppConfig } from '@/config/app-config';

import { createRedisClient } from './create-redis-client';
import { EventBus } from './event-bus.service';
import { PUB_SUB, REDIS_CLIENT } from './redis.constants';

@Global()
@Module({
  providers: [
    {
      provide: REDIS_CLIENT,
      inject: [APP_CONFIG],
      useFactory: (config: ConnectedAppConfig) => createRedisClient(config.redis.url, 'main'),
    },
    {
      provide: PUB_SUB,
      inject: [APP_CONFIG],
      useFactory: (config: ConnectedAppConfig) =>
        new RedisPubSub({
          publisher: createRedisClient(config.redis.url, 'publisher'),
          // No ready check: ioredis sends its INFO after a SUBSCRIBE issued between connecting and
          // ready, the server refuses it in subscriber mode, and the connection never recovers
          // (measured: every subscription made 5-13 ms after start lost; listeners that start at
          // boot, like the deployed-model cache, do just that).
          subscriber: createRedisClient(config.redis.url, 'subscriber', {
            enableReadyCheck: false,
          }),
        }),
    },
    EventBus,
  ],
  exports: [REDIS_CLIENT, EventBus],
})
export class RedisModule implements OnApplicationShutdown {
  constructor(
    @Inject(REDIS_CLIENT) private readonly redis: Redis,
    @Inject(PUB_SUB) private readonly pubSub: RedisPubSub,
  ) {}

  async onApplicationShutdown(): Promise<void> {
    await Promise.allSettled([this.pubSub.close(), this.redis.quit()]);
    this.redis.disconnect();
  }
}
