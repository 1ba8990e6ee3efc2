import { applyDecorators, Controller, UseFilters } from '@nestjs/common';
import { ApiBearerAuth, ApiExtraModels, ApiTags } from '@nestjs/swagger';

import { ApiErrorResponses } from '@/common/openapi/api-errors.decorator';
import { ErrorResponseDto } from '@/common/openapi/error-response.dto';

import { RestV1ExceptionFilter } from './rest-v1-exception.filter';

export const API_V1_PREFIX = 'api/v1';

/**
 * A controller of the REST API v1: under `/api/v1/<path>`, Bearer JWT (the global guards:
 * authentication, roles, the per-address and per-user budgets shared with GraphQL), errors as
 * `{ error: { code, message, fields?, details? } }`.
 */
export function V1Controller(path: string, tag: string): ClassDecorator {
  return applyDecorators(
    Controller(`${API_V1_PREFIX}/${path}`),
    UseFilters(RestV1ExceptionFilter),
    ApiTags(tag),
    ApiBearerAuth(),
    ApiExtraModels(ErrorResponseDto),
    ApiErrorResponses(401, 429, 503),
  );
}
