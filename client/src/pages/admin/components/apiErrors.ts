import { CombinedGraphQLErrors } from '@apollo/client';

/** What the API said beyond the message: its code and details (extensions). */
export interface ApiErrorInfo {
  code: string | null;
  message: string;
  extensions: Record<string, unknown>;
}

/** The first GraphQL error of a failed call, or the error's own message. */
export function apiError(error: unknown): ApiErrorInfo {
  if (CombinedGraphQLErrors.is(error) && error.errors.length > 0) {
    const first = error.errors[0];
    const extensions = (first.extensions ?? {}) as Record<string, unknown>;
    const code = typeof extensions.code === 'string' ? extensions.code : null;
    return {
      code,
      message: error.errors.map((e) => e.message).join(' '),
      extensions,
    };
  }
  if (error instanceof Error) return { code: null, message: error.message, extensions: {} };
  return { code: null, message: 'Something went wrong.', extensions: {} };
}

/**
 * Bad fields the API named (`extensions.fields: [{ path, messages }]`), by path without the
 * `input.` prefix: `input.params.learningRate` → `params.learningRate`.
 */
export function fieldErrors(error: unknown): Record<string, string> {
  const { extensions } = apiError(error);
  const fields = extensions.fields;
  const out: Record<string, string> = {};
  if (!Array.isArray(fields)) return out;
  for (const field of fields) {
    if (!field || typeof field !== 'object') continue;
    const { path, messages } = field as { path?: unknown; messages?: unknown };
    if (typeof path !== 'string') continue;
    const text = Array.isArray(messages) ? messages.filter((m) => typeof m === 'string') : [];
    out[path.replace(/^input\./, '')] = text.join(', ') || 'invalid';
  }
  return out;
}
