import request from 'supertest';

import { AppProcess, spawnAppProcess } from '@test/utils/app-process';
import { bearer, registerTenant, Session } from '@test/utils/auth';
import { uploadCsv, waitForImport, ImportView } from '@test/utils/imports';
import { makeInteraction, makeLead, recordInteractions, upsertLeads } from '@test/utils/leads';
import { ancestorsOf, OtlpReceiver, ReceivedSpan, SPAN_KIND } from '@test/utils/otlp-receiver';
import { dropTestDatabase, newTestNamespace } from '@test/utils/test-app';

const SCOPE = {
  http: '@opentelemetry/instrumentation-http',
  graphql: '@opentelemetry/instrumentation-graphql',
  mongodb: '@opentelemetry/instrumentation-mongodb',
  redis: '@opentelemetry/instrumentation-ioredis',
};
const SCORE_EVENT = 'publish scoring.leadScoreChanged';

/**
 * The built app as a real process with OTEL_EXPORTER_OTLP_ENDPOINT set, exporting to a local OTLP
 * receiver (the JSON encoding): one trace per request, across the queue to the worker's job.
 */
describe('tracing (OpenTelemetry over OTLP)', () => {
  const namespace = newTestNamespace();
  const receiver = new OtlpReceiver();
  let app: AppProcess;
  let admin: Session;

  beforeAll(async () => {
    const endpoint = await receiver.start();
    app = await spawnAppProcess({
      namespace,
      readyTimeoutMs: 60_000,
      env: {
        OTEL_EXPORTER_OTLP_ENDPOINT: endpoint,
        OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json',
        OTEL_BSP_SCHEDULE_DELAY: '100',
        OTEL_SERVICE_NAME: 'lead-scoring-traced',
      },
    });
    admin = await registerTenant(app.url);
    await upsertLeads(app.url, admin, [makeLead({ leadId: 'TR-1' })]);
  });

  afterAll(async () => {
    if (app) {
      app.child.kill('SIGTERM');
      await app.exited;
    }
    await receiver.stop();
    await dropTestDatabase(namespace);
  });

  const traceOf = (span: ReceivedSpan) => receiver.spans.filter((s) => s.traceId === span.traceId);

  it('follows an interaction from the HTTP request through GraphQL, MongoDB and Redis to the score event', async () => {
    // Probes and scrapes are left out of tracing.
    expect((await request(app.url).get('/health/ready')).status).toBe(200);
    expect((await request(app.url).get('/metrics')).status).toBe(200);

    const recorded = await recordInteractions(app.url, admin, [
      makeInteraction({ leadId: 'TR-1', type: 'WEBSITE_VISIT', secondsSpent: 90 }),
    ]);
    expect(recorded.data?.recordInteractions).toMatchObject({ accepted: 1 });

    const publish = await receiver.waitFor((spans) =>
      spans.find(
        (span) =>
          span.name === SCORE_EVENT &&
          ancestorsOf(span, spans).some((a) => a.scope === SCOPE.graphql) &&
          spans.some((s) => s.traceId === span.traceId && s.scope === SCOPE.redis),
      ),
    );
    const spans = traceOf(publish);
    const root = spans.find((span) => !span.parentSpanId)!;
    expect(root).toMatchObject({
      kind: SPAN_KIND.SERVER,
      scope: SCOPE.http,
      service: 'lead-scoring-traced',
      name: 'POST /graphql',
    });
    expect(publish.kind).toBe(SPAN_KIND.PRODUCER);
    expect(ancestorsOf(publish, spans).at(-1)).toBe(root);
    const operation = spans.find(
      (span) => span.scope === SCOPE.graphql && span.attributes['graphql.operation.type'],
    );
    expect(operation?.attributes['graphql.operation.type']).toBe('mutation');
    // The MongoDB commands of the write, their filters without values.
    const mongo = spans.filter((span) => span.scope === SCOPE.mongodb);
    expect(mongo.length).toBeGreaterThan(0);
    for (const span of mongo) {
      expect(span.kind).toBe(SPAN_KIND.CLIENT);
      expect(JSON.stringify(span.attributes)).not.toContain('TR-1');
    }
    expect(spans.some((span) => span.scope === SCOPE.redis)).toBe(true);
    // Every span of the trace descends from the request's.
    for (const span of spans) if (span !== root) expect(ancestorsOf(span, spans).at(-1)).toBe(root);

    // The request's log line names the trace.
    const line = await app.waitForLog(
      (l) => l.msg === 'request finished' && l.traceId === root.traceId,
    );
    expect(line.spanId).toEqual(expect.any(String));
    // No probe or scrape was traced.
    expect(
      receiver.spans.filter(
        (span) => span.kind === SPAN_KIND.SERVER && /health|metrics/.test(span.name),
      ),
    ).toEqual([]);
  });

  it('carries the trace in the job data from the upload, through the imports queue, to the score event', async () => {
    const csv = ['id,full_name,industry', 'TR-2,Ada,software', 'TR-3,Grace,defense'].join('\n');
    const started = await uploadCsv(app.url, admin, csv, {
      leadId: 'id',
      name: 'full_name',
      attributes: ['industry'],
    });
    expect(started.status).toBe(202);
    const done = await waitForImport(app.url, admin, (started.body as ImportView).id);
    expect(done).toMatchObject({ status: 'COMPLETED', importedRows: 2 });

    const consumer = await receiver.waitFor((spans) =>
      spans.find(
        (span) =>
          span.name === 'imports process' &&
          spans.some((s) => s.name === SCORE_EVENT && ancestorsOf(s, spans).includes(span)),
      ),
    );
    const spans = traceOf(consumer);
    expect(consumer).toMatchObject({
      kind: SPAN_KIND.CONSUMER,
      attributes: expect.objectContaining({
        'messaging.system': 'bull',
        'messaging.destination.name': 'imports',
      }) as unknown,
    });
    const [producer, ...above] = ancestorsOf(consumer, spans);
    expect(producer).toMatchObject({ name: 'imports publish', kind: SPAN_KIND.PRODUCER });
    expect(producer.attributes['messaging.message.id']).toBe(
      consumer.attributes['messaging.message.id'],
    );
    const root = above.at(-1)!;
    expect(root).toMatchObject({ kind: SPAN_KIND.SERVER, name: 'POST /import/leads' });
    expect(root.parentSpanId).toBeUndefined();
    // The worker's own MongoDB work is in the trace too.
    expect(
      spans.some(
        (span) => span.scope === SCOPE.mongodb && ancestorsOf(span, spans).includes(consumer),
      ),
    ).toBe(true);
  });

  it('flushes what is buffered when the process stops', async () => {
    const before = receiver.spans.length;
    const response = await request(app.url)
      .post('/graphql')
      .set(bearer(admin))
      .send({ query: 'query Me { me { id } }', operationName: 'Me' });
    expect(response.status).toBe(200);
    app.child.kill('SIGTERM');
    expect((await app.exited).code).toBe(0);
    const names = receiver.spans.slice(before).map((span) => span.name);
    expect(names).toContain('POST /graphql');
  });
});
