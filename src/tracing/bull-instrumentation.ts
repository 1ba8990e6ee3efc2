import {
  context,
  type Span,
  SpanKind,
  SpanStatusCode,
  trace,
  type Tracer,
} from '@opentelemetry/api';
import {
  InstrumentationBase,
  type InstrumentationConfig,
  InstrumentationNodeModuleDefinition,
} from '@opentelemetry/instrumentation';
import type { Job, Queue } from 'bull';

import { contextOfJob, withTraceCarrier } from './job-trace-context';

/**
 * Traces Bull 4 queues: `add` becomes a PRODUCER span whose context travels in the job's data
 * (job-trace-context.ts), and each processed job a CONSUMER span that continues that trace, in
 * whichever process runs it. Hand-written because OpenTelemetry's contrib packages cover BullMQ
 * only, not Bull; it patches the two public seams every processor goes through (`Queue#add` and
 * `Queue#setHandler`, which `Queue#process` and @nestjs/bull call), not Bull's internals.
 */
export class BullInstrumentation extends InstrumentationBase<InstrumentationConfig> {
  constructor(config: InstrumentationConfig = {}) {
    super('lead-scoring-bull', '1.0.0', config);
  }

  protected init() {
    return new InstrumentationNodeModuleDefinition(
      'bull',
      ['>=4 <5'],
      (moduleExports: BullModule) => {
        this.patch(moduleExports.prototype);
        return moduleExports;
      },
      (moduleExports: BullModule) => {
        this._unwrap(moduleExports.prototype, 'add');
        this._unwrap(moduleExports.prototype, 'addBulk');
        this._unwrap(moduleExports.prototype, 'setHandler');
      },
    );
  }

  /** Exposed for the unit test, which patches a Queue-like prototype without a module load. */
  patch(proto: QueuePrototype): void {
    this._wrap(proto, 'add', (original) => tracedAdd(this.tracer, original));
    this._wrap(proto, 'addBulk', (original) => tracedAddBulk(this.tracer, original));
    this._wrap(proto, 'setHandler', (original) => tracedSetHandler(this.tracer, original));
  }
}

interface BullModule {
  prototype: QueuePrototype;
}

type Handler = (job: Job) => Promise<unknown>;
type QueueLike = Pick<Queue, 'name'> & { handlers: Record<string, Handler | undefined> };
type AddArgs = [nameOrData: unknown, data?: unknown, opts?: Record<string, unknown>];

type BulkJob = { name?: string; data: unknown; opts?: Record<string, unknown> };

export interface QueuePrototype {
  add: (this: QueueLike, ...args: AddArgs) => Promise<Job>;
  addBulk: (this: QueueLike, jobs: BulkJob[]) => Promise<Job[]>;
  setHandler: (this: QueueLike, name: string, handler: unknown) => unknown;
}

const MESSAGING = { 'messaging.system': 'bull' };

function tracedAdd(tracer: Tracer, original: QueuePrototype['add']): QueuePrototype['add'] {
  return function (this: QueueLike, ...args: AddArgs) {
    const named = typeof args[0] === 'string';
    const [name, data, opts] = named ? args : ['__default__', args[0], args[1] as AddArgs[2]];
    // A repeatable job's data is reused by every run: a request's context does not belong there.
    // Work queued outside any traced operation (timers, sweeps) starts its own trace on the worker.
    const parent = trace.getSpan(context.active());
    if (opts?.repeat || !parent) return original.apply(this, args);
    const span = tracer.startSpan(`${this.name} publish`, {
      kind: SpanKind.PRODUCER,
      attributes: {
        ...MESSAGING,
        'messaging.operation.type': 'send',
        'messaging.destination.name': this.name,
        'bull.job.name': String(name),
      },
    });
    const active = trace.setSpan(context.active(), span);
    const traced = withTraceCarrier(data, active);
    const added = context.with(active, () =>
      named ? original.call(this, name, traced, opts) : original.call(this, traced, opts),
    );
    return settle(span, added, (job) => {
      if (job?.id !== undefined) span.setAttribute('messaging.message.id', String(job.id));
    });
  };
}

/** One PRODUCER span for the batch; every job carries its context. */
function tracedAddBulk(
  tracer: Tracer,
  original: QueuePrototype['addBulk'],
): QueuePrototype['addBulk'] {
  return function (this: QueueLike, jobs: BulkJob[]) {
    const parent = trace.getSpan(context.active());
    if (!parent || !Array.isArray(jobs)) return original.call(this, jobs);
    const span = tracer.startSpan(`${this.name} publish`, {
      kind: SpanKind.PRODUCER,
      attributes: {
        ...MESSAGING,
        'messaging.operation.type': 'send',
        'messaging.destination.name': this.name,
        'messaging.batch.message_count': jobs.length,
      },
    });
    const active = trace.setSpan(context.active(), span);
    const traced = jobs.map((job) =>
      job.opts?.repeat ? job : { ...job, data: withTraceCarrier(job.data, active) },
    );
    return settle(
      span,
      context.with(active, () => original.call(this, traced)),
    );
  };
}

function tracedSetHandler(
  tracer: Tracer,
  original: QueuePrototype['setHandler'],
): QueuePrototype['setHandler'] {
  return function (this: QueueLike, name: string, handler: unknown) {
    const result = original.call(this, name, handler);
    const run = this.handlers[name];
    if (typeof run !== 'function') return result;
    const queue = this.name;
    this.handlers[name] = (job: Job) => {
      const parent = contextOfJob(job.data);
      const span = tracer.startSpan(
        `${queue} process`,
        {
          kind: SpanKind.CONSUMER,
          attributes: {
            ...MESSAGING,
            'messaging.operation.type': 'process',
            'messaging.destination.name': queue,
            'messaging.message.id': String(job.id),
            'bull.job.name': job.name,
            'bull.job.attempt': job.attemptsMade + 1,
          },
        },
        parent,
      );
      return settle(
        span,
        context.with(trace.setSpan(parent, span), () => run(job)),
      );
    };
    return result;
  };
}

/** Ends the span when the promise settles, recording a rejection as the span's error. */
function settle<T>(span: Span, promise: Promise<T>, onValue?: (value: T) => void): Promise<T> {
  return promise.then(
    (value) => {
      onValue?.(value);
      span.end();
      return value;
    },
    (error: unknown) => {
      span.recordException(error instanceof Error ? error : String(error));
      span.setStatus({
        code: SpanStatusCode.ERROR,
        message: error instanceof Error ? error.message : String(error),
      });
      span.end();
      throw error;
    },
  );
}
