import { Body, HttpCode, Post } from '@nestjs/common';
import { ApiOkResponse, ApiOperation } from '@nestjs/swagger';

import type { AuthUser } from '@/auth/auth-user';
import { CurrentUser } from '@/auth/decorators/current-user.decorator';
import { ApiErrorResponses } from '@/common/openapi/api-errors.decorator';

import { BatchScoreResultDto, ScoreLeadResultDto } from '../dto/lead-score.dto';
import { BatchScoreBody, MAX_BATCH_SCORE, ScoreLeadBody } from '../dto/scoring-requests.dto';
import { LeadScoresService } from '../lead-scores.service';
import { V1Controller } from '../v1-controller.decorator';

const SCORING_MODEL = `Scores come from the tenant's deployed model (the weighted sum, a trained model, or the arm of a running A/B test), kept current as leads change: every interaction, lead edit, configuration change and deployment rescores the leads concerned, and a score older than SCORE_FRESHNESS_MINUTES counts as stale. Scoring "now" therefore means: the stored score, recomputed first if it is stale (waiting at most SCORING_REFRESH_BUDGET_MS; \`degraded\` says when the cached score is served instead). The same as GraphQL \`lead(id, refresh: true)\`. Leads are named by your own id (\`leadId\`), as in webhooks and CSV imports; reps reach their own leads only (another rep's answers 404, like a missing one).`;

@V1Controller('ml', 'ml')
export class MlScoringController {
  constructor(private readonly leadScores: LeadScoresService) {}

  @Post('score-lead')
  @HttpCode(200)
  @ApiOperation({
    summary: "Score a lead now, with its explanation and its AI insight (or the insight's status)",
    description: `${SCORING_MODEL}\n\nThe insight is asked for as \`requestInsight\` does: READY at once when the stored one was written for the lead's current state, otherwise QUEUED while a worker writes it (OpenAI, or the flagged fallback); call again to read it. \`includeInsight: false\` skips it.\n\nScoring ad-hoc data without a stored lead is not offered: trained models score a lead's stored attributes, and insights and history belong to stored leads; create or update the lead first (GraphQL \`upsertLeads\`, CSV import).`,
  })
  @ApiOkResponse({ type: ScoreLeadResultDto })
  @ApiErrorResponses(400, 404, 413)
  scoreLead(@CurrentUser() user: AuthUser, @Body() body: ScoreLeadBody) {
    return this.leadScores.scoreLead(user, body);
  }

  @Post('batch-score')
  @HttpCode(200)
  @ApiOperation({
    summary: `Score up to ${MAX_BATCH_SCORE} leads now`,
    description: `${SCORING_MODEL}\n\nLeads that are not found (or not the rep's) are listed in \`notFound\` instead of failing the call. No insights: ask score-lead for one lead's. One request of the rate-limit budget, whatever the number of leads.`,
  })
  @ApiOkResponse({ type: BatchScoreResultDto })
  @ApiErrorResponses(400, 413)
  batchScore(@CurrentUser() user: AuthUser, @Body() body: BatchScoreBody) {
    return this.leadScores.scoreLeads(user, body.leadIds);
  }
}
