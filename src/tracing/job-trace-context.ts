import { context, propagation, type Context } from '@opentelemetry/api';

/**
 * The key under which a queued job's data carries the trace context of the code that queued it
 * (W3C `traceparent`/`tracestate`), so that the worker's span joins the producer's trace even in
 * another process. Absent when tracing is off.
 */
export const JOB_TRACE_KEY = 'traceContext';

export type TraceCarrier = Record<string, string>;

/** The job data with the current trace context added; the data itself when there is none. */
export function withTraceCarrier(data: unknown, from: Context = context.active()): unknown {
  if (!isPlainObject(data)) return data;
  const carrier: TraceCarrier = {};
  propagation.inject(from, carrier);
  if (Object.keys(carrier).length === 0) return data;
  return { ...data, [JOB_TRACE_KEY]: carrier };
}

/** The context a job was queued in (the active context when the job carries none). */
export function contextOfJob(data: unknown): Context {
  const carrier = isPlainObject(data) ? data[JOB_TRACE_KEY] : undefined;
  if (!isPlainObject(carrier)) return context.active();
  return propagation.extract(context.active(), carrier as TraceCarrier);
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const proto = Object.getPrototypeOf(value) as unknown;
  return proto === Object.prototype || proto === null;
}
