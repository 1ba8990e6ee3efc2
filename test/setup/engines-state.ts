import type { StartedEngines } from '../../src/local-engines/local-engines';

/** Where global setup leaves the engines' addresses for the test workers. */
export const ENGINE_ENV = { mongo: 'TEST_MONGODB_URI', redis: 'TEST_REDIS_URL' } as const;

// Global setup and teardown run in the same (parent) process: a global carries the handle across.
const KEY = Symbol.for('lead-scoring.test-engines');
type Holder = { [KEY]?: StartedEngines };

export function setEngines(engines: StartedEngines): void {
  (globalThis as Holder)[KEY] = engines;
}

export function takeEngines(): StartedEngines | undefined {
  const engines = (globalThis as Holder)[KEY];
  delete (globalThis as Holder)[KEY];
  return engines;
}
