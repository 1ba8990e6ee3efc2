import { AppException } from '@/common/errors/app.exception';
import { ErrorCode } from '@/common/errors/error-code';

export interface FieldProblem {
  readonly path: string;
  readonly messages: string[];
}

export class ModelSetupException extends AppException {
  static invalid(fields: readonly FieldProblem[]): ModelSetupException {
    const summary = fields.map((f) => `${f.path}: ${f.messages.join(', ')}`).join('; ');
    return new ModelSetupException(ErrorCode.BAD_USER_INPUT, `invalid setup: ${summary}`, {
      fields,
    });
  }

  static profileNotReady(versionId: string, status: string): ModelSetupException {
    return new ModelSetupException(
      ErrorCode.CONFLICT,
      `the profile of dataset version ${versionId} is ${status}; poll datasetProfile until it is READY`,
      { status },
    );
  }

  static nothingToTrainOn(versionId: string): ModelSetupException {
    return new ModelSetupException(
      ErrorCode.BAD_USER_INPUT,
      `no column of dataset version ${versionId} is left to train on: every one is flagged, an identifier, a constant, free text or a date`,
    );
  }

  static noAiRecommendation(versionId: string): ModelSetupException {
    return new ModelSetupException(
      ErrorCode.CONFLICT,
      `no AI recommendation is stored for dataset version ${versionId}: call recommendSetup first (with OpenAI configured)`,
    );
  }

  static queueUnavailable(versionId: string): ModelSetupException {
    return new ModelSetupException(
      ErrorCode.UNAVAILABLE,
      `the profiling of dataset version ${versionId} could not be queued (the job queue is unreachable); retry shortly`,
    );
  }
}
