import { AppException } from '@/common/errors/app.exception';
import { ErrorCode } from '@/common/errors/error-code';

export class ScoringException extends AppException {
  static concurrentChange(): ScoringException {
    return new ScoringException(
      ErrorCode.CONFLICT,
      'the scoring config changed meanwhile; read it again and retry',
    );
  }

  static notWritten(count: number): ScoringException {
    return new ScoringException(
      ErrorCode.UNAVAILABLE,
      `${count} scores could not be written now; retry the same call`,
    );
  }

  static jobNotFound(): ScoringException {
    return new ScoringException(ErrorCode.NOT_FOUND, 'scoring job not found');
  }

  static leadNotFound(): ScoringException {
    return new ScoringException(ErrorCode.NOT_FOUND, 'lead not found');
  }
}
