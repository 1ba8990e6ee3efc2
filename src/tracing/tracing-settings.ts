/**
 * Whether and how this process traces, from the standard OpenTelemetry variables. Tracing is off
 * unless an OTLP endpoint is set; everything else (protocol, headers, sampler, resource
 * attributes) is read by the SDK itself from the variables the OpenTelemetry specification names.
 */
export interface TracingSettings {
  readonly serviceName: string;
  /** Resource attributes of our own, beside what the SDK detects (host, process, OTEL_RESOURCE_ATTRIBUTES). */
  readonly resourceAttributes: Record<string, string>;
  /**
   * A span per GraphQL resolver (TRACE_GRAPHQL_RESOLVERS=true). Off by default: wrapping every
   * field of every list item halved the `leads` saturation throughput in `npm run bench`; the
   * operation's parse, validate and execute spans stay either way.
   */
  readonly graphqlResolverSpans: boolean;
}

const ENDPOINT_VARIABLES = [
  'OTEL_EXPORTER_OTLP_TRACES_ENDPOINT',
  'OTEL_EXPORTER_OTLP_ENDPOINT',
] as const;

const DEFAULT_SERVICE_NAME = 'lead-scoring';

/** Requests never traced: probes and scrapes come every few seconds and say nothing. */
const UNTRACED_PATHS = ['/health/live', '/health/ready', '/health', '/metrics'];

export class TracingSettingsError extends Error {}

/** `undefined` when tracing is off (no endpoint, or OTEL_SDK_DISABLED=true). */
export function tracingSettings(
  env: Record<string, string | undefined>,
): TracingSettings | undefined {
  if (env.OTEL_SDK_DISABLED?.trim().toLowerCase() === 'true') return undefined;
  const configured = ENDPOINT_VARIABLES.filter((name) => env[name]?.trim());
  if (configured.length === 0) return undefined;
  for (const name of configured) {
    const value = env[name]!.trim();
    let url: URL | undefined;
    try {
      url = new URL(value);
    } catch {
      url = undefined;
    }
    if (!url || !['http:', 'https:'].includes(url.protocol))
      throw new TracingSettingsError(
        `${name}: must be an http(s) URL of an OTLP receiver, e.g. http://otel-collector:4318 (got "${value}")`,
      );
  }
  const role = env.APP_ROLE?.trim() || 'all';
  return {
    serviceName: env.OTEL_SERVICE_NAME?.trim() || DEFAULT_SERVICE_NAME,
    resourceAttributes: {
      'app.role': role,
      ...(env.INSTANCE_ID?.trim() ? { 'service.instance.id': env.INSTANCE_ID.trim() } : {}),
    },
    graphqlResolverSpans: parseFlag(env, 'TRACE_GRAPHQL_RESOLVERS'),
  };
}

function parseFlag(env: Record<string, string | undefined>, name: string): boolean {
  const value = env[name]?.trim().toLowerCase();
  if (!value || value === 'false') return false;
  if (value === 'true') return true;
  throw new TracingSettingsError(`${name}: must be true or false (got "${env[name]}")`);
}

/** Whether an incoming request is left out of tracing (its path, query string ignored). */
export function isUntracedPath(url: string | undefined): boolean {
  if (!url) return false;
  const path = url.split('?', 1)[0];
  return UNTRACED_PATHS.includes(path);
}
