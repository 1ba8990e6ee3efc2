import { context, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import {
  InMemorySpanExporter,
  NodeTracerProvider,
  SimpleSpanProcessor,
} from '@opentelemetry/sdk-trace-node';
import type { Job } from 'bull';

import { BullInstrumentation, QueuePrototype } from './bull-instrumentation';
import { JOB_TRACE_KEY, withTraceCarrier } from './job-trace-context';

type Handler = (job: Job) => Promise<unknown>;

/** Queue's two seams as Bull 4 has them: `add` stores, `setHandler` keeps a promise handler. */
class FakeQueue {
  readonly added: { name: string; data: unknown; opts?: Record<string, unknown> }[] = [];
  readonly handlers: Record<string, Handler | undefined> = {};
  constructor(readonly name: string) {}

  add(...args: [unknown, unknown?, Record<string, unknown>?]): Promise<Job> {
    const [name, data, opts] =
      typeof args[0] === 'string'
        ? (args as [string, unknown, Record<string, unknown>?])
        : ['__default__', args[0], args[1] as Record<string, unknown> | undefined];
    this.added.push({ name, data, opts });
    return Promise.resolve({ id: String(this.added.length), name, data } as unknown as Job);
  }

  addBulk(jobs: { name?: string; data: unknown; opts?: Record<string, unknown> }[]) {
    // Bull's addBulk creates the jobs itself, not through add.
    for (const job of jobs)
      this.added.push({ name: job.name ?? '__default__', data: job.data, opts: job.opts });
    return Promise.resolve(jobs.map((_, i) => ({ id: String(i + 1) }) as unknown as Job));
  }

  setHandler(name: string, handler: (job: Job) => unknown): void {
    this.handlers[name] = (job) => Promise.resolve().then(() => handler(job));
  }
}

const jobOf = (data: unknown, id = '1') =>
  ({ id, name: 'import', data, attemptsMade: 0 }) as unknown as Job;

describe('BullInstrumentation', () => {
  const exporter = new InMemorySpanExporter();
  const provider = new NodeTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] });
  provider.register();
  const tracer = provider.getTracer('test');
  const instrumentation = new BullInstrumentation({ enabled: false });
  instrumentation.setTracerProvider(provider);
  instrumentation.patch(FakeQueue.prototype as unknown as QueuePrototype);

  afterEach(() => exporter.reset());
  afterAll(() => provider.shutdown());

  it('adds a PRODUCER span under the active one and puts its context in the job data', async () => {
    const queue = new FakeQueue('imports');
    const data = { tenantId: 't1', importId: 'i1' };
    const request = tracer.startSpan('POST /import/leads');
    await context.with(trace.setSpan(context.active(), request), () =>
      queue.add('import', data, { attempts: 3 }),
    );
    request.end();

    const [producer] = exporter.getFinishedSpans().filter((s) => s.name === 'imports publish');
    expect(producer.kind).toBe(SpanKind.PRODUCER);
    expect(producer.parentSpanContext?.spanId).toBe(request.spanContext().spanId);
    expect(producer.attributes).toMatchObject({
      'messaging.system': 'bull',
      'messaging.destination.name': 'imports',
      'messaging.message.id': '1',
      'bull.job.name': 'import',
    });
    const stored = queue.added[0];
    expect(stored.opts).toEqual({ attempts: 3 });
    expect(stored.data).toEqual({
      ...data,
      [JOB_TRACE_KEY]: {
        traceparent: `00-${producer.spanContext().traceId}-${producer.spanContext().spanId}-01`,
      },
    });
    // The caller's object is not changed.
    expect(data).toEqual({ tenantId: 't1', importId: 'i1' });
  });

  it('also traces the (data, opts) form of add', async () => {
    const queue = new FakeQueue('scoring');
    const parent = tracer.startSpan('parent');
    await context.with(trace.setSpan(context.active(), parent), () =>
      queue.add({ tenantId: 't1' }, { priority: 1 }),
    );
    parent.end();
    expect(queue.added[0].opts).toEqual({ priority: 1 });
    expect(queue.added[0].data).toHaveProperty(JOB_TRACE_KEY);
  });

  it('traces addBulk as one PRODUCER span whose context every job carries', async () => {
    const queue = new FakeQueue('webhooks');
    const parent = tracer.startSpan('parent');
    await context.with(trace.setSpan(context.active(), parent), () =>
      queue.addBulk([
        { name: 'deliver', data: { n: 1 } },
        { name: 'deliver', data: { n: 2 }, opts: { jobId: 'x' } },
      ]),
    );
    parent.end();
    const producer = exporter.getFinishedSpans().find((s) => s.name === 'webhooks publish')!;
    expect(producer.attributes['messaging.batch.message_count']).toBe(2);
    const traceparent = `00-${producer.spanContext().traceId}-${producer.spanContext().spanId}-01`;
    expect(queue.added.map((job) => job.data)).toEqual([
      { n: 1, [JOB_TRACE_KEY]: { traceparent } },
      { n: 2, [JOB_TRACE_KEY]: { traceparent } },
    ]);
    expect(queue.added[1].opts).toEqual({ jobId: 'x' });
  });

  it('leaves jobs alone outside any trace, repeatable jobs, and data that is not a plain object', async () => {
    const queue = new FakeQueue('drift');
    await queue.add('sweep', { a: 1 });
    const parent = tracer.startSpan('parent');
    await context.with(trace.setSpan(context.active(), parent), async () => {
      await queue.add('sweep', { a: 2 }, { repeat: { every: 60_000 } });
      await queue.add('raw', 'text');
      await queue.add('list', [1, 2]);
    });
    parent.end();
    expect(queue.added.map((job) => job.data)).toEqual([{ a: 1 }, { a: 2 }, 'text', [1, 2]]);
    expect(exporter.getFinishedSpans().map((s) => s.name)).toEqual([
      'drift publish',
      'drift publish',
      'parent',
    ]);
  });

  it('runs a job in a CONSUMER span that continues the trace it was queued in', async () => {
    const queue = new FakeQueue('imports');
    let activeInside: string | undefined;
    queue.setHandler('import', () => {
      activeInside = trace.getActiveSpan()?.spanContext().spanId;
      return 'done';
    });
    const producer = tracer.startSpan('imports publish');
    const data = withTraceCarrier({ importId: 'i1' }, trace.setSpan(context.active(), producer));
    producer.end();

    await expect(queue.handlers.import!(jobOf(data, '42'))).resolves.toBe('done');

    const consumer = exporter.getFinishedSpans().find((s) => s.name === 'imports process')!;
    expect(consumer.kind).toBe(SpanKind.CONSUMER);
    expect(consumer.spanContext().traceId).toBe(producer.spanContext().traceId);
    expect(consumer.parentSpanContext?.spanId).toBe(producer.spanContext().spanId);
    expect(consumer.attributes).toMatchObject({
      'messaging.message.id': '42',
      'bull.job.attempt': 1,
    });
    expect(activeInside).toBe(consumer.spanContext().spanId);
  });

  it('records a failed job on its span and still rejects', async () => {
    const queue = new FakeQueue('training');
    queue.setHandler('train', () => {
      throw new Error('no rows');
    });
    await expect(queue.handlers.train!(jobOf({ jobId: 'j' }))).rejects.toThrow('no rows');
    const [span] = exporter.getFinishedSpans();
    expect(span.name).toBe('training process');
    expect(span.parentSpanContext).toBeUndefined();
    expect(span.status).toEqual({ code: SpanStatusCode.ERROR, message: 'no rows' });
    expect(span.events.map((event) => event.name)).toEqual(['exception']);
  });
});
