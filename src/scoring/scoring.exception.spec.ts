import { AppException } from '@/common/errors/app.exception';
import { ErrorCode } from '@/common/errors/error-code';

import { ScoringException } from './scoring.exception';

describe('ScoringException', () => {
  it.each([
    [
      ScoringException.concurrentChange(),
      ErrorCode.CONFLICT,
      'the scoring config changed meanwhile; read it again and retry',
    ],
    [
      ScoringException.notWritten(3),
      ErrorCode.UNAVAILABLE,
      '3 scores could not be written now; retry the same call',
    ],
    [ScoringException.jobNotFound(), ErrorCode.NOT_FOUND, 'scoring job not found'],
    [ScoringException.leadNotFound(), ErrorCode.NOT_FOUND, 'lead not found'],
  ])('%#: answers its code and a message fit for the client', (error, code, message) => {
    expect(error).toBeInstanceOf(AppException);
    expect(error.name).toBe('ScoringException');
    expect(error.code).toBe(code);
    expect(error.message).toBe(message);
  });
});
