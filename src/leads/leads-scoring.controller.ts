import { Controller, Get, Query } from '@nestjs/common';
import { Transform } from 'class-transformer';
import { IsBoolean, IsIn, IsInt, IsMongoId, IsNumber, IsOptional, Max, Min } from 'class-validator';

import type { AuthUser } from '@/auth/auth-user';
import { CurrentUser } from '@/auth/decorators/current-user.decorator';
import { MAX_PAGE_SIZE } from '@/common/graphql/page.args';

import type { DegradedReason } from '@/scoring/lead-score-queries.service';

import { LeadSortField, SortOrder } from './dto/leads.args';
import { LeadModel } from './models/lead.model';
import { LeadRankingService } from './lead-ranking.service';

const toInt = ({ value }: { value: unknown }) =>
  typeof value === 'string' && /^-?\d+$/.test(value) ? Number(value) : value;
const toNumber = ({ value }: { value: unknown }) =>
  typeof value === 'string' && value.trim() !== '' && !Number.isNaN(Number(value))
    ? Number(value)
    : value;
const toBool = ({ value }: { value: unknown }) =>
  value === 'true' ? true : value === 'false' ? false : value;

/** The query parameters of the original specification. */
export class LeadScoringQuery {
  @IsOptional()
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(MAX_PAGE_SIZE)
  limit: number = 50;

  @IsOptional()
  @Transform(toInt)
  @IsInt()
  @Min(1)
  page: number = 1;

  @IsOptional()
  @IsIn(['score', 'lastActivity'])
  sort: 'score' | 'lastActivity' = 'score';

  @IsOptional()
  @IsIn(['asc', 'desc'])
  order: 'asc' | 'desc' = 'desc';

  @IsOptional()
  @Transform(toNumber)
  @IsNumber({ allowNaN: false, allowInfinity: false })
  @Min(0)
  @Max(100)
  minScore?: number;

  @IsOptional()
  @IsMongoId()
  ownerId?: string;

  @IsOptional()
  @Transform(toBool)
  @IsBoolean()
  includeRaw: boolean = false;

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

@Controller('leads')
export class LeadsScoringController {
  constructor(private readonly ranking: LeadRankingService) {}

  /** 400 on bad parameters, 401 without a valid token, 429 over the rate limit. */
  @Get('scoring')
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
