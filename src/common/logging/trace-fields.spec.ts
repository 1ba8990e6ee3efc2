import { context, trace } from '@opentelemetry/api';
import {
  InMemorySpanExporter,
  NodeTracerProvider,
  SimpleSpanProcessor,
} from '@opentelemetry/sdk-trace-node';
import pino from 'pino';
import { Writable } from 'node:stream';

import { pinoOptions, traceFields } from './logger-options';

describe('trace ids on log lines', () => {
  const provider = new NodeTracerProvider({
    spanProcessors: [new SimpleSpanProcessor(new InMemorySpanExporter())],
  });
  provider.register();
  afterAll(() => provider.shutdown());

  it('names no trace outside a span (and when tracing is off)', () => {
    expect(traceFields()).toEqual({});
  });

  it("names the active span's trace and span on each line logged inside it", () => {
    const lines: Record<string, unknown>[] = [];
    const sink = new Writable({
      write(chunk: Buffer, _encoding, done) {
        lines.push(JSON.parse(chunk.toString()) as Record<string, unknown>);
        done();
      },
    });
    const logger = pino(pinoOptions({ level: 'log', base: {} }), sink);
    const span = provider.getTracer('test').startSpan('work');
    context.with(trace.setSpan(context.active(), span), () => logger.info('inside'));
    logger.info('outside');
    span.end();

    expect(lines[0]).toMatchObject({
      msg: 'inside',
      traceId: span.spanContext().traceId,
      spanId: span.spanContext().spanId,
    });
    expect(lines[1]).not.toHaveProperty('traceId');
  });
});
