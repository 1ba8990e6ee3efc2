/**
 * A small declarative checker for a trainer's parameters: one spec per field (its kind, range and
 * default), and `checkParams` fills the defaults and names every bad field by its path.
 */

/** A problem with a parameter, named by its path (`learningRate`, `maxLeafNodes`). */
export interface ParamProblem {
  readonly path: string;
  readonly message: string;
}

export const UNKNOWN_PARAMETER = 'unknown parameter';
export const NOT_AN_OBJECT = 'params must be an object';

interface FieldBase<V> {
  /** Taken when the field is absent (undefined), and kept when its value is bad. */
  readonly default: V;
  /** Null is a value, not an absence: only a nullable field takes it. */
  readonly nullable?: boolean;
}

/** A finite number, within the bounds given: `> above`, `≥ atLeast`, `≤ atMost`. */
export interface NumberField<V> extends FieldBase<V> {
  readonly kind: 'number';
  readonly above?: number;
  readonly atLeast?: number;
  readonly atMost?: number;
}

/** An integer from min to max, both included; a missing bound is the safe-integer limit. */
export interface IntegerField<V> extends FieldBase<V> {
  readonly kind: 'integer';
  readonly min?: number;
  readonly max?: number;
}

/** One of the given strings. */
export interface EnumField<V> extends FieldBase<V> {
  readonly kind: 'enum';
  readonly values: readonly string[];
}

export type ParamField<V> = NumberField<V> | IntegerField<V> | EnumField<V>;

/** One field spec per parameter, in the order the params (and their problems) come out. */
export type ParamSpecs<T> = { readonly [K in keyof T]-?: ParamField<T[K]> };

function numberRange(field: NumberField<unknown>): string {
  const bounds: string[] = [];
  if (field.above !== undefined) bounds.push(`> ${field.above}`);
  if (field.atLeast !== undefined) bounds.push(`≥ ${field.atLeast}`);
  if (field.atMost !== undefined) bounds.push(`≤ ${field.atMost}`);
  return bounds.join(' and ');
}

function checkNumber(field: NumberField<unknown>, value: unknown): string | null {
  const valid =
    typeof value === 'number' &&
    Number.isFinite(value) &&
    (field.above === undefined || value > field.above) &&
    (field.atLeast === undefined || value >= field.atLeast) &&
    (field.atMost === undefined || value <= field.atMost);
  if (valid) return null;
  const range = numberRange(field);
  return range === '' ? 'must be a number' : `must be a number ${range}`;
}

function checkInteger(field: IntegerField<unknown>, value: unknown): string | null {
  const { min, max } = field;
  const valid =
    typeof value === 'number' &&
    Number.isInteger(value) &&
    value >= (min ?? -Number.MAX_SAFE_INTEGER) &&
    value <= (max ?? Number.MAX_SAFE_INTEGER);
  if (valid) return null;
  if (min !== undefined && max !== undefined) return `must be an integer from ${min} to ${max}`;
  if (min !== undefined) return `must be an integer ≥ ${min}`;
  if (max !== undefined) return `must be an integer ≤ ${max}`;
  return 'must be an integer';
}

function checkEnum(field: EnumField<unknown>, value: unknown): string | null {
  return typeof value === 'string' && field.values.includes(value)
    ? null
    : `must be one of ${field.values.join(', ')}`;
}

/** Null when `value` is good for the field, else what is wrong with it. */
export function checkField(field: ParamField<unknown>, value: unknown): string | null {
  if (value === null && field.nullable) return null;
  switch (field.kind) {
    case 'number':
      return checkNumber(field, value);
    case 'integer':
      return checkInteger(field, value);
    case 'enum':
      return checkEnum(field, value);
  }
}

function defaultsOf<T>(specs: ParamSpecs<T>): Record<string, unknown> {
  const params: Record<string, unknown> = {};
  for (const key of Object.keys(specs) as (keyof T & string)[]) params[key] = specs[key].default;
  return params;
}

/** The defaults of the specs, frozen, in the specs' order. */
export function defaultParams<T>(specs: ParamSpecs<T>): T {
  return Object.freeze(defaultsOf(specs)) as T;
}

/**
 * The params with defaults filled in for absent (undefined) fields, and every bad field named by
 * its path: wrong type or out of range (in the specs' order), then unknown keys (in the input's),
 * or one problem at path '' when the input is not an object. A bad field keeps its default in
 * `params`, so the result is always usable, but a caller with problems should refuse to train.
 */
export function checkParams<T>(
  input: Record<string, unknown> | null | undefined,
  specs: ParamSpecs<T>,
): { params: T; problems: ParamProblem[] } {
  const params = defaultsOf(specs);
  const problems: ParamProblem[] = [];
  if (input == null) return { params: params as T, problems };
  if (typeof input !== 'object' || Array.isArray(input)) {
    problems.push({ path: '', message: NOT_AN_OBJECT });
    return { params: params as T, problems };
  }
  for (const key of Object.keys(specs) as (keyof T & string)[]) {
    const value = input[key];
    if (value === undefined) continue;
    const problem = checkField(specs[key], value);
    if (problem === null) params[key] = value;
    else problems.push({ path: key, message: problem });
  }
  for (const key of Object.keys(input)) {
    if (!Object.prototype.hasOwnProperty.call(specs, key)) {
      problems.push({ path: key, message: UNKNOWN_PARAMETER });
    }
  }
  return { params: params as T, problems };
}

/** `path: message; …`, for an error that lists every problem (`separator` between path and message). */
export function describeProblems(problems: readonly ParamProblem[], separator = ': '): string {
  return problems.map((p) => `${p.path}${separator}${p.message}`).join('; ');
}

/**
 * For a trainer that was handed params: throws RangeError `${prefix}: ${describeProblems(…)}` when
 * there is any problem, so a bad value fails here rather than deep inside, or silently.
 */
export function refuseProblems(
  problems: readonly ParamProblem[],
  prefix: string,
  separator = ': ',
): void {
  if (problems.length > 0) {
    throw new RangeError(`${prefix}: ${describeProblems(problems, separator)}`);
  }
}

/**
 * For a trainer handed typed params: checks them again with the model's `check` (callers should
 * have) and refuses any problem, unknown keys included, as `refuseProblems` does.
 */
export function refuseInvalidParams<P>(
  check: (input: Record<string, unknown>) => { readonly problems: readonly ParamProblem[] },
  params: P,
  prefix: string,
): void {
  refuseProblems(check(params as unknown as Record<string, unknown>).problems, prefix);
}
