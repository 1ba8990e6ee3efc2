import { ArgumentMetadata, ValidationError, ValidationPipe } from '@nestjs/common';

import { AppException } from '@/common/errors/app.exception';
import { ErrorCode } from '@/common/errors/error-code';

import { findJsonProblems } from './json-bounds.util';

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

class AppValidationPipe extends ValidationPipe {
  override async transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    if (value !== null && typeof value === 'object') {
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
