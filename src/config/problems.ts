import type { z } from 'zod';

import { blankAsAbsent } from './env-fields';
import type { Env } from './env-schema';

/** One bad variable, before it is phrased for the error message. */
export interface Problem {
  readonly variable: string;
  readonly message: string;
}

/** Credentials: never shown in an error, even malformed. */
const SECRET_VARIABLES = new Set([
  'JWT_SECRET',
  'JWT_PRIVATE_KEY',
  'SECRETS_ENCRYPTION_KEYS',
  'OPENAI_API_KEY',
]);

/** URLs, which may carry a user and password: only their scheme is shown. */
const URL_VARIABLES = new Set(['MONGODB_URI', 'REDIS_URL', 'JWT_JWKS_URL', 'OPENAI_BASE_URL']);

/** Every schema issue is about one variable: the first step of its path. */
export function problemsFromIssues(issues: readonly z.core.$ZodIssue[]): Problem[] {
  return issues.map((issue) => ({ variable: String(issue.path[0]), message: issue.message }));
}

/**
 * `NAME: message (got "value")`, the value helping to spot a typo; a secret's value, and one read
 * from a `_FILE` (secret by intent), is never shown.
 */
export function phraseProblem(
  { variable, message }: Problem,
  env: Env,
  readFromFile: ReadonlySet<string>,
): string {
  if (readFromFile.has(variable)) return `${variable}: ${message} (read from ${variable}_FILE)`;
  const value = blankAsAbsent(env[variable]);
  if (typeof value !== 'string' || SECRET_VARIABLES.has(variable)) return `${variable}: ${message}`;
  const shown = URL_VARIABLES.has(variable) ? shownUrl(value) : value;
  return `${variable}: ${message} (got "${shown}")`;
}

/** A URL as shown: its scheme (`mongodb:`), or if malformed, masked up to its last '@'. */
function shownUrl(value: string): string {
  try {
    return new URL(value).protocol;
  } catch {
    return value.replace(/^([^@]*?\/\/)?.*@/, '$1***@');
  }
}
