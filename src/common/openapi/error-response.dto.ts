import { ApiProperty, ApiPropertyOptional, ApiSchema } from '@nestjs/swagger';

import { ErrorCode } from '@/common/errors/error-code';

@ApiSchema({
  name: 'FieldProblem',
  description: 'One bad field of the request and what is wrong with it.',
})
export class FieldProblemDto {
  @ApiProperty({
    description: 'Dotted path in the body or query, e.g. `leadIds.3`.',
    example: 'leadIds',
  })
  path!: string;

  @ApiProperty({ type: [String], example: ['leadIds must contain no more than 100 elements'] })
  messages!: string[];
}

@ApiSchema({ name: 'ErrorBody' })
export class ErrorBodyDto {
  @ApiProperty({
    enum: ErrorCode,
    enumName: 'ErrorCode',
    description: 'Stable: the same codes as GraphQL errors carry in `extensions.code`.',
  })
  code!: ErrorCode;

  @ApiProperty({ description: 'For people; may change between versions.' })
  message!: string;

  @ApiPropertyOptional({
    type: [FieldProblemDto],
    description:
      'With BAD_USER_INPUT (and a NOT_FOUND about a referenced id): every bad field at once.',
  })
  fields?: FieldProblemDto[];

  @ApiPropertyOptional({
    type: 'object',
    additionalProperties: true,
    description:
      'Structured details when there are any: `retryAfterSeconds` (RATE_LIMITED, also in the Retry-After header), `reason` (e.g. INVALID_TOKEN, FORBIDDEN_ROLE), counts of a refused training…',
    example: { retryAfterSeconds: 42 },
  })
  details?: Record<string, unknown>;
}

/** What every `/api/v1` route answers on failure. */
@ApiSchema({ name: 'ErrorResponse' })
export class ErrorResponseDto {
  @ApiProperty({ type: () => ErrorBodyDto })
  error!: ErrorBodyDto;
}

/**
 * The routes outside `/api/v1` (they predate it) answer the same envelope with any details
 * spread beside `code` and `message` instead of under `details`.
 */
@ApiSchema({ name: 'UnversionedErrorResponse' })
export class UnversionedErrorResponseDto {
  @ApiProperty({
    type: 'object',
    required: ['code', 'message'],
    properties: {
      code: { type: 'string', enum: Object.values(ErrorCode) },
      message: { type: 'string' },
      fields: { type: 'array', items: { $ref: '#/components/schemas/FieldProblem' } },
    },
    additionalProperties: true,
  })
  error!: { code: ErrorCode; message: string; fields?: FieldProblemDto[] };
}
