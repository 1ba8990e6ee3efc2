import { AppException } from '@/common/errors/app.exception';
import { ErrorCode } from '@/common/errors/error-code';

export enum AuthErrorReason {
  INVALID_CREDENTIALS = 'INVALID_CREDENTIALS',
  INVALID_TOKEN = 'INVALID_TOKEN',
  REFRESH_TOKEN_REUSED = 'REFRESH_TOKEN_REUSED',
  USER_INACTIVE = 'USER_INACTIVE',
  EMAIL_TAKEN = 'EMAIL_TAKEN',
  REGISTRATION_DISABLED = 'REGISTRATION_DISABLED',
  SIGNING_UNAVAILABLE = 'SIGNING_UNAVAILABLE',
  FORBIDDEN_ROLE = 'FORBIDDEN_ROLE',
  USER_NOT_FOUND = 'USER_NOT_FOUND',
  SELF_CHANGE = 'SELF_CHANGE',
}

const CODE_BY_REASON: Record<AuthErrorReason, ErrorCode> = {
  [AuthErrorReason.INVALID_CREDENTIALS]: ErrorCode.UNAUTHENTICATED,
  [AuthErrorReason.INVALID_TOKEN]: ErrorCode.UNAUTHENTICATED,
  [AuthErrorReason.REFRESH_TOKEN_REUSED]: ErrorCode.UNAUTHENTICATED,
  [AuthErrorReason.USER_INACTIVE]: ErrorCode.UNAUTHENTICATED,
  [AuthErrorReason.EMAIL_TAKEN]: ErrorCode.CONFLICT,
  [AuthErrorReason.REGISTRATION_DISABLED]: ErrorCode.FORBIDDEN,
  [AuthErrorReason.SIGNING_UNAVAILABLE]: ErrorCode.UNAVAILABLE,
  [AuthErrorReason.FORBIDDEN_ROLE]: ErrorCode.FORBIDDEN,
  [AuthErrorReason.USER_NOT_FOUND]: ErrorCode.NOT_FOUND,
  [AuthErrorReason.SELF_CHANGE]: ErrorCode.BAD_USER_INPUT,
};

/** Errors of the auth module; the reason is kept in `extensions.reason` for clients. */
export class AuthException extends AppException {
  constructor(
    readonly reason: AuthErrorReason,
    message: string,
  ) {
    super(CODE_BY_REASON[reason], message, { reason });
  }
}
