import { ApolloDriver, ApolloDriverConfig } from '@nestjs/apollo';
import { BullModule } from '@nestjs/bull';
import { DynamicModule, Module, ModuleMetadata } from '@nestjs/common';
import { APP_FILTER } from '@nestjs/core';
import { GraphQLModule } from '@nestjs/graphql';
import { MongooseModule } from '@nestjs/mongoose';

import { HttpExceptionFilter } from '@/common/errors/http-exception.filter';
import { buildGraphqlOptions } from '@/common/graphql/graphql-options';
import { RedisModule } from '@/common/redis/redis.module';
import { APP_CONFIG, ConnectedAppConfig } from '@/config/app-config';
import { AppConfigModule } from '@/config/config.module';
import { HealthModule } from '@/health/health.module';
import { MetricsModule } from '@/metrics/metrics.module';
import { SystemModule } from '@/system/system.module';

export function servesApi(config: Pick<ConnectedAppConfig, 'role'>): boolean {
  return config.role === 'api' || config.role === 'all';
}

export function runsWorkers(config: Pick<ConnectedAppConfig, 'role'>): boolean {
  return config.role === 'worker' || config.role === 'all';
}

/**
 * The whole application, built from a validated configuration. The role decides what this
 * process does: `api` serves HTTP, GraphQL and subscriptions; `worker` runs the queue processors
 * (and answers /health and /metrics); `all` does both.
 */
@Module({})
export class AppModule {
  static forRoot(
    config: ConnectedAppConfig,
    extra: Pick<ModuleMetadata, 'imports'> = {},
  ): DynamicModule {
    const api: DynamicModule[] = servesApi(config)
      ? [
          GraphQLModule.forRootAsync<ApolloDriverConfig>({
            driver: ApolloDriver,
            inject: [APP_CONFIG],
            useFactory: buildGraphqlOptions,
          }),
        ]
      : [];

    return {
      module: AppModule,
      imports: [
        AppConfigModule.forRoot(config),
        MongooseModule.forRoot(config.mongo.uri, {
          serverSelectionTimeoutMS: config.mongo.serverSelectionTimeoutMs,
          // Fail fast with one clear error instead of retrying for half a minute.
          retryAttempts: 1,
          retryDelay: 500,
          autoIndex: true,
        }),
        BullModule.forRoot({
          url: config.redis.url,
          prefix: `${config.redis.prefix}:bull`,
        }),
        RedisModule,
        HealthModule,
        MetricsModule,
        ...api,
        SystemModule,
        ...(extra.imports ?? []),
      ],
      providers: [{ provide: APP_FILTER, useClass: HttpExceptionFilter }],
    };
  }
}
