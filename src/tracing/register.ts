/**
 * Imported first by main.ts: starts tracing when OTEL_EXPORTER_OTLP_ENDPOINT (or
 * OTEL_EXPORTER_OTLP_TRACES_ENDPOINT) is set, before HTTP, Express, GraphQL, MongoDB, Redis and
 * Bull are loaded, so that their instrumentations can patch them. Does nothing otherwise.
 */
import { applyEnvFile } from '@/config/env-file';

import { startTracing, Tracing } from './start-tracing';
import { tracingSettings, TracingSettingsError } from './tracing-settings';

function start(): Tracing | undefined {
  try {
    // The `.env` file may set the OTEL_* variables; main() applies it again (a no-op by then).
    applyEnvFile(process.env);
  } catch {
    // A broken `.env` is reported by main() with the rest of the configuration.
  }
  try {
    const settings = tracingSettings(process.env);
    return settings && startTracing(settings);
  } catch (error) {
    if (error instanceof TracingSettingsError) {
      process.stderr.write(`Configuration is invalid:\n  ${error.message}\n`);
      process.exit(1);
    }
    throw error;
  }
}

/** The running tracer's handle, or undefined when tracing is off. */
export const tracing = start();
