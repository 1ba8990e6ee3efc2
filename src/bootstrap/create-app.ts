import type { IncomingMessage } from 'node:http';

import { INestApplication, NestApplicationOptions } from '@nestjs/common';
import { json, RequestHandler, urlencoded } from 'express';
import { NestFactory } from '@nestjs/core';
import { getConnectionToken } from '@nestjs/mongoose';
import type { Connection } from 'mongoose';
import { NestExpressApplication } from '@nestjs/platform-express';
import type { ModuleMetadata } from '@nestjs/common';

import { graphqlAnswerMiddleware } from '@/common/graphql/graphql-answer.middleware';
import { batchLimitMiddleware } from '@/common/graphql/limits/batch-limit.middleware';
import { GRAPHQL_PATH } from '@/common/graphql/graphql-options';
import type { Logging } from '@/common/logging/logging';
import { ConnectedAppConfig } from '@/config/app-config';
import { HttpMetricsMiddleware } from '@/metrics/http-metrics.middleware';
import { mountOpenApi } from '@/rest-api/openapi/setup-openapi';
import { AppModule, servesApi } from '@/app.module';

import { dashboardAssets } from './dashboard-assets';

const STREAMED_BODY_PATHS: ReadonlySet<string> = new Set(['/import/leads']);

/** Webhook signatures are computed over the exact bytes received (as Nest's `rawBody` option). */
function keepRawBody(req: IncomingMessage & { rawBody?: Buffer }, _res: unknown, buffer: Buffer) {
  req.rawBody = buffer;
}

function exceptOn(paths: ReadonlySet<string>, middleware: RequestHandler): RequestHandler {
  return (req, res, next) => (paths.has(req.path) ? next() : middleware(req, res, next));
}

export interface CreateAppOptions {
  readonly config: ConnectedAppConfig;
  readonly logging: Logging;
  /** Extra modules (tests register probe processors this way). */
  readonly imports?: ModuleMetadata['imports'];
}

/** How the Nest application is created, by main and by the tests' testing module alike. */
export function nestApplicationOptions(logging: Logging): NestApplicationOptions {
  // Body parsers are ours (see prepareApp): one route reads its body as a stream.
  return { logger: logging.logger, bodyParser: false, abortOnError: false };
}

/** Builds and initialises the Nest application (not yet listening). */
export async function createApp({
  config,
  logging,
  imports,
}: CreateAppOptions): Promise<INestApplication> {
  const app = await NestFactory.create<NestExpressApplication>(
    AppModule.forRoot(config, { imports }),
    nestApplicationOptions(logging),
  );
  return prepareApp(app, config, logging);
}

/**
 * Mounts the HTTP middleware, initialises the modules and waits for the indexes. Shared by main
 * (through createApp) and the integration tests (on an app built by `Test.createTestingModule`).
 */
export async function prepareApp(
  app: NestExpressApplication,
  config: ConnectedAppConfig,
  logging: Logging,
): Promise<INestApplication> {
  app.disable('x-powered-by');
  // Which proxies may name the client address (per-address rate limits and logs read it).
  app.set('trust proxy', config.http.trustProxy);
  // Registered before init so they wrap every route, GraphQL included; logging first, so every
  // answer (a malformed body's 400 as well) has a request id and a log line.
  const metrics = app.get(HttpMetricsMiddleware);
  app.use(logging.http);
  app.use(metrics.use.bind(metrics));
  // Routes that read their body as a stream (the CSV import) get no parsed body: a CSV sent as
  // JSON must answer 415 from the route, not a JSON parse error from the parser.
  app.use(
    exceptOn(STREAMED_BODY_PATHS, json({ limit: config.http.bodyLimit, verify: keepRawBody })),
  );
  app.use(
    exceptOn(
      STREAMED_BODY_PATHS,
      urlencoded({ limit: config.http.bodyLimit, extended: false, verify: keepRawBody }),
    ),
  );
  app.use(GRAPHQL_PATH, batchLimitMiddleware(config.graphql.maxBatch));
  app.use(GRAPHQL_PATH, graphqlAnswerMiddleware);
  if (servesApi(config)) {
    const dashboard = dashboardAssets(config.dashboardDir);
    if (dashboard) app.use(dashboard);
    else
      logging.logger.log(
        { msg: 'dashboard not built: serving the API only', dashboardDir: config.dashboardDir },
        'Dashboard',
      );
    mountOpenApi(app, { production: config.env === 'production' });
  }
  await app.init();
  // Serve only once every collection has its indexes: unique constraints must hold from the
  // first request, and mongo-java-server fails queries that race a collection's index build.
  const connection = app.get<Connection>(getConnectionToken());
  await Promise.all(Object.values(connection.models).map((model) => model.init()));
  return app;
}
