import { Global, Module } from '@nestjs/common';
import { ThrottlerModule } from '@nestjs/throttler';
import Redis from 'ioredis';

import { REDIS_CLIENT } from '@/common/redis/redis.constants';

import { APP_CONFIG } from '@/config/app-config';
import type { ConnectedAppConfig } from '@/config/app-config';

import { RateLimiterService } from './rate-limiter.service';
import { RequestBudgets } from './request-budgets';
import { IP_THROTTLER, USER_THROTTLER } from './throttlers';

export const MINUTE_MS = 60_000;

@Global()
@Module({
  imports: [
    ThrottlerModule.forRootAsync({
      inject: [APP_CONFIG, REDIS_CLIENT],
      useFactory: (config: ConnectedAppConfig, redis: Redis) => ({
        throttlers: [
          { name: IP_THROTTLER, ttl: MINUTE_MS, limit: config.rateLimit.ipPerMinute },
          { name: USER_THROTTLER, ttl: MINUTE_MS, limit: config.rateLimit.userPerMinute },
        ],
        storage: new RequestBudgets(redis, config.redis.prefix),
      }),
    }),
  ],
  providers: [RateLimiterService],
  exports: [RateLimiterService, ThrottlerModule],
})
export class RateLimitModule {}
