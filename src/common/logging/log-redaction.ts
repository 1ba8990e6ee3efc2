import { isError } from '@/common/errors/is-error';

/**
 * What never reaches a log line: secrets and personal data. Structured fields are censored by
 * name (pino's `redact`, compiled once); free text (messages, error messages and stacks) is
 * scrubbed of the shapes that carry them, because an error can quote a value (a duplicate-key
 * error names the email it refused; a library error can echo a header).
 */

export const REDACTED = '[redacted]';

/** Field names whose value is a secret or personal data, wherever they sit in a logged object. */
const SENSITIVE_KEYS = [
  'authorization',
  'cookie',
  'password',
  'currentPassword',
  'newPassword',
  'token',
  'accessToken',
  'refreshToken',
  'apiKey',
  'secret',
  'webhookSecret',
  'email',
];

/**
 * pino redact paths: each sensitive key at the top level and up to two objects down (a request's
 * headers, a mutation's input, an error's details), plus the headers of a serialized request.
 * pino's wildcards match one level each; deeper logging of such objects is not done here.
 */
export const REDACT_PATHS: readonly string[] = [
  ...SENSITIVE_KEYS,
  ...SENSITIVE_KEYS.map((key) => `*.${key}`),
  ...SENSITIVE_KEYS.map((key) => `*.*.${key}`),
  'req.headers["x-api-key"]',
  'req.headers["x-webhook-signature"]',
];

const EMAIL = /[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}/g;
// A JWT: three base64url parts, the first two starting with `eyJ` (`{"` encoded).
const JWT = /eyJ[A-Za-z0-9_-]{5,}\.eyJ[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]*/g;
const BEARER = /\b(Bearer|Basic)\s+[A-Za-z0-9._~+/=-]+/gi;
// `password=...`, `"password":"..."`, `token: ...` in text (a query string, a quoted body).
const KEY_VALUE = /\b(password|passwd|secret|token|api[_-]?key)("?\s*[:=]\s*"?)([^"\s&,}]+)/gi;
// Credentials in a connection string: scheme://user:password@host.
const URL_CREDENTIALS = /(\/\/)[^/\s:@]+:[^/\s@]+@/g;

/** Free text with emails, tokens and credentials replaced. Cheap when there is nothing to hide. */
export function scrubText(text: string): string {
  if (text.length === 0) return text;
  return text
    .replace(JWT, REDACTED)
    .replace(BEARER, `$1 ${REDACTED}`)
    .replace(KEY_VALUE, `$1$2${REDACTED}`)
    .replace(URL_CREDENTIALS, `$1${REDACTED}@`)
    .replace(EMAIL, REDACTED);
}

/** An error as a log field: type, message and stack, each scrubbed; the cause likewise. */
export function serializeError(error: unknown, depth = 0): Record<string, unknown> | string {
  if (!isError(error)) return scrubText(String(error));
  const out: Record<string, unknown> = {
    type: error.name,
    message: scrubText(error.message),
  };
  if (error.stack) out.stack = scrubText(error.stack);
  const code = (error as { code?: unknown }).code;
  if (typeof code === 'string' || typeof code === 'number') out.code = code;
  if (error.cause !== undefined && depth < 3) out.cause = serializeError(error.cause, depth + 1);
  return out;
}
