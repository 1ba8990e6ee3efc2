import { AppException } from '@/common/errors/app.exception';
import { ErrorCode } from '@/common/errors/error-code';
import type { FieldProblem } from '@/common/validation/app-validation.pipe';

export class LeadsException extends AppException {
  /** Problems found across a whole batch: nothing of it was written. */
  static invalidItems(fields: FieldProblem[]): LeadsException {
    const summary = fields.map((field) => `${field.path}: ${field.messages.join(', ')}`).join('; ');
    return new LeadsException(
      ErrorCode.BAD_USER_INPUT,
      `invalid input, nothing was written: ${summary}`,
      { fields },
    );
  }

  /** Stored but not yet in their leads: a retry (or the sweeper, within minutes) finishes them. */
  static notApplied(leads: number): LeadsException {
    return new LeadsException(
      ErrorCode.UNAVAILABLE,
      `the events are stored, but ${leads} of their leads could not be updated now; retry the same call`,
    );
  }

  /** A lead written by others on every attempt: nothing of this call was written. */
  static busy(): LeadsException {
    return new LeadsException(
      ErrorCode.UNAVAILABLE,
      'the lead kept changing while this call was writing it; nothing was written, retry',
    );
  }

  static notFound(): LeadsException {
    return new LeadsException(ErrorCode.NOT_FOUND, 'lead not found');
  }
}
