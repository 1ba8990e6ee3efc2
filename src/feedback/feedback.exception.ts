import { AppException } from '@/common/errors/app.exception';
import { ErrorCode } from '@/common/errors/error-code';
import type { FieldProblem } from '@/common/validation/app-validation.pipe';

export class FeedbackException extends AppException {
  /** An unknown lead, or one of another tenant: the same answer, nothing written. */
  static leadNotFound(leadId: string): FeedbackException {
    return new FeedbackException(ErrorCode.NOT_FOUND, `no lead ${leadId}`);
  }

  static notYourLead(leadId: string): FeedbackException {
    return new FeedbackException(
      ErrorCode.FORBIDDEN,
      `lead ${leadId} belongs to another rep; reps record outcomes and rate scores of their own leads`,
    );
  }

  static invalid(fields: FieldProblem[]): FeedbackException {
    const summary = fields.map((f) => `${f.path}: ${f.messages.join(', ')}`).join('; ');
    return new FeedbackException(ErrorCode.BAD_USER_INPUT, `invalid input: ${summary}`, { fields });
  }

  static keyReused(key: string): FeedbackException {
    return new FeedbackException(
      ErrorCode.CONFLICT,
      `idempotencyKey ${key} was used for another outcome (another lead or outcome); use a new key`,
    );
  }

  static noOutcome(leadId: string): FeedbackException {
    return new FeedbackException(ErrorCode.CONFLICT, `lead ${leadId} has no outcome to clear`);
  }

  static changedMeanwhile(leadId: string): FeedbackException {
    return new FeedbackException(
      ErrorCode.CONFLICT,
      `lead ${leadId} got another outcome while this call ran; read it and retry`,
    );
  }
}
