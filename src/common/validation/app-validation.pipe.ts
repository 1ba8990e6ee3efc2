import { ArgumentMetadata, Type, ValidationError, ValidationPipe } from '@nestjs/common';
import { plainToInstance } from 'class-transformer';
// Not exported from the package's root.
import { GqlParamtype } from '@nestjs/graphql/dist/enums/gql-paramtype.enum.js';

import { AppException } from '@/common/errors/app.exception';
import { ErrorCode } from '@/common/errors/error-code';

import { findJsonProblems } from './json-bounds.util';
import { installValidationMetadataCache } from './validation-metadata-cache';

installValidationMetadataCache();

/**
 * Refused in the raw input, before class-transformer copies it: values nested deeper than any
 * input type of ours (free-form JSON included, JSON_MAX_DEPTH ≤ 90), which its recursion would
 * overflow, and the keys `__proto__`, `constructor` and `prototype`, on which it throws or which it
 * drops unseen.
 */
const MAX_RAW_DEPTH = 128;
const RAW_LIMITS = {
  maxDepth: MAX_RAW_DEPTH,
  maxKeysPerObject: Number.POSITIVE_INFINITY,
  maxTotalKeys: Number.POSITIVE_INFINITY,
  maxKeyLength: Number.POSITIVE_INFINITY,
  maxStringLength: Number.POSITIVE_INFINITY,
  maxBytes: Number.POSITIVE_INFINITY,
};

/**
 * Whether a parameter carries a client's input: a REST body, query or route parameter, or GraphQL
 * arguments (which reach pipes as `body` in this Nest version; GqlParamtype.ARGS, their numeric
 * type, is accepted too). Not the GraphQL context, info or parent, nor custom decorators (the
 * authenticated user): walking a resolver's `info` would go through the whole parsed request at
 * every call.
 */
export function isClientInput(type: unknown): boolean {
  return type === 'body' || type === 'query' || type === 'param' || type === GqlParamtype.ARGS;
}

const VALUE_ONLY = Symbol('validationDependsOnTheValueOnly');
/** Values remembered per class, and the longest one remembered (JSON characters). */
const REMEMBERED_VALUES = 1_000;
const REMEMBERED_LENGTH = 512;

/**
 * Marks input classes whose validation depends on their value alone (no clock, no lookups)
 * and that clients send again and again with the same values (a list's page, sort and filter):
 * the validation pipe remembers values that passed and skips class-validator for them. At
 * saturation, validating the `leads` arguments was 2–3 % of the CPU of a request.
 */
export function ValidationDependsOnValueOnly(): ClassDecorator {
  return (target) => {
    Object.defineProperty(target, VALUE_ONLY, { value: true });
  };
}

/**
 * Strings, finite numbers, booleans, null, and arrays and plain objects of them, a few levels
 * deep: values whose JSON tells them apart (a Date, `undefined`, NaN or a `toJSON` would not).
 */
function isPlainJson(value: unknown, depth: number): boolean {
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return true;
  if (typeof value === 'number') return Number.isFinite(value);
  if (typeof value !== 'object' || depth >= 4) return false;
  if (Array.isArray(value)) return value.every((item) => isPlainJson(item, depth + 1));
  const prototype = Object.getPrototypeOf(value) as unknown;
  if (prototype !== null && prototype !== Object.prototype) return false;
  return Object.values(value).every((item) => isPlainJson(item, depth + 1));
}

/** Checks registered for classes clients send in volume (`registerFastCheck`). */
const fastChecks = new Map<Type<unknown>, (value: unknown) => unknown>();

/**
 * For an input class clients send in volume (the thousand items of a `recordInteractions` call:
 * class-transformer and class-validator took ~11 ms of its ~45 ms of CPU): a check written for it
 * that answers what the pipe would (the class's instance, transformed as its decorators say) when
 * the value is valid, or undefined when it is not sure. Undefined runs the full validation, which
 * refuses with its usual messages. A check must never accept what the decorators refuse: its spec
 * compares the two on generated inputs and pins the rules it knows. Runs after the raw input's
 * checks (depth, `__proto__` keys), which it does not repeat.
 */
export function registerFastCheck<T>(metatype: Type<T>, check: (value: unknown) => T | undefined) {
  fastChecks.set(metatype, check);
}

export class AppValidationPipe extends ValidationPipe {
  /** By class: the JSON of argument values that passed (see `ValidationDependsOnValueOnly`). */
  private readonly passed = new Map<Type<unknown>, Set<string>>();

  override async transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    const remembered = this.rememberedKey(value, metadata);
    if (remembered && this.passed.get(remembered.metatype)?.has(remembered.key)) {
      return plainToInstance(remembered.metatype, value, this.transformOptions);
    }
    const result = await this.validateInput(value, metadata);
    if (remembered) {
      let values = this.passed.get(remembered.metatype);
      if (!values) this.passed.set(remembered.metatype, (values = new Set()));
      if (values.size >= REMEMBERED_VALUES) values.clear();
      values.add(remembered.key);
    }
    return result;
  }

  /**
   * Where the pipe may remember the value: client input of a marked class (GraphQL arguments reach
   * pipes as `body`), small.
   */
  private rememberedKey(
    value: unknown,
    metadata: ArgumentMetadata,
  ): { metatype: Type<unknown>; key: string } | undefined {
    const { metatype } = metadata;
    if (
      !isClientInput(metadata.type) ||
      !metatype ||
      !Object.prototype.hasOwnProperty.call(metatype, VALUE_ONLY) ||
      value === null ||
      typeof value !== 'object' ||
      Array.isArray(value)
    ) {
      return undefined;
    }
    if (!isPlainJson(value, 0)) return undefined;
    const key = JSON.stringify(value);
    return key.length <= REMEMBERED_LENGTH ? { metatype, key } : undefined;
  }

  private async validateInput(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    if (value !== null && typeof value === 'object' && isClientInput(metadata.type)) {
      const unsafe = findJsonProblems(value, RAW_LIMITS, 50).filter(
        (problem) =>
          problem.message.startsWith('nested deeper') || problem.message.endsWith('is not allowed'),
      );
      if (unsafe.length > 0) {
        const fields = unsafe.map((problem) => ({
          path: problem.path,
          messages: [problem.message],
        }));
        const summary = unsafe.map((problem) => `${problem.path}: ${problem.message}`).join('; ');
        throw new AppException(ErrorCode.BAD_USER_INPUT, `invalid input: ${summary}`, { fields });
      }
      const fast = metadata.metatype && fastChecks.get(metadata.metatype)?.(value);
      if (fast !== undefined) return fast;
    }
    return super.transform(value, metadata);
  }
}

export interface FieldProblem {
  /** Dotted path inside the argument, e.g. `input.email` or `input.items.3.score`. */
  readonly path: string;
  readonly messages: readonly string[];
}

export function flattenValidationErrors(
  errors: readonly ValidationError[],
  parent = '',
): FieldProblem[] {
  return errors.flatMap((error) => {
    const path = parent ? `${parent}.${error.property}` : error.property;
    const own: FieldProblem[] = error.constraints
      ? [{ path, messages: Object.values(error.constraints) }]
      : [];
    return [...own, ...flattenValidationErrors(error.children ?? [], path)];
  });
}

/**
 * class-validator on every input: unknown fields refused, values transformed to their classes.
 * A failure answers BAD_USER_INPUT with every field path and what is wrong with it.
 */
export function createValidationPipe(): ValidationPipe {
  return new AppValidationPipe({
    transform: true,
    whitelist: true,
    forbidNonWhitelisted: true,
    stopAtFirstError: false,
    validationError: { target: false, value: false },
    exceptionFactory: (errors) => {
      const fields = flattenValidationErrors(errors);
      const summary = fields
        .map((field) => `${field.path}: ${field.messages.join(', ')}`)
        .join('; ');
      return new AppException(ErrorCode.BAD_USER_INPUT, `invalid input: ${summary}`, { fields });
    },
  });
}
