import { AppException } from '@/common/errors/app.exception';
import { ErrorCode } from '@/common/errors/error-code';

export class LifecycleException extends AppException {
  static invalid(fields: { path: string; messages: string[] }[]): LifecycleException {
    const summary = fields.map((f) => `${f.path}: ${f.messages.join(', ')}`).join('; ');
    return new LifecycleException(ErrorCode.BAD_USER_INPUT, `invalid input: ${summary}`, {
      fields,
    });
  }

  static decisionNotFound(id: string): LifecycleException {
    return new LifecycleException(ErrorCode.NOT_FOUND, `no model decision ${id}`);
  }

  static alreadyRunning(decisionId: string): LifecycleException {
    return new LifecycleException(
      ErrorCode.CONFLICT,
      `a retraining of this tenant is running (decision ${decisionId}); wait for it to finish`,
      { decisionId },
    );
  }

  static queueUnavailable(decisionId: string): LifecycleException {
    return new LifecycleException(
      ErrorCode.UNAVAILABLE,
      'the retraining could not be queued; try again shortly',
      { decisionId },
    );
  }
}
