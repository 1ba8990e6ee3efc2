import { ApolloDriver, ApolloDriverConfig } from '@nestjs/apollo';
import { BullModule } from '@nestjs/bull';
import { DynamicModule, Module, ModuleMetadata } from '@nestjs/common';
import { APP_FILTER, APP_GUARD, APP_PIPE } from '@nestjs/core';
import { GraphQLModule } from '@nestjs/graphql';
import { MongooseModule } from '@nestjs/mongoose';

import { AuthModule } from '@/auth/auth.module';
import { RequestGate } from '@/auth/guards/request-gate.guard';
import { HttpExceptionFilter } from '@/common/errors/http-exception.filter';
import { WsSessions } from '@/common/graphql/ws/ws-sessions.service';
import { configureJsonInputLimits } from '@/common/validation/json-input-limits';
import { createValidationPipe } from '@/common/validation/app-validation.pipe';
import { RateLimitModule } from '@/rate-limit/rate-limit.module';
import { buildGraphqlOptions } from '@/common/graphql/graphql-options';
import { RedisModule } from '@/common/redis/redis.module';
import { APP_CONFIG, ConnectedAppConfig } from '@/config/app-config';
import { AppConfigModule } from '@/config/config.module';
import { HealthModule } from '@/health/health.module';
import { MetricsModule } from '@/metrics/metrics.module';
import { FeedbackModule } from '@/feedback/feedback.module';
import { LeadImportModule } from '@/leads/import/lead-import.module';
import { LeadsModule } from '@/leads/leads.module';
import { MlModelsModule } from '@/ml-models/ml-models.module';
import { ModelSetupModule } from '@/model-setup/model-setup.module';
import { WeightSuggestionModule } from '@/weight-suggestion/weight-suggestion.module';
import { SystemModule } from '@/system/system.module';
import { TrainingModule } from '@/training/training.module';
import { LifecycleModule } from '@/lifecycle/lifecycle.module';
import { AiModule } from '@/ai/ai.module';
import { DriftModule } from '@/drift/drift.module';
import { VersionsModule } from '@/versions/versions.module';
import { RestApiModule } from '@/rest-api/rest-api.module';
import { WebhooksModule } from '@/webhooks/webhooks.module';

/** Bull's key prefix: `{<REDIS_PREFIX>:bull}`, one hash slot for the queues (Cluster-safe). */
export function bullPrefix(redisPrefix: string): string {
  return `{${redisPrefix}:bull}`;
}

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
            imports: [AuthModule],
            inject: [APP_CONFIG, WsSessions],
            useFactory: buildGraphqlOptions,
          }),
        ]
      : [];

    configureJsonInputLimits(config.jsonInput);
    // One instance of each feature module, handed to the modules built on it.
    const leads = LeadsModule.register({ api: servesApi(config), worker: runsWorkers(config) });
    const feedback = FeedbackModule.register({ leads });
    const versions = VersionsModule.register({ leads, worker: runsWorkers(config) });
    const mlModels = MlModelsModule.register({ leads, versions });
    const training = TrainingModule.register({ versions, mlModels, worker: runsWorkers(config) });
    const ai = AiModule.register({
      config,
      leads,
      api: servesApi(config),
      worker: runsWorkers(config),
    });
    const lifecycle = LifecycleModule.register({
      leads,
      feedback,
      versions,
      mlModels,
      training,
      worker: runsWorkers(config),
    });
    return {
      module: AppModule,
      imports: [
        AppConfigModule.forRoot(config),
        MongooseModule.forRoot(config.mongo.uri, {
          serverSelectionTimeoutMS: config.mongo.serverSelectionTimeoutMs,
          // No request waits forever on an engine that stopped answering mid-command.
          socketTimeoutMS: 60_000,
          // Fail fast with one clear error instead of retrying for half a minute.
          retryAttempts: 1,
          retryDelay: 500,
          autoIndex: true,
          // Command events for SlowCommandsMonitor (src/metrics/slow-operations/).
          monitorCommands: true,
        }),
        BullModule.forRoot({
          url: config.redis.url,
          // In a hash tag: Bull's scripts touch many keys of a queue at once, which a Redis Cluster
          // accepts only within one hash slot.
          prefix: bullPrefix(config.redis.prefix),
          settings: {
            lockDuration: config.queues.lockDurationMs,
            stalledInterval: config.queues.stalledIntervalMs,
            maxStalledCount: 3,
          },
        }),
        RedisModule,
        RateLimitModule,
        AuthModule,
        HealthModule,
        MetricsModule,
        ...api,
        SystemModule,
        leads,
        feedback,
        versions,
        mlModels,
        training,
        ModelSetupModule.register({ versions, worker: runsWorkers(config) }),
        WeightSuggestionModule.register({ leads, feedback }),
        lifecycle,
        DriftModule.register({
          leads,
          versions,
          mlModels,
          lifecycle,
          worker: runsWorkers(config),
        }),
        ai,
        LeadImportModule.register({
          leads,
          feedback,
          api: servesApi(config),
          worker: runsWorkers(config),
        }),
        RestApiModule.register({
          api: servesApi(config),
          leads,
          mlModels,
          training,
          ai,
          feedback,
        }),
        WebhooksModule.register({ config, api: servesApi(config), worker: runsWorkers(config) }),
        ...(extra.imports ?? []),
      ],
      providers: [
        { provide: APP_FILTER, useClass: HttpExceptionFilter },
        { provide: APP_PIPE, useFactory: createValidationPipe },
        // Per-address limit, authentication, roles, then the per-user limit: one guard, one
        // Redis round trip.
        { provide: APP_GUARD, useExisting: RequestGate },
      ],
    };
  }
}
