import { Injectable } from '@nestjs/common';

import { InsightsService } from '@/ai/insights.service';
import type { AuthUser } from '@/auth/auth-user';
import { LeadRankingService } from '@/leads/lead-ranking.service';
import { leadRefFor } from '@/leads/lead-snapshot.util';
import { LeadsService } from '@/leads/leads.service';
import { LeadScoreQueries } from '@/scoring/lead-score-queries.service';

import type {
  BatchScoreResultDto,
  LeadScoreDto,
  ScoreHistoryDto,
  ScoreLeadResultDto,
} from './dto/lead-score.dto';
import { toInsight, toLeadScore } from './mappers/lead-score.mapper';

/**
 * The lead-score routes over the services GraphQL uses: `lead(id, refresh)`, `leadScoreHistory`
 * and `requestInsight`. REST names leads by the caller's own id (`leadId`), as webhooks, CSV
 * imports, insights and feedback do; the lead's id in this API follows from it (leadRefFor).
 */
@Injectable()
export class LeadScoresService {
  constructor(
    private readonly ranking: LeadRankingService,
    private readonly scores: LeadScoreQueries,
    private readonly leads: LeadsService,
    private readonly insights: InsightsService,
  ) {}

  /** The stored score; with `refresh`, recomputed first if stale (GraphQL `lead(refresh: true)`). */
  async current(caller: AuthUser, leadId: string, refresh: boolean): Promise<LeadScoreDto> {
    const ref = leadRefFor(caller.tenantId, leadId).toHexString();
    const { lead, degraded } = await this.ranking.one(caller, ref, { refresh, includeRaw: false });
    return toLeadScore(lead, degraded);
  }

  /** The score now, and the insight as `requestInsight` answers (READY, or QUEUED while written). */
  async scoreLead(
    caller: AuthUser,
    { leadId, includeInsight }: { leadId: string; includeInsight: boolean },
  ): Promise<ScoreLeadResultDto> {
    const score = await this.current(caller, leadId, true);
    const insight = includeInsight ? toInsight(await this.insights.request(caller, leadId)) : null;
    return { ...score, insight };
  }

  /**
   * `scoreLead` without insights for up to 100 leads: one read of their scores, then the stale
   * ones recomputed together within one refresh budget, as `lead(refresh: true)` does for one (past
   * it, each of them is served cached and flagged). Leads the caller may not see (another tenant's,
   * another rep's) are reported as not found, like missing ones.
   */
  async scoreLeads(caller: AuthUser, leadIds: readonly string[]): Promise<BatchScoreResultDto> {
    const unique = [...new Set(leadIds)];
    const found = await this.scores.findCurrentByIds(
      caller.tenantId,
      unique.map((leadId) => leadRefFor(caller.tenantId, leadId)),
    );
    const owner = this.leads.ownerScope(caller);
    const visible = found.filter((doc) => owner === undefined || doc.ownerId === owner);
    const refreshed = await this.scores.refreshedMany(caller.tenantId, visible);
    const byLeadId = new Map(
      refreshed.map(({ doc, degraded }) => [
        doc.leadId,
        toLeadScore(this.ranking.view(doc), degraded),
      ]),
    );
    return {
      scored: unique.flatMap((leadId) => byLeadId.get(leadId) ?? []),
      notFound: unique.filter((leadId) => !byLeadId.has(leadId)),
    };
  }

  /** Managers and admins (the controller's roles): the override and the score it makes. */
  async override(
    caller: AuthUser,
    leadId: string,
    body: { score: number; reason: string; expiresAt?: Date | null },
  ): Promise<LeadScoreDto> {
    return toLeadScore(await this.ranking.overrideScore(caller, leadId, body));
  }

  async clearOverride(caller: AuthUser, leadId: string): Promise<LeadScoreDto> {
    return toLeadScore(await this.ranking.clearOverride(caller, leadId));
  }

  async history(caller: AuthUser, leadId: string, limit: number): Promise<ScoreHistoryDto> {
    const ref = leadRefFor(caller.tenantId, leadId).toHexString();
    const entries = await this.ranking.history(caller, ref, limit);
    return {
      leadId,
      entries: entries.map((e) => ({
        score: e.score,
        previousScore: e.previousScore,
        reason: e.reason,
        configVersion: e.configVersion,
        modelVersion: e.modelVersion,
        at: e.at,
      })),
    };
  }
}
