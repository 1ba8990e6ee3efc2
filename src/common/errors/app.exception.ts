import { ErrorCode } from './error-code';

/**
 * Base of every module's exception: a stable code, a message fit for the client, and optional
 * structured details (e.g. the field path of a bad input, the retry-after of a rate limit).
 */
export class AppException extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details: Readonly<Record<string, unknown>> = {},
  ) {
    super(message);
    this.name = new.target.name;
  }
}
