import { ArgumentsHost, Catch, ExceptionFilter, Logger } from '@nestjs/common';
import type { Response } from 'express';

import { HTTP_STATUS_BY_CODE } from './error-code';
import { asError, isError } from './is-error';
import { toClientError } from './to-client-error';

/**
 * REST answers: `{ error: { code, message, ...details } }` with the status matching the code.
 * GraphQL requests pass through to Apollo's error formatting.
 */
@Catch()
export class HttpExceptionFilter implements ExceptionFilter {
  private readonly logger = new Logger('HttpExceptionFilter');

  catch(exception: unknown, host: ArgumentsHost): void {
    // Thrown on, never returned: a value a filter returns becomes the resolver's result, and
    // GraphQL takes only an Error of its own realm as an error (else "Cannot return null...").
    if (host.getType<string>() !== 'http') throw asError(exception);
    const response = host.switchToHttp().getResponse<Response>();
    const error = toClientError(exception);
    if (!error.expected) this.logger.error(isError(exception) ? exception : String(exception));
    const retryAfter = error.details.retryAfterSeconds;
    if (typeof retryAfter === 'number') response.setHeader('Retry-After', String(retryAfter));
    response
      .status(error.httpStatus ?? HTTP_STATUS_BY_CODE[error.code])
      .json({ error: { code: error.code, message: error.message, ...error.details } });
  }
}
