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
  // Each frame: a value, where it sits (its parent's frame and its key there) and its depth (the
  // value given is at depth 1 when it is a container). Paths are spelled only for a problem: a
  // call of 1,000 interactions walks ~6,000 values, and a path string for each was most of it.
  const stack: Frame[] = [{ value, parent: undefined, key: '', depth: 0 }];
  while (stack.length > 0) {
    const frame = stack.pop()!;
    const { value: current, depth } = frame;
    if (current === null || typeof current === 'boolean') {
      bytes += 5;
    } else if (typeof current === 'number') {
      if (!Number.isFinite(current) && !add(pathOf(frame), 'must be a finite number'))
        return problems;
      bytes += 24;
    } else if (typeof current === 'string') {
      bytes += current.length + 2;
      if (current.length > limits.maxStringLength) {
        if (!add(pathOf(frame), `string longer than ${limits.maxStringLength} characters`))
          return problems;
      }
    } else if (typeof current === 'object') {
      const level = depth + 1;
      if (level > limits.maxDepth) {
        add(pathOf(frame), `nested deeper than ${limits.maxDepth} levels`);
        return problems;
      }
      const isArray = Array.isArray(current);
      if (!isArray && !isPlainObject(current)) {
        if (!add(pathOf(frame), 'must be plain JSON')) return problems;
        continue;
      }
      const items = isArray ? (current as unknown[]) : undefined;
      const keys = isArray ? undefined : Object.keys(current);
      const count = items ? items.length : keys!.length;
      if (count > limits.maxKeysPerObject) {
        const what = isArray ? 'items' : 'keys';
        if (!add(pathOf(frame), `more than ${limits.maxKeysPerObject} ${what}`)) return problems;
      }
      totalKeys += count;
      if (totalKeys > limits.maxTotalKeys) {
        add(pathOf(frame), `more than ${limits.maxTotalKeys} keys and items in all`);
        return problems;
      }
      bytes += 2;
      if (keys) {
        for (const key of keys) {
          bytes += key.length + 3;
          const keyProblem = describeKeyProblem(key, limits.maxKeyLength);
          if (keyProblem !== undefined && !add(childPathOf(frame, key), keyProblem))
            return problems;
        }
      }
      // Pushed last to first, so children are visited in their order.
      const record = current as Record<string, unknown>;
      for (let i = count - 1; i >= 0; i--) {
        if (items) stack.push({ value: items[i], parent: frame, key: i, depth: level });
        else stack.push({ value: record[keys![i]], parent: frame, key: keys![i], depth: level });
      }
    } else {
      if (!add(pathOf(frame), 'must be plain JSON')) return problems;
    }
    if (bytes > limits.maxBytes) {
      add('', `larger than ${limits.maxBytes} bytes as JSON`);
      return problems;
    }
  }
  return problems;
}

/** A value met by findJsonProblems' walk: its parent's frame and its key there. */
interface Frame {
  readonly value: unknown;
  readonly parent: Frame | undefined;
  readonly key: string | number;
  readonly depth: number;
}

/** A frame's dotted path (`a.b.3.c`; empty for the value given). */
function pathOf(frame: Frame): string {
  const keys: (string | number)[] = [];
  for (let at: Frame | undefined = frame; at?.parent !== undefined; at = at.parent)
    keys.push(at.key);
  return keys.reverse().join('.');
}

/** The path of a frame's child under `key`. */
function childPathOf(frame: Frame, key: string): string {
  const path = pathOf(frame);
  return path === '' ? key : `${path}.${key}`;
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
