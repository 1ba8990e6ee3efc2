import { ArgumentsHost, Catch, ExceptionFilter, Logger } from '@nestjs/common';
import type { Response } from 'express';

import { HTTP_STATUS_BY_CODE } from './error-code';
import { toClientError } from './to-client-error';

/**
 * REST answers: `{ error: { code, message, ...details } }` with the status matching the code.
 * GraphQL requests pass through to Apollo's error formatting.
 */
@Catch()
export class HttpExceptionFilter implements ExceptionFilter {
  private readonly logger = new Logger('HttpExceptionFilter');

  catch(exception: unknown, host: ArgumentsHost): unknown {
    if (host.getType<string>() !== 'http') return exception;
    const response = host.switchToHttp().getResponse<Response>();
    const error = toClientError(exception);
    if (!error.expected)
      this.logger.error(exception instanceof Error ? exception : String(exception));
    const retryAfter = error.details.retryAfterSeconds;
    if (typeof retryAfter === 'number') response.setHeader('Retry-After', String(retryAfter));
    response
      .status(error.httpStatus ?? HTTP_STATUS_BY_CODE[error.code])
      .json({ error: { code: error.code, message: error.message, ...error.details } });
    return undefined;
  }
}
