import { ArgumentsHost, Catch, ExceptionFilter, Logger } from '@nestjs/common';
import type { Response } from 'express';

import { HTTP_STATUS_BY_CODE } from '@/common/errors/error-code';
import { isError } from '@/common/errors/is-error';
import { toClientError } from '@/common/errors/to-client-error';
import type { FieldProblem } from '@/common/validation/app-validation.pipe';

/** GraphQL names the argument `input`; a REST body is the input itself. */
function bodyPath(path: string): string {
  return path.startsWith('input.') ? path.slice('input.'.length) : path;
}

/**
 * The `/api/v1` error answer: `{ error: { code, message, fields?, details? } }`, with the HTTP status
 * of the code (toClientError decides both, as for GraphQL). Scoped to the v1 controllers; the
 * routes that predate them keep the global filter's shape (details beside `code`).
 */
@Catch()
export class RestV1ExceptionFilter implements ExceptionFilter {
  private readonly logger = new Logger('RestV1ExceptionFilter');

  catch(exception: unknown, host: ArgumentsHost): void {
    const response = host.switchToHttp().getResponse<Response>();
    const error = toClientError(exception);
    if (!error.expected) this.logger.error(isError(exception) ? exception : String(exception));
    const { fields, ...details } = error.details as Record<string, unknown> & {
      fields?: FieldProblem[];
    };
    if (typeof details.retryAfterSeconds === 'number')
      response.setHeader('Retry-After', String(details.retryAfterSeconds));
    response.status(error.httpStatus ?? HTTP_STATUS_BY_CODE[error.code]).json({
      error: {
        code: error.code,
        message: error.message,
        ...(fields
          ? { fields: fields.map((f) => ({ path: bodyPath(f.path), messages: f.messages })) }
          : {}),
        ...(Object.keys(details).length > 0 ? { details } : {}),
      },
    });
  }
}
