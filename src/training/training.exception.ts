import { AppException } from '@/common/errors/app.exception';
import { ErrorCode } from '@/common/errors/error-code';

export class TrainingException extends AppException {
  static jobNotFound(id: string): TrainingException {
    return new TrainingException(ErrorCode.NOT_FOUND, `no training job ${id}`);
  }

  static invalid(fields: { path: string; messages: string[] }[]): TrainingException {
    const summary = fields.map((f) => `${f.path}: ${f.messages.join(', ')}`).join('; ');
    return new TrainingException(ErrorCode.BAD_USER_INPUT, `invalid input: ${summary}`, { fields });
  }

  static tooLittleData(counts: {
    converted: number;
    lost: number;
    minConverted: number;
    minLost: number;
  }): TrainingException {
    return new TrainingException(
      ErrorCode.BAD_USER_INPUT,
      `not enough outcomes to train: the dataset version has ${counts.converted} converted and ${counts.lost} lost leads; training needs at least ${counts.minConverted} converted and ${counts.minLost} lost (the weighted sum stays deployed)`,
      {
        ...counts,
        neededConverted: Math.max(0, counts.minConverted - counts.converted),
        neededLost: Math.max(0, counts.minLost - counts.lost),
      },
    );
  }

  static oneClass(label: 'converted' | 'lost'): TrainingException {
    return new TrainingException(
      ErrorCode.BAD_USER_INPUT,
      `every lead of the dataset version is ${label}: a model needs both outcomes to learn from`,
    );
  }

  static notCancellable(status: string): TrainingException {
    return new TrainingException(
      ErrorCode.CONFLICT,
      `the job is ${status}; only a QUEUED or ACTIVE job can be cancelled`,
    );
  }

  static queueUnavailable(jobId: string): TrainingException {
    return new TrainingException(
      ErrorCode.UNAVAILABLE,
      `the training could not be queued (the job queue is unreachable); job ${jobId} is recorded FAILED, retry shortly`,
      { jobId },
    );
  }
}
