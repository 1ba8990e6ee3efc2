import type { IncomingMessage } from 'node:http';

import { ExpressInstrumentation, ExpressLayerType } from '@opentelemetry/instrumentation-express';
import { GraphQLInstrumentation } from '@opentelemetry/instrumentation-graphql';
import { HttpInstrumentation } from '@opentelemetry/instrumentation-http';
import { IORedisInstrumentation } from '@opentelemetry/instrumentation-ioredis';
import { MongoDBInstrumentation } from '@opentelemetry/instrumentation-mongodb';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { NodeSDK } from '@opentelemetry/sdk-node';

import { BullInstrumentation } from './bull-instrumentation';
import { isUntracedPath, TracingSettings } from './tracing-settings';

export interface Tracing {
  /** Flushes the spans still buffered and stops exporting (graceful shutdown calls it last). */
  shutdown(): Promise<void>;
}

/**
 * Starts the OpenTelemetry Node SDK: spans of HTTP requests (named by their Express route),
 * GraphQL operations, MongoDB commands and Redis commands inside them, and Bull jobs across
 * processes; exported over OTLP as the standard variables say (endpoint, protocol — http/protobuf
 * by default — headers, sampler). Must run before those libraries are first loaded: main.ts
 * imports ./register before anything else.
 */
export function startTracing(settings: TracingSettings): Tracing {
  const sdk = new NodeSDK({
    serviceName: settings.serviceName,
    resource: resourceFromAttributes(settings.resourceAttributes),
    // Metrics stay with Prometheus (/metrics) and logs with stdout: traces only.
    metricReaders: [],
    logRecordProcessors: [],
    instrumentations: [
      new HttpInstrumentation({
        ignoreIncomingRequestHook: (request: IncomingMessage) => isUntracedPath(request.url),
      }),
      // For the route in the HTTP span's name only: no span per middleware or handler layer.
      new ExpressInstrumentation({
        ignoreLayersType: [
          ExpressLayerType.MIDDLEWARE,
          ExpressLayerType.REQUEST_HANDLER,
          ExpressLayerType.ROUTER,
        ],
      }),
      // Parse, validate and execute spans per operation; resolver spans only when asked for
      // (then non-trivial ones, list items merged).
      new GraphQLInstrumentation({
        ignoreResolveSpans: !settings.graphqlResolverSpans,
        mergeItems: true,
        ignoreTrivialResolveSpans: true,
      }),
      // Commands outside a traced operation (Bull's polling, sweeps' reads) start no trace of their own.
      new MongoDBInstrumentation({ requireParentSpan: true }),
      new IORedisInstrumentation({ requireParentSpan: true }),
      new BullInstrumentation(),
    ],
  });
  sdk.start();
  return { shutdown: () => sdk.shutdown() };
}
