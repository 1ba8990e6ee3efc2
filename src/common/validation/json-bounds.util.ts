import type { JsonInputLimits } from '@/config/app-config';

/** The defaults of the JSON_MAX_* variables (README, Configuration). */
export const DEFAULT_JSON_INPUT_LIMITS: JsonInputLimits = {
  maxDepth: 10,
  maxKeysPerObject: 100,
  maxTotalKeys: 1000,
  maxKeyLength: 100,
  maxStringLength: 5000,
  maxBytes: 16_384,
};

/** Names that would reach into the prototype of whatever object the value is merged into. */
const FORBIDDEN_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

export interface JsonProblem {
  /** Dotted path below the value (`a.b.3.c`); empty for the value itself. */
  readonly path: string;
  readonly message: string;
}

/**
 * Checks free-form JSON input (lead attributes, event metadata) against the configured bounds and
 * the field-name rules of MongoDB (no leading `$`, no `.`, no NUL), so one request can neither
 * exhaust the database engine nor smuggle an operator or a prototype key into a document.
 *
 * Walks the value with an explicit stack, never recursion: a value nested a million levels deep
 * costs one problem, not a stack overflow. Stops at the first problem of each kind that makes
 * walking further pointless (depth, total keys, size); reports at most `maxProblems`.
 */
export function findJsonProblems(
  value: unknown,
  limits: JsonInputLimits,
  maxProblems = 10,
): JsonProblem[] {
  const problems: JsonProblem[] = [];
  const add = (path: string, message: string): boolean => {
    problems.push({ path, message });
    return problems.length < maxProblems;
  };
  let totalKeys = 0;
  let bytes = 0;
  // Each entry: a value, its path and its depth (the value given is at depth 1 when it is a container).
  const stack: { value: unknown; path: string; depth: number }[] = [{ value, path: '', depth: 0 }];
  while (stack.length > 0) {
    const { value: current, path, depth } = stack.pop()!;
    if (current === null || typeof current === 'boolean') {
      bytes += 5;
    } else if (typeof current === 'number') {
      if (!Number.isFinite(current) && !add(path, 'must be a finite number')) return problems;
      bytes += 24;
    } else if (typeof current === 'string') {
      bytes += current.length + 2;
      if (current.length > limits.maxStringLength) {
        if (!add(path, `string longer than ${limits.maxStringLength} characters`)) return problems;
      }
    } else if (typeof current === 'object') {
      const level = depth + 1;
      if (level > limits.maxDepth) {
        add(path, `nested deeper than ${limits.maxDepth} levels`);
        return problems;
      }
      const isArray = Array.isArray(current);
      const entries: [string, unknown][] = isArray
        ? (current as unknown[]).map((item, i) => [String(i), item])
        : Object.entries(current as Record<string, unknown>);
      if (!isArray && !isPlainObject(current)) {
        if (!add(path, 'must be plain JSON')) return problems;
        continue;
      }
      if (entries.length > limits.maxKeysPerObject) {
        const what = isArray ? 'items' : 'keys';
        if (!add(path, `more than ${limits.maxKeysPerObject} ${what}`)) return problems;
      }
      totalKeys += entries.length;
      if (totalKeys > limits.maxTotalKeys) {
        add(path, `more than ${limits.maxTotalKeys} keys and items in all`);
        return problems;
      }
      bytes += 2;
      const childPath = (key: string) => (path === '' ? key : `${path}.${key}`);
      if (!isArray) {
        for (const [key] of entries) {
          bytes += key.length + 3;
          const keyProblem = describeKeyProblem(key, limits.maxKeyLength);
          if (keyProblem !== undefined && !add(childPath(key), keyProblem)) return problems;
        }
      }
      // Pushed last to first, so children are visited in their order.
      for (let i = entries.length - 1; i >= 0; i--) {
        stack.push({ value: entries[i][1], path: childPath(entries[i][0]), depth: level });
      }
    } else {
      if (!add(path, 'must be plain JSON')) return problems;
    }
    if (bytes > limits.maxBytes) {
      add('', `larger than ${limits.maxBytes} bytes as JSON`);
      return problems;
    }
  }
  return problems;
}

function isPlainObject(value: object): boolean {
  const proto = Object.getPrototypeOf(value) as unknown;
  return proto === Object.prototype || proto === null;
}

function describeKeyProblem(key: string, maxLength: number): string | undefined {
  if (key.length === 0) return 'key must not be empty';
  if (key.length > maxLength) return `key longer than ${maxLength} characters`;
  if (key.startsWith('$')) return 'key must not start with $';
  if (key.includes('.')) return 'key must not contain "."';
  if (key.includes('\0')) return 'key must not contain a NUL character';
  if (FORBIDDEN_KEYS.has(key)) return `key "${key}" is not allowed`;
  return undefined;
}

/** One line for error messages: `attributes.a.b: nested deeper than 10 levels; …`. */
export function describeJsonProblems(base: string, problems: readonly JsonProblem[]): string {
  return problems
    .map((problem) => `${problem.path ? `${base}.${problem.path}` : base}: ${problem.message}`)
    .join('; ');
}
