import { AppException } from '@/common/errors/app.exception';
import { ErrorCode } from '@/common/errors/error-code';

export class MlModelsException extends AppException {
  static notFound(id: string): MlModelsException {
    return new MlModelsException(ErrorCode.NOT_FOUND, `no model ${id}`);
  }

  static notDeployable(id: string, status: string): MlModelsException {
    return new MlModelsException(
      ErrorCode.CONFLICT,
      `model ${id} is ${status}; only a READY (or earlier deployed, RETIRED) model can be deployed`,
      { status },
    );
  }

  static nothingToRollBack(): MlModelsException {
    return new MlModelsException(
      ErrorCode.CONFLICT,
      'nothing to roll back to: the model deployed now is the first this tenant deployed',
    );
  }

  static abTestRunning(testId: string): MlModelsException {
    return new MlModelsException(
      ErrorCode.CONFLICT,
      `an A/B test is running (${testId}): stop it (stopAbTest, with a winner to deploy) first`,
      { abTestId: testId },
    );
  }

  static changedMeanwhile(): MlModelsException {
    return new MlModelsException(
      ErrorCode.CONFLICT,
      'the deployed model changed while this call ran; read it again and retry',
    );
  }
}
