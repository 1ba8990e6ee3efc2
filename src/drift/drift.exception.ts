import { AppException } from '@/common/errors/app.exception';
import { ErrorCode } from '@/common/errors/error-code';

export class DriftException extends AppException {
  static weightedSum(): DriftException {
    return new DriftException(
      ErrorCode.BAD_USER_INPUT,
      'the weighted sum learnt from no dataset version: there is no training data to compare the open leads with (drift applies to trained models)',
      { modelId: 'weighted-sum' },
    );
  }

  static notTrained(modelId: string, status: string): DriftException {
    return new DriftException(
      ErrorCode.BAD_USER_INPUT,
      `model ${modelId} is ${status}: it has no fitted parameters to compare with`,
      { modelId, status },
    );
  }
}
