import { ValidationError, ValidationPipe } from '@nestjs/common';

import { AppException } from '@/common/errors/app.exception';
import { ErrorCode } from '@/common/errors/error-code';

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
  return new ValidationPipe({
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
