import { isUntracedPath, tracingSettings, TracingSettingsError } from './tracing-settings';

describe('tracingSettings', () => {
  it('is off without an OTLP endpoint', () => {
    expect(tracingSettings({})).toBeUndefined();
    expect(tracingSettings({ OTEL_EXPORTER_OTLP_ENDPOINT: '  ' })).toBeUndefined();
  });

  it('is on with either endpoint variable, named lead-scoring unless OTEL_SERVICE_NAME says', () => {
    expect(tracingSettings({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318' })).toEqual({
      serviceName: 'lead-scoring',
      resourceAttributes: { 'app.role': 'all' },
      graphqlResolverSpans: false,
    });
    expect(
      tracingSettings({
        OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'https://collector:4318/v1/traces',
        OTEL_SERVICE_NAME: 'scoring-eu',
        APP_ROLE: 'worker',
        INSTANCE_ID: 'worker-2',
      }),
    ).toEqual({
      serviceName: 'scoring-eu',
      resourceAttributes: { 'app.role': 'worker', 'service.instance.id': 'worker-2' },
      graphqlResolverSpans: false,
    });
  });

  it('adds resolver spans with TRACE_GRAPHQL_RESOLVERS=true and refuses other values', () => {
    const endpoint = { OTEL_EXPORTER_OTLP_ENDPOINT: 'http://c:4318' };
    expect(
      tracingSettings({ ...endpoint, TRACE_GRAPHQL_RESOLVERS: 'TRUE' })?.graphqlResolverSpans,
    ).toBe(true);
    expect(() => tracingSettings({ ...endpoint, TRACE_GRAPHQL_RESOLVERS: 'yes' })).toThrow(
      /^TRACE_GRAPHQL_RESOLVERS: must be true or false/,
    );
  });

  it('stays off when OTEL_SDK_DISABLED is true, whatever the endpoint', () => {
    expect(
      tracingSettings({ OTEL_SDK_DISABLED: 'TRUE', OTEL_EXPORTER_OTLP_ENDPOINT: 'http://c:4318' }),
    ).toBeUndefined();
  });

  it.each(['collector:4318', 'grpc://collector:4317', 'not a url'])(
    'refuses the endpoint %p with the variable named',
    (value) => {
      expect(() => tracingSettings({ OTEL_EXPORTER_OTLP_ENDPOINT: value })).toThrow(
        TracingSettingsError,
      );
      expect(() => tracingSettings({ OTEL_EXPORTER_OTLP_ENDPOINT: value })).toThrow(
        /^OTEL_EXPORTER_OTLP_ENDPOINT: must be an http\(s\) URL/,
      );
    },
  );
});

describe('isUntracedPath', () => {
  it.each([
    ['/health/ready', true],
    ['/health/live?x=1', true],
    ['/metrics', true],
    ['/graphql', false],
    ['/metrics-export', false],
    [undefined, false],
  ])('%p → %p', (path, untraced) => {
    expect(isUntracedPath(path)).toBe(untraced);
  });
});
