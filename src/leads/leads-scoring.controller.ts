import { Controller, Get, Query } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiExtraModels,
  ApiOkResponse,
  ApiOperation,
  ApiPropertyOptional,
  ApiTags,
  getSchemaPath,
} from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsBoolean, IsIn, IsMongoId, IsNumber, IsOptional, Max, Min } from 'class-validator';

import type { AuthUser } from '@/auth/auth-user';
import { CurrentUser } from '@/auth/decorators/current-user.decorator';
import { ApiUnversionedErrorResponses } from '@/common/openapi/api-errors.decorator';
import { PageQuery } from '@/common/openapi/page.query';
import { toBool, toNumber } from '@/common/validation/query-transforms';

import type { DegradedReason } from '@/scoring/lead-score-queries.service';

import { LeadSortField, SortOrder } from './dto/leads.args';
import { LeadModel } from './models/lead.model';
import { LeadRankingService } from './lead-ranking.service';

/** The query parameters of the original specification. */
export class LeadScoringQuery extends PageQuery {
  @ApiPropertyOptional({ enum: ['score', 'lastActivity'], default: 'score' })
  @IsOptional()
  @IsIn(['score', 'lastActivity'])
  sort: 'score' | 'lastActivity' = 'score';

  @ApiPropertyOptional({ enum: ['asc', 'desc'], default: 'desc' })
  @IsOptional()
  @IsIn(['asc', 'desc'])
  order: 'asc' | 'desc' = 'desc';

  @ApiPropertyOptional({ type: Number, minimum: 0, maximum: 100 })
  @IsOptional()
  @Transform(toNumber)
  @IsNumber({ allowNaN: false, allowInfinity: false })
  @Min(0)
  @Max(100)
  minScore?: number;

  @ApiPropertyOptional({
    description: "A user id: that owner's leads (reps always get their own).",
  })
  @IsOptional()
  @IsMongoId()
  ownerId?: string;

  @ApiPropertyOptional({
    default: false,
    description: 'Each lead with its attributes and createdAt.',
  })
  @IsOptional()
  @Transform(toBool)
  @IsBoolean()
  includeRaw: boolean = false;

  @ApiPropertyOptional({
    default: false,
    description:
      'Recompute stale scores on the page first (within SCORING_REFRESH_BUDGET_MS; meta.degraded says when cached ones are served).',
  })
  @IsOptional()
  @Transform(toBool)
  @IsBoolean()
  refresh: boolean = false;
}

export interface LeadScoringResponse {
  data: LeadModel[];
  meta: {
    page: number;
    limit: number;
    total: number;
    totalPages: number;
    sort: string;
    order: string;
    degraded?: DegradedReason;
  };
}

@ApiTags('leads')
@ApiBearerAuth()
@ApiExtraModels(LeadModel)
@Controller('leads')
export class LeadsScoringController {
  constructor(private readonly ranking: LeadRankingService) {}

  /** 400 on bad parameters, 401 without a valid token, 429 over the rate limit. */
  @Get('scoring')
  @ApiOperation({
    summary: 'Leads ranked by score, one page (reps: their own)',
    description:
      'The query parameters of the original specification; the same list as GraphQL `leads`.',
  })
  @ApiOkResponse({
    schema: {
      type: 'object',
      required: ['data', 'meta'],
      properties: {
        data: { type: 'array', items: { $ref: getSchemaPath(LeadModel) } },
        meta: {
          type: 'object',
          required: ['page', 'limit', 'total', 'totalPages', 'sort', 'order'],
          properties: {
            page: { type: 'integer' },
            limit: { type: 'integer' },
            total: { type: 'integer' },
            totalPages: { type: 'integer' },
            sort: { type: 'string', enum: ['score', 'lastActivity'] },
            order: { type: 'string', enum: ['asc', 'desc'] },
            degraded: {
              type: 'string',
              enum: ['REFRESH_TIMEOUT', 'REFRESH_FAILED'],
              description:
                'Present only when cached scores were served where fresh ones were asked for.',
            },
          },
        },
      },
    },
  })
  @ApiUnversionedErrorResponses(400, 401, 429, 503)
  async list(
    @CurrentUser() user: AuthUser,
    @Query() query: LeadScoringQuery,
  ): Promise<LeadScoringResponse> {
    const { page, degraded } = await this.ranking.page(user, {
      filter: { minScore: query.minScore, ownerId: query.ownerId },
      sort: query.sort === 'lastActivity' ? LeadSortField.LAST_ACTIVITY : LeadSortField.SCORE,
      order: query.order === 'asc' ? SortOrder.ASC : SortOrder.DESC,
      page: query.page,
      limit: query.limit,
      refresh: query.refresh,
      includeRaw: query.includeRaw,
    });
    return {
      data: page.items,
      meta: {
        page: page.page,
        limit: page.limit,
        total: page.total,
        totalPages: page.totalPages,
        sort: query.sort,
        order: query.order,
        // Present only when cached scores were served where fresh ones were asked for.
        ...(degraded ? { degraded } : {}),
      },
    };
  }
}
