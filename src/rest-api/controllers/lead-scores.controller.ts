import { Body, Delete, Get, HttpCode, Param, Post, Put, Query } from '@nestjs/common';
import { ApiAcceptedResponse, ApiBody, ApiOkResponse, ApiOperation } from '@nestjs/swagger';

import type { AuthUser } from '@/auth/auth-user';
import { CurrentUser } from '@/auth/decorators/current-user.decorator';
import { Roles } from '@/auth/decorators/roles.decorator';
import { Role } from '@/auth/role.enum';
import { ApiErrorResponses } from '@/common/openapi/api-errors.decorator';
import { ScoringJobsService } from '@/scoring/jobs/scoring-jobs.service';
import { ScoreChangeReason } from '@/scoring/schemas/score-history.schema';

import { LeadScoreDto, ScoreHistoryDto } from '../dto/lead-score.dto';
import { ScoringJobDto } from '../dto/scoring-job.dto';
import {
  LeadIdParam,
  LeadScoreQuery,
  OverrideScoreBody,
  RefreshScoresBody,
  ScoreHistoryQuery,
} from '../dto/scoring-requests.dto';
import { LeadScoresService } from '../lead-scores.service';
import { toScoringJob } from '../mappers/lead-score.mapper';
import { V1Controller } from '../v1-controller.decorator';

@V1Controller('leads', 'leads')
export class LeadScoresController {
  constructor(
    private readonly leadScores: LeadScoresService,
    private readonly jobs: ScoringJobsService,
  ) {}

  @Get(':leadId/score')
  @ApiOperation({
    summary: "A lead's current score with its breakdown",
    description:
      'The stored score as is (GraphQL `lead`); `refresh=true` recomputes it first if it is stale. Reps: their own leads (another rep’s answers 404).',
  })
  @ApiOkResponse({ type: LeadScoreDto })
  @ApiErrorResponses(400, 404)
  score(
    @CurrentUser() user: AuthUser,
    @Param() { leadId }: LeadIdParam,
    @Query() query: LeadScoreQuery,
  ) {
    return this.leadScores.current(user, leadId, query.refresh);
  }

  @Get(':leadId/score-history')
  @ApiOperation({
    summary: "A lead's score history, newest first",
    description:
      'An entry whenever the score moved a point or more, or the model or configuration changed (GraphQL `leadScoreHistory`).',
  })
  @ApiOkResponse({ type: ScoreHistoryDto })
  @ApiErrorResponses(400, 404)
  history(
    @CurrentUser() user: AuthUser,
    @Param() { leadId }: LeadIdParam,
    @Query() query: ScoreHistoryQuery,
  ) {
    return this.leadScores.history(user, leadId, query.limit);
  }

  @Roles(Role.ADMIN, Role.MANAGER)
  @Put(':leadId/override')
  @ApiOperation({
    summary: "Show a manual score instead of the model's (managers and admins)",
    description:
      'GraphQL `overrideScore`: the score shown (and ranked, and tiered) is the override until `expiresAt` or a DELETE; the model keeps scoring beneath it (`modelScore`, `breakdown`). Audited and in the score history (OVERRIDE_SET). Setting it again replaces it.',
  })
  @ApiBody({ type: OverrideScoreBody })
  @ApiOkResponse({ type: LeadScoreDto })
  @ApiErrorResponses(400, 403, 404)
  override(
    @CurrentUser() user: AuthUser,
    @Param() { leadId }: LeadIdParam,
    @Body() body: OverrideScoreBody,
  ) {
    return this.leadScores.override(user, leadId, body);
  }

  @Roles(Role.ADMIN, Role.MANAGER)
  @Delete(':leadId/override')
  @ApiOperation({
    summary: "Show the model's score again (managers and admins)",
    description:
      'GraphQL `clearOverride`: audited and in the score history (OVERRIDE_CLEARED). A lead without an override is answered as it is.',
  })
  @ApiOkResponse({ type: LeadScoreDto })
  @ApiErrorResponses(400, 403, 404)
  clearOverride(@CurrentUser() user: AuthUser, @Param() { leadId }: LeadIdParam) {
    return this.leadScores.clearOverride(user, leadId);
  }

  @Roles(Role.ADMIN, Role.MANAGER)
  @Post('scoring/refresh')
  @HttpCode(202)
  @ApiOperation({
    summary: 'Rescore the leads in the background (managers and admins)',
    description:
      'Starts a batch rescoring job on the `scoring` queue, as GraphQL `rescoreLeads` does, and answers at once with the job. An empty body rescores every lead of the tenant.',
  })
  @ApiBody({ type: RefreshScoresBody, required: false })
  @ApiAcceptedResponse({ type: ScoringJobDto })
  @ApiErrorResponses(400, 403, 413)
  async refresh(@CurrentUser() user: AuthUser, @Body() filter: RefreshScoresBody = {}) {
    const job = await this.jobs.enqueueRescore({
      tenantId: user.tenantId,
      requestedBy: user.userId,
      reason: ScoreChangeReason.BATCH_RESCORE,
      filter: { minScore: filter.minScore, ownerId: filter.ownerId, status: filter.status },
    });
    return toScoringJob(job);
  }
}
